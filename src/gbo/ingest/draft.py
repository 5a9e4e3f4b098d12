"""``gbo mapping draft``: a starting mapping file written from an export, for review.

The draft detects how to read the file (encoding, delimiter, header row below any title
banner), the date formats of each date column (two-digit years included, four-digit
formats listed first), a guess of the canonical field of each column, and for each coded
column a ``[codes.*]`` table listing every value seen with its best-guess gbo code. What it
cannot place is written as a comment marked ``REVIEW``, so that a person decides; a draft
is never used unreviewed. Values are written only for coded columns (codes, not people).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import fastexcel

from gbo.errors import IngestError
from gbo.ingest.canonical_columns import KEY_CODE_COLUMNS
from gbo.ingest.crosswalks import crosswalk_entry
from gbo.ingest.csv_reader import CANDIDATE_DELIMITERS, read_csv
from gbo.ingest.draft_guess import (
    CODE_FIELDS,
    OFFENCE_CODE,
    DateGuess,
    find_header_row,
    guess_code,
    guess_date_formats,
    guess_field,
    guess_name_order,
    is_whole_name_header,
    looks_like_ho_codes,
)
from gbo.ingest.readers import detect_format
from gbo.ingest.spreadsheet_reader import read_spreadsheet
from gbo.ingest.text_decoding import decode_text
from gbo.ingest.text_table import SheetData
from gbo.schema.mapping import AgencyMapping

SAMPLE_LINES = 40
MAX_CODE_VALUES = 300
PLACEHOLDER_NAMES = {"MALE", "FEMALE", "UNKNOWN", "NOT KNOWN", "N/K", "NK", "XX", "TBC"}
TABLE_ORDER = ("person_record", "offence", "involvement", "event")


def q(text: str) -> str:
    """A TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class ReadShape:
    format: str
    encoding: str | None
    delimiter: str | None
    header_row: int
    sheet: SheetData


@dataclass
class Draft:
    shape: ReadShape
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # source -> field
    dates: dict[str, DateGuess] = field(default_factory=dict)
    values: dict[str, Counter[str]] = field(default_factory=dict)
    column_nulls: dict[str, list[str]] = field(default_factory=dict)
    sheet_name: str | None = None
    blanks: dict[str, int] = field(default_factory=dict)  # source column -> blank cells
    whole_names: dict[str, str] = field(default_factory=dict)  # source column -> name_order


def _rows_of_text(text: str, delimiter: str) -> list[list[str]]:
    lines = text.splitlines()[:SAMPLE_LINES]
    return [next(csv.reader([line], delimiter=delimiter), []) for line in lines]


