"""Reading delimited text exports: encoding, delimiter check, and ragged rows kept aside.

The fast path is Arrow's multi-threaded CSV parser with every column as text. If any row
has the wrong number of fields, the file is parsed again with Python's ``csv`` module so
that each such row is kept, with its row number, as a malformed row to be quarantined.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from gbo.errors import IngestError
from gbo.ingest.text_decoding import DecodedText, decode_text
from gbo.ingest.text_table import MalformedRow, SheetData, check_header, text_table

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(
        delimiter, repr(delimiter)
    )


def _header_line(text: bytes) -> str:
    for line in text.split(b"\n", 50)[:50]:
        if line.strip():
            return line.decode("utf-8", errors="replace").rstrip("\r")
    return ""


def parse_header(line: str, delimiter: str) -> list[str]:
    return [name.strip() for name in next(csv.reader([line], delimiter=delimiter), [])]


def check_delimiter(header: str, delimiter: str, path: Path) -> None:
    """A header that is one column on the mapping's delimiter but several on another."""
    if len(parse_header(header, delimiter)) > 1:
        return
    for other in CANDIDATE_DELIMITERS:
        if other != delimiter and len(parse_header(header, other)) > 1:
            raise IngestError(
                f"wrong delimiter: the header is one column when split on "
                f"{_delimiter_name(delimiter)} but {len(parse_header(header, other))} columns "
                f"on {_delimiter_name(other)}",
                hint=f"set delimiter = {json_string(other)} in the mapping file",
                path=path,
            )


def json_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def read_csv(path: Path, delimiter: str, encoding: str) -> tuple[SheetData, DecodedText]:
    """Read a delimited export; every value as text."""
    raw = path.read_bytes()
    if not raw.strip():
        raise IngestError("the file is empty", hint="export it again with a header row", path=path)
    decoded = decode_text(raw, encoding)
    header = _header_line(decoded.data)
    check_delimiter(header, delimiter, path)
    names = parse_header(header, delimiter)
    check_header(names, path)
    n_invalid = 0

    def count_invalid(row: pa_csv.InvalidRow) -> str:
        nonlocal n_invalid
        n_invalid += 1
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(decoded.data),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=count_invalid
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        n_invalid += 1
    if n_invalid:
        return _read_csv_by_row(decoded, names, delimiter), decoded
    rows = list(range(1, table.num_rows + 1))
    columns = [table.column(i) for i in range(table.num_columns)]
    return SheetData(None, text_table(names, columns, rows)), decoded


def _read_csv_by_row(decoded: DecodedText, names: list[str], delimiter: str) -> SheetData:
    """The slow path, used only when some rows are ragged: keep each ragged row aside."""
    text = decoded.data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    good: list[list[str]] = []
    rows: list[int] = []
    malformed: list[MalformedRow] = []
    number = 0
    header_seen = False
    for fields in reader:
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if not header_seen:
            header_seen = True
            continue
        number += 1
        if len(fields) == len(names):
            good.append(fields)
            rows.append(number)
        else:
            malformed.append(MalformedRow(number, delimiter.join(fields)[:2000]))
    columns = [pa.array(list(col), pa.string()) for col in zip(*good, strict=True)] or [
        pa.array([], pa.string()) for _ in names
    ]
    return SheetData(None, text_table(names, columns, rows), malformed)
