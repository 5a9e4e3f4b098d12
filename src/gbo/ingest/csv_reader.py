"""Reading delimited text exports: encoding, delimiter check, and ragged rows kept aside.

The fast path is Arrow's multi-threaded CSV parser with every column as text. If any row
has the wrong number of fields, the file is parsed again with Python's ``csv`` module so
that each such row is kept, with its line number, as a malformed row to be quarantined; the
same slow path numbers rows when blank lines (counted, not rows) or values spanning lines
make line numbers differ from row numbers. The header is the first non-blank line, or the
mapping's ``header_row``; lines above it (a title banner) are ignored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from gbo.errors import IngestError
from gbo.ingest.draft_guess import find_header_row
from gbo.ingest.text_decoding import DecodedText, decode_text
from gbo.ingest.text_table import (
    MalformedRow,
    SheetData,
    check_header,
    check_not_banner,
    text_table,
)

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(
        delimiter, repr(delimiter)
    )


@dataclass(frozen=True)
class HeaderLine:
    """Where the header is: its 1-based line number, its text, and where the lines after it
    start in the file's text (kept whole: a view of the body is not a copy of it)."""

    number: int
    text: str
    data: bytes
    start: int

    @property
    def body(self) -> memoryview:
        return memoryview(self.data)[self.start :]

    def body_lines(self) -> int:
        """Physical lines after the header (a last line without a line end counts)."""
        n = self.data.count(b"\n", self.start)
        return n + (1 if len(self.data) > self.start and not self.data.endswith(b"\n") else 0)


def find_header(data: bytes, header_row: int | None, skip_rows: int) -> HeaderLine | None:
    """The header line: ``header_row`` if given, else the first non-blank line after the
    first ``skip_rows`` lines (None when there is none)."""
    position = 0
    number = 0
    while position < len(data):
        end = data.find(b"\n", position)
        end = len(data) if end < 0 else end
        number += 1
        line = data[position:end]
        wanted = number == header_row if header_row is not None else number > skip_rows
        if wanted and (header_row is not None or line.strip()):
            text = line.decode("utf-8", errors="replace").rstrip("\r")
            return HeaderLine(number, text, data, min(end + 1, len(data)))
        if header_row is not None and number >= header_row:
            break
        position = end + 1
    return None


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


def read_csv(
    path: Path, delimiter: str, encoding: str, *, header_row: int | None = None, skip_rows: int = 0
) -> tuple[SheetData, DecodedText]:
    """Read a delimited export; every value as text, each row numbered by the physical line
    it starts on (the header counts as a line; so do blank lines, which are counted)."""
    raw = path.read_bytes()
    if not raw or raw.isspace():
        raise IngestError("the file is empty", hint="export it again with a header row", path=path)
    decoded = decode_text(raw, encoding)
    del raw  # a file of gigabytes is held once as read and once as UTF-8 at most
    header = find_header(decoded.data, header_row, skip_rows)
    if header is None or not header.text.strip():
        where = f"line {header_row}" if header_row is not None else f"after line {skip_rows}"
        raise IngestError(
            f"no header row: {where} is blank or past the end of the file",
            hint="set header_row in the mapping file to the line that names the columns",
            path=path,
        )
    if "\r" in header.text:
        raise IngestError(
            f"line {header.number} (the header) holds a carriage return that ends no line: the "
            "file may use old Mac line endings, which gbo does not read",
            hint="save the file again with Windows (CRLF) or Unix (LF) line endings",
            path=path,
        )
    check_delimiter(header.text, delimiter, path)
    names = parse_header(header.text, delimiter)
    if header_row is None:
        sample = decoded.data[:65536].decode("utf-8", errors="replace").splitlines()[:40]
        first_rows = [parse_header(line, delimiter) for line in sample]
        check_not_banner(names, header.number, find_header_row(first_rows), path)
    check_header(names, path)
    n_invalid = 0

    def count_invalid(row: pa_csv.InvalidRow) -> str:
        nonlocal n_invalid
        n_invalid += 1
        return "skip"

    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(header.body)),
            read_options=pa_csv.ReadOptions(column_names=names),
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
    if n_invalid or header.body_lines() != table.num_rows or _has_empty_row(table):
        # Ragged rows, blank lines (empty, or delimiters only) or values over several lines:
        # read row by row, so that every row keeps the line it starts on.
        return _read_csv_by_row(bytes(header.body), header.number, names, delimiter), decoded
    first = header.number + 1
    rows = pa.array(np.arange(first, first + table.num_rows, dtype=np.int64))
    columns = [table.column(i) for i in range(table.num_columns)]
    return SheetData(None, text_table(names, columns, rows)), decoded


def _has_empty_row(table: pa.Table) -> bool:
    """True when some row holds no value in any column (a line of delimiters only)."""
    if table.num_rows == 0 or table.num_columns == 0:
        return False
    empty: pa.ChunkedArray | None = None
    for column in table.columns:
        blank = pc.equal(pc.utf8_trim_whitespace(column), "")
        empty = blank if empty is None else pc.and_(empty, blank)
        if not pc.any(empty).as_py():
            return False  # usually settled by the first column (a key is rarely blank)
    return True


def _read_csv_by_row(body: bytes, header_line: int, names: list[str], delimiter: str) -> SheetData:
    """The slow path: ragged rows kept aside, blank lines counted, physical line numbers."""
    text = body.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    good: list[list[str]] = []
    rows: list[int] = []
    malformed: list[MalformedRow] = []
    blank: list[int] = []
    next_line = 1
    for fields in reader:
        line = header_line + next_line
        next_line = reader.line_num + 1
        if not fields or all(not f.strip() for f in fields):
            blank.append(line)
            continue
        if len(fields) == len(names):
            good.append(fields)
            rows.append(line)
        else:
            malformed.append(MalformedRow(line, delimiter.join(fields)[:2000]))
    columns = [pa.array(list(col), pa.string()) for col in zip(*good, strict=True)] or [
        pa.array([], pa.string()) for _ in names
    ]
    return SheetData(None, text_table(names, columns, rows), malformed, blank)