def _width(rows: list[list[str]]) -> int:
    counts = Counter(len(r) for r in rows if any(c.strip() for c in r))
    return counts.most_common(1)[0][0] if counts else 0


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the sample into the most columns consistently, checked
    with ``csv.Sniffer`` on the lines below any banner."""
    best = max(CANDIDATE_DELIMITERS, key=lambda d: _width(_rows_of_text(text, d)))
    header = find_header_row(_rows_of_text(text, best))
    sample = "\n".join(text.splitlines()[header - 1 : header - 1 + SAMPLE_LINES])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(CANDIDATE_DELIMITERS))
    except csv.Error:
        return best
    if _width(_rows_of_text(sample, sniffed.delimiter)) >= _width(_rows_of_text(sample, best)):
        return sniffed.delimiter
    return best


def read_shape(path: Path, sheet_name: str | None) -> ReadShape:
    """How to read the export, and its data read that way."""
    probe = AgencyMapping.model_validate({"agency": "draft", "tables": []})
    fmt = detect_format(path, probe)
    if fmt == "csv":
        decoded = decode_text(path.read_bytes(), "auto")
        text = decoded.data.decode("utf-8", errors="replace")
        delimiter = detect_delimiter(text)
        header = find_header_row(_rows_of_text(text, delimiter))
        encoding = decoded.encoding.split("+")[-1] if decoded.n_legacy_lines else "auto"
        if decoded.encoding not in {"utf-8", "utf-8-sig"} and not decoded.n_legacy_lines:
            encoding = decoded.encoding
        sheet, _ = read_csv(path, delimiter, encoding, header_row=header)
        return ReadShape(fmt, decoded.encoding, delimiter, header, sheet)
    if fmt in {"xlsx", "ods"}:
        workbook = fastexcel.read_excel(path)
        name = sheet_name or workbook.sheet_names[0]
        batch = workbook.load_sheet(name, header_row=None, skip_rows=0, dtypes="string",
                                    n_rows=SAMPLE_LINES, eager=True)  # fmt: skip
        rows = [[str(v) if v is not None else "" for v in r.values()] for r in batch.to_pylist()]
        header = find_header_row(rows)
        wanted: list[str | None] = [sheet_name]
        sheet = read_spreadsheet(path, fmt, wanted, header_row=header)[sheet_name]
        return ReadShape(fmt, None, None, header, sheet)
    raise IngestError(
        f"gbo mapping draft reads CSV, XLSX and ODS exports, not {fmt}",
        hint="write the mapping by hand from docs/mapping-files.md",
        path=path,
    )


def analyse(path: Path, sheet_name: str | None = None) -> Draft:
    """Detect the read settings and guess each column's field, dates and codes."""
    draft = Draft(read_shape(path, sheet_name), sheet_name=sheet_name)
    taken: set[tuple[str, str]] = set()
    table = draft.shape.sheet.table
    whole_names: dict[str, list[str]] = {}
    for name in draft.shape.sheet.source_columns:
        cells = table.column(name).to_pylist()
        values = [v.strip() for v in cells if v and v.strip()]
        draft.blanks[name] = len(cells) - len(values)
        if is_whole_name_header(name):
            whole_names[name] = values  # placed below, once the other columns are known
            continue
        guess = guess_field(name, taken)
        if guess is None and OFFENCE_CODE not in taken and looks_like_ho_codes(values):
            guess = OFFENCE_CODE
        dates = guess_date_formats(values) if values else None
        if dates is not None and (guess is None or "date" in guess[1] or guess[1] == "dob"):
            draft.dates[name] = dates
        if guess is None:
            continue
        taken.add(guess)
        draft.fields[name] = guess
        column = guess[1]
        if column in CODE_FIELDS:
            draft.values[name] = Counter(values)
        nulls = _column_nulls(column, values)
        if nulls:
            draft.column_nulls[name] = nulls
    names = {("person_record", "given_name"), ("person_record", "family_name")}
    if whole_names and not names & taken:
        # One column of whole names and no forename or surname column: split it.
        name, values = next(iter(whole_names.items()))
        draft.fields[name] = ("person_record", "given_name")
        draft.whole_names[name] = guess_name_order(values)
        nulls = _column_nulls("given_name", values)
        if nulls:
            draft.column_nulls[name] = nulls
    return draft


def _column_nulls(column: str, values: list[str]) -> list[str]:
    """Placeholder values of a name or postcode column (read as not recorded there only)."""
    counts = Counter(v.upper() for v in values)
    if column in {"given_name", "family_name", "middle_names"}:
        return sorted(v for v in counts if v in PLACEHOLDER_NAMES)
    if column == "postcode":
        import re

        shape = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}")
        return sorted(v for v, n in counts.items() if n >= 2 and not shape.fullmatch(v))
    return []


