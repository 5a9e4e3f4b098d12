"""Readers: every supported export format to Arrow tables of text, one per sheet.

Every value is read as text (or null), whatever the format, so that validation sees exactly
what the agency wrote: numbers, dates and yes/no cells become their plain text form, and
dates and codes are interpreted later by the mapping. Each table carries ``ROW_COLUMN``: the
physical line a row starts on in a CSV or NDJSON file (the header is line 1 unless a banner
sits above it), the row number in a spreadsheet, the record number (1 = first) in Parquet or
a JSON list. Wholly blank lines and rows are counted, never rows. Rows that cannot even be
split into columns (a CSV line with the wrong number of fields, an NDJSON line that is not
JSON) are kept aside as *malformed* rows, so they can be quarantined rather than lost.

A file that cannot be read at all raises :class:`IngestError` with what to do about it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from gbo.errors import IngestError
from gbo.ingest.csv_reader import read_csv
from gbo.ingest.sheet_values import cells_to_text_array, value_to_text
from gbo.ingest.spreadsheet_reader import read_spreadsheet
from gbo.ingest.text_table import ROW_COLUMN, MalformedRow, SheetData, text_table
from gbo.schema.mapping import AgencyMapping, FileFormat

__all__ = ["ROW_COLUMN", "MalformedRow", "SheetData", "SourceData", "detect_format", "read_source"]

_EXTENSIONS: dict[str, FileFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".ods": "ods",
    ".parquet": "parquet",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}


@dataclass
class SourceData:
    """One export as read: its sheets (one, ``None``, for non-spreadsheets) and encoding."""

    format: FileFormat
    sheets: dict[str | None, SheetData]
    encoding: str | None = None
    n_legacy_lines: int = 0
    notes: list[str] = field(default_factory=list)


def detect_format(path: Path, mapping: AgencyMapping) -> FileFormat:
    """The file's format: from the mapping, else from the file name's extension."""
    if mapping.format is not None:
        return mapping.format
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise IngestError(
            f"unknown file format {path.suffix or '(no extension)'!r}",
            hint="name the file .csv, .xlsx, .ods, .parquet, .json or .ndjson, "
            "or set format in its mapping file",
            path=path,
        )
    return found


def read_source(path: Path, mapping: AgencyMapping) -> SourceData:
    """Read the sheets of ``path`` that ``mapping`` uses, every value as text."""
    fmt = detect_format(path, mapping)
    if not path.is_file():
        raise IngestError("file not found", hint="check the path in the configuration", path=path)
    if path.stat().st_size == 0:
        raise IngestError("the file is empty", hint="export it again with a header row", path=path)
    if fmt in {"xlsx", "ods"}:
        wanted = list(dict.fromkeys(t.sheet for t in mapping.tables))
        sheets = read_spreadsheet(
            path, fmt, wanted, header_row=mapping.header_row, skip_rows=mapping.skip_rows
        )
        return SourceData(fmt, sheets)
    if fmt == "csv":
        sheet, decoded = read_csv(
            path,
            mapping.delimiter,
            mapping.encoding,
            header_row=mapping.header_row,
            skip_rows=mapping.skip_rows,
        )
        return SourceData(fmt, {None: sheet}, decoded.encoding, decoded.n_legacy_lines)
    if fmt == "parquet":
        return SourceData(fmt, {None: _read_parquet(path)})
    if fmt == "json":
        return SourceData(fmt, {None: _read_json(path)}, "utf-8")
    return SourceData(fmt, {None: _read_ndjson(path)}, "utf-8")


def _column_to_text(column: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column.cast(pa.string())
    if pa.types.is_null(column.type):
        return pa.nulls(len(column), pa.string())
    if pa.types.is_dictionary(column.type):
        return _column_to_text(column.cast(column.type.value_type))
    if pa.types.is_floating(column.type):
        return pa.array([value_to_text(v) for v in column.to_pylist()], pa.string())
    if pa.types.is_timestamp(column.type):
        return pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
    try:
        return column.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([value_to_text(v) for v in column.to_pylist()], pa.string())


def _arrow_to_text(table: pa.Table) -> SheetData:
    names = [str(n).strip() for n in table.column_names]
    columns = [_column_to_text(table.column(i)) for i in range(table.num_columns)]
    return SheetData(None, text_table(names, columns, list(range(1, table.num_rows + 1))))


def _read_parquet(path: Path) -> SheetData:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise IngestError(
            f"not a readable Parquet file ({exc})",
            hint="check the file is complete; export it again",
            path=path,
        ) from exc
    return _arrow_to_text(table)


def _records_to_sheet(records: list[tuple[int, object]]) -> SheetData:
    """Rows of JSON objects to a text table; anything that is not an object is malformed."""
    names: dict[str, None] = {}
    good: list[tuple[int, dict[str, object]]] = []
    malformed: list[MalformedRow] = []
    for number, record in records:
        if isinstance(record, dict):
            good.append((number, record))
            names.update(dict.fromkeys(str(k).strip() for k in record))
        else:
            malformed.append(MalformedRow(number, json.dumps(record, default=str)[:2000]))
    columns = [cells_to_text_array([record.get(name) for _, record in good]) for name in names]
    rows = [number for number, _ in good]
    return SheetData(None, text_table(list(names), columns, rows), malformed)


def _read_json(path: Path) -> SheetData:
    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(
            f"not valid JSON ({exc})",
            hint="export it again; for one record per line, name the file .ndjson",
            path=path,
        ) from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise IngestError(
                "a JSON export must be a list of records (or an object holding one such list)",
                path=path,
            )
        data = lists[0]
    if not isinstance(data, list):
        raise IngestError("a JSON export must be a list of records", path=path)
    return _records_to_sheet(list(enumerate(data, start=1)))


def _count_lines(path: Path) -> int:
    """Lines in a file (a last line without a line end counts), read a block at a time."""
    n, last = 0, b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (1 if last and last != b"\n" else 0)


def _read_ndjson(path: Path) -> SheetData:
    """Arrow's parser first (blank lines skipped); line by line if any line is bad."""
    try:
        table = _arrow_to_text(pa_json.read_json(path))
        if _count_lines(path) == table.table.num_rows:
            return table
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass  # a bad line, or values of mixed kinds: read line by line instead
    records: list[tuple[int, object]] = []
    malformed: list[MalformedRow] = []
    number = 0
    blank: list[int] = []
    with path.open("rb") as lines:
        for line in lines:
            number += 1
            if not line.strip():
                blank.append(number)
                continue
            try:
                records.append((number, json.loads(line)))
            except (json.JSONDecodeError, UnicodeDecodeError):
                text = line.decode("utf-8", errors="replace").rstrip("\r\n")
                malformed.append(MalformedRow(number, text[:2000]))
    if number == len(blank):
        raise IngestError("the file has no records", hint="export it again", path=path)
    sheet = _records_to_sheet(records)
    sheet.malformed.extend(malformed)
    last = max([r for r, _ in records] + [m.row for m in malformed], default=0)
    sheet.blank_lines = [b for b in blank if b < last]
    return sheet
