"""Shipped crosswalks: published code lists translated to gbo's codes once, for everyone.

``home_office_offences`` translates the Home Office offence codes of police recorded crime
(the offence code and description columns of the Home Office's *Police recorded crime and
outcomes open data tables*, which follow the Home Office Counting Rules classifications,
e.g. ``19D`` "Rape of a female child under 16") to gbo's ``ho_offence_code`` codes, by
meaning. gbo's own letter codes are not the Home Office's (gbo's ``19C`` is the Home
Office's ``19D``), which is why the crosswalk exists; Home Office codes with no gbo code
(offences against adults, for example) are listed with none, so that a mapping check names
them rather than guessing. Leading zeros are ignored (``019D`` is ``19D``). Class/subclass
numbers (``019/16``) are not in the open data tables, so they are not shipped: translate
them in the mapping's own ``[codes.ho_offence_code]``.

A mapping uses a crosswalk with ``crosswalks = { ho_offence_code = "home_office_offences" }``;
the mapping's own ``[codes.*]`` entries take precedence over it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

CROSSWALK_FILES = {"home_office_offences": "home_office_offences.csv"}
CROSSWALK_SOURCES = {
    "home_office_offences": "Home Office, Police recorded crime and outcomes open data tables "
    "(offence code and offence description), following the Home Office Counting Rules for "
    "recorded crime; class 86 from the Counting Rules' Miscellaneous Crimes against Society",
}


@dataclass(frozen=True)
class CrosswalkEntry:
    code: str
    description: str
    gbo_code: str | None


def normalise_ho_code(value: str) -> str:
    """``019D`` and ``19d`` are ``19D``."""
    text = value.strip().upper()
    return re.sub(r"^0+(?=\d)", "", text)


@cache
def crosswalk(name: str) -> tuple[CrosswalkEntry, ...]:
    """The entries of a shipped crosswalk."""
    text = resources.files("gbo.ingest.data").joinpath(CROSSWALK_FILES[name]).read_text("utf-8")
    return tuple(
        CrosswalkEntry(row["ho_code"], row["ho_description"], row["gbo_code"] or None)
        for row in csv.DictReader(io.StringIO(text))
    )


def crosswalk_translation(name: str) -> dict[str, str]:
    """Agency value -> gbo code for every entry that has a gbo code (with zero-padded and
    description spellings too)."""
    found: dict[str, str] = {}
    for entry in crosswalk(name):
        if entry.gbo_code is None:
            continue
        found[entry.code] = entry.gbo_code
        found["0" + entry.code] = entry.gbo_code
        if len(entry.code) < 4:
            found["00" + entry.code] = entry.gbo_code
        found[entry.description] = entry.gbo_code
    return found