def render_draft(draft: Draft, path: Path, agency: str) -> str:
    """The drafted mapping file as TOML, with REVIEW comments."""
    shape = draft.shape
    today = datetime.now(UTC).date().isoformat()
    out = [
        f"# Drafted by `gbo mapping draft` from {path.name} on {today}.",
        "# Review every line marked REVIEW, then run `gbo mapping check` on this file.",
        "mapping_version = 1",
        f"agency = {q(agency)}",
    ]
    if shape.format == "csv":
        out.append(
            f"encoding = {q(_encoding_setting(shape.encoding))}  # detected: {shape.encoding}"
        )
        out.append(f"delimiter = {q(shape.delimiter or ',')}")
    out.append(f"header_row = {shape.header_row}" + (
        "  # detected: the lines above are a banner, not data" if shape.header_row > 1 else ""
    ))  # fmt: skip
    full, partial = _date_settings(draft)
    out.append(f"date_formats = [{', '.join(q(f) for f in full)}]")
    if partial:
        out.append(f"partial_date_formats = [{', '.join(q(f) for f in partial)}]")
    for name, guess in draft.dates.items():
        unread = f"; {guess.unread} values no format reads (REVIEW)" if guess.unread else ""
        out.append(f"# {name}: dates written as {', '.join(guess.formats)}{unread}")
    if any(f == ("offence", "ho_offence_code") for f in draft.fields.values()):
        out.append('crosswalks = { ho_offence_code = "home_office_offences" }')
    out.append("")
    excluded: dict[str, list[str]] = {}
    for source, (_, column) in draft.fields.items():
        if source in draft.values:
            out += _codes_table(source, column, draft.values[source], excluded)
    out += _tables(draft, excluded)
    unmapped = [c for c in shape.sheet.source_columns if c not in draft.fields]
    if unmapped:
        out.append(f"# REVIEW: columns left unmapped: {', '.join(q(c) for c in unmapped)}")
    return "\n".join(out) + "\n"


def _name_part_spec(draft: Draft, source: str, column: str) -> str:
    """A column of whole names split into ``column``, with what the user must confirm."""
    order = draft.whole_names[source]
    part = "given" if column == "given_name" else "family"
    nulls = draft.column_nulls.get(source)
    spec = f"column = {q(source)}, name_part = {q(part)}, name_order = {q(order)}"
    if nulls:
        spec += f", null_values = [{', '.join(q(n) for n in nulls)}]"
    written = {
        "family_comma_given": "FAMILY, Given",
        "given_family": "Given FAMILY",
        "family_given": "FAMILY Given",
    }[order]
    return f"{{ {spec} }}  # REVIEW: whole names, most written {written}"


def _encoding_setting(detected: str | None) -> str:
    if detected is None or detected.startswith(("utf-8", "utf-16")):
        return "auto"
    return detected.split("+")[-1]


def _date_settings(draft: Draft) -> tuple[list[str], list[str]]:
    from gbo.ingest.date_formats import ISO_FORMATS, format_precision

    seen: list[str] = []
    for guess in draft.dates.values():
        seen += [f for f in guess.formats if f not in seen]
    from gbo.ingest.draft_guess import DATE_FORMATS

    seen = [f for f in seen if f not in ISO_FORMATS]  # always accepted
    seen.sort(key=DATE_FORMATS.index)
    full = [f for f in seen if format_precision(f) == "day"] or ["%Y-%m-%d"]
    return full, [f for f in seen if format_precision(f) != "day"]


def _codes_table(
    source: str, column: str, values: Counter[str], excluded: dict[str, list[str]]
) -> list[str]:
    lines = [f"[codes.{column}]  # from column {q(source)}"]
    unplaced: list[tuple[str, int]] = []
    for value, n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CODE_VALUES]:
        guess = guess_code(value, column)
        if guess is None:
            unplaced.append((value, n))
            continue
        code, how = guess
        note = {"closest": "  # REVIEW: closest code by spelling", "not recorded": ""}.get(how, "")
        lines.append(f"{q(value)} = {q(code)}{note}  # {n} rows")
    if unplaced:
        lines.append(
            f"# REVIEW: no gbo {column} code fits these values; map each to a code from "
            "docs/codes.md, or leave their rows out with the exclude lines below:"
        )
        lines += [f'# {q(value)} = ""  # {n} rows{_why(value, column)}' for value, n in unplaced]
        if column in KEY_CODE_COLUMNS:
            excluded[source] = [value for value, _ in unplaced]
    if len(values) > MAX_CODE_VALUES:
        lines.append(f"# REVIEW: {len(values) - MAX_CODE_VALUES} rarer values not listed")
    return [*lines, ""]


