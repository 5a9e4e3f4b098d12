"""A held-out messy export, laid out unlike :mod:`tests.ingest.messy_exports`, for the
draft -> check -> run test written from the docs alone.

``force_extract.csv`` is a semicolon-delimited Latin-1 file with a two-line banner (the
second line of delimiters only), day.month dates with two- and four-digit years, codes in
mixed case and with stray spaces, roles gbo has no code for (Witness, informant), Home
Office offence class/subclass numbers written three ways (``019/16``, ``19/7``, ``01916``)
including one for an offence against an adult (``019/08``, no gbo code), a quoted address
holding the delimiter, a line of delimiters only and a blank line among the rows, and two
genuinely bad rows: 31 February, and an exact copy of the row above it.

Every value is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REFERENCE_DATE = date(2025, 6, 30)

LINES: list[str] = [
    "Force crime system - nominal extract;;;;;;;;;;",  # 1
    ";;;;;;;;;;",  # 2
    "Nominal No;Forename;Surname;Date of Birth;Gender;Address;Crime No;HO Class;"
    "Committed From;Committed To;Involvement",  # 3: header
    'N100;Zoë;Marsh;14.03.2008;f;"12, High Street";CR1;019/16;02.05.19;03.05.19;victim',  # 4
    "N101;Ray;Hale;17.01.68;M;1 Mill Lane;CR1;019/16;02.05.19;03.05.19;SUSPECT",  # 5
    'N102;Anaïs;Brook;06.06.04;Female;"Flat 2; Dock Road";CR2;19/7;01.06.2019;;Victim ',  # 6
    ";;;;;;;;;;",  # 7: delimiters only
    "N103;Tom;Webb;01.01.1980;m;3 Park Row;CR2;19/7;01.06.2019;;Witness",  # 8
    "N104;Siân;Dale;02.02.75;F;4 Quay St;CR3;01916;31.02.19;;suspect",  # 9: 31 February
    "N105;Lee;Cole;05.05.05;Not Known;5 Rope Walk;CR4;022/06;01.02.25;;Victim",  # 10
    "N106;Ken;Ford;09.09.99;M;6 Salt Row;CR4;022/06;01.02.25;;informant",  # 11
    "",  # 12: blank
    "N107;Amy;Nash;10.10.1990;F;7 Tide Way;CR5;019/08;03.03.2020;;Victim",  # 13: adult
    "N108;Jo;Penn;11.11.11;F;8 Net Loft;CR6;086/10;04.04.24;05.04.24;VICTIM",  # 14
    "N108;Jo;Penn;11.11.11;F;8 Net Loft;CR6;086/10;04.04.24;05.04.24;VICTIM",  # 15: copy
    "N109;Raj;Shaw;12.12.92;M;9 Sail Yard;CR6;086/10;04.04.24;05.04.24;Suspect",  # 16
]


@dataclass(frozen=True)
class Planted:
    """What the export holds, by physical line, for the test to account for."""

    good: frozenset[int] = frozenset({4, 5, 6, 10, 14, 16})
    left_out: frozenset[int] = frozenset({8, 11, 13})  # witness, informant, adult offence
    rejected: tuple[tuple[int, str], ...] = ((9, "impossible_date"), (15, "duplicate_row"))
    blank_lines: tuple[int, ...] = (7, 12)


def write_export(folder: Path, separator: str = ".") -> Path:
    """The export, its dates written with ``separator`` between day, month and year."""
    text = "\r\n".join(LINES)
    text = re.sub(r"\b(\d{2})\.(\d{2})\.(\d{2,4})\b", rf"\1{separator}\2{separator}\3", text)
    path = folder / "force_extract.csv"
    path.write_bytes(text.encode("latin-1"))
    return path