def _why(value: str, column: str) -> str:
    """Why the Home Office offence crosswalk gives a value no gbo code, if it lists it."""
    entry = crosswalk_entry(value) if column == "ho_offence_code" else None
    if entry is None:
        return ""
    return f"; Home Office {entry.code}, {entry.description}: {entry.basis}"


# the columns that say which rows are one person or one offence, and what to check of each
KEY_COLUMNS = {
    "local_id": "is this the agency's id of one person (not of a crime or a case)?",
    "crime_ref": "is this the reference of one offence?",
}


def _tables(draft: Draft, excluded: dict[str, list[str]]) -> list[str]:
    by_table: dict[str, dict[str, str]] = {}
    for source, (table, column) in draft.fields.items():
        by_table.setdefault(table, {})[column] = source
        if source in draft.whole_names:
            by_table[table]["family_name"] = source
    person = by_table.get("person_record", {}).get("local_id")
    crime = by_table.get("offence", {}).get("crime_ref")
    if "involvement" in by_table:
        by_table["involvement"].update({"record_key": person or "", "offence_key": crime or ""})
    if "event" in by_table:
        by_table["event"]["record_key"] = person or ""
    lines: list[str] = []
    for table in TABLE_ORDER:
        columns = by_table.get(table)
        if not columns:
            continue
        missing = [c for c, s in columns.items() if not s]
        if (
            missing
            or (table == "person_record" and not person)
            or (table == "offence" and not crime)
        ):
            lines.append(f"# REVIEW: no column found for the key of {table}; add it and uncomment")
            prefix = "# "
        else:
            prefix = ""
        lines += [f"{prefix}[[tables]]", f"{prefix}target = {q(table)}"]
        if draft.sheet_name is not None:
            lines.append(f"{prefix}sheet = {q(draft.sheet_name)}")
        type_column = by_table[table].get("event_type") if table == "event" else None
        if type_column and draft.blanks.get(type_column):
            lines.append(
                f'{prefix}skip_if_blank = ["event_type"]  # {draft.blanks[type_column]} rows '
                "have no contact: they give no event"
            )
        # An offence or a role gbo has no code for leaves the row out of every table it
        # feeds (else an involvement would name an offence that is not there, or a witness
        # would be kept as a person); a contact type only leaves out the event.
        exclusions = {
            source: values
            for source, values in excluded.items()
            if draft.fields.get(source, ("", ""))[0] in {table, "offence", "involvement"}
        }
        if exclusions:
            listed = ", ".join(
                f"{q(source)} = [{', '.join(q(v) for v in values)}]"
                for source, values in exclusions.items()
            )
            lines.append("# REVIEW: to leave these rows out, uncomment:")
            lines.append(f"# exclude = {{ {listed} }}")
        lines.append(f"{prefix}[tables.columns]")
        for column, source in columns.items():
            nulls = draft.column_nulls.get(source)
            if source in draft.whole_names and column in {"given_name", "family_name"}:
                lines.append(f"{prefix}{column} = {_name_part_spec(draft, source, column)}")
            elif column in KEY_COLUMNS and source:
                # a key guessed wrongly joins different people or offences into one, with
                # nothing to show for it but conflicting repeats
                lines.append(f"{prefix}{column} = {q(source)}  # REVIEW: {KEY_COLUMNS[column]}")
            elif nulls:
                spec = (
                    f"{{ column = {q(source)}, null_values = [{', '.join(q(n) for n in nulls)}] }}"
                )
                lines.append(
                    f"{prefix}{column} = {spec}  # REVIEW: placeholders read as not recorded"
                )
            else:
                lines.append(f"{prefix}{column} = {q(source)}")
        lines.append("")
    return lines
