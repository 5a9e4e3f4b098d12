"""Getting the text out of every kind of file a run folder can hold.

Each reader yields ``(location, value, is_cell)`` triples: ``is_cell`` marks a value that
stands alone (a table cell, an HTML text node, a JSON string), which the leak scan also
checks against name parts.

A chart specification (Vega-Lite JSON) is mostly settings written by code: a value such as
``"labelFontWeight": "bold"`` is a keyword of the chart grammar, not data, even when it is
also somebody's family name (Bold). Such a value is searched as text, not as a cell, when
it is one of the grammar's own keywords (the enumerations of the Vega-Lite schema bundled
with Altair), stands alone as a setting (not in a list, such as a sort order of categories)
and lies outside the chart's data (``datasets``, ``data``). Everything else in a chart,
titles and category labels included, is checked as before.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from html.parser import HTMLParser
from itertools import repeat
from pathlib import Path, PurePosixPath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

Piece = tuple[str, str, bool]
# Given a column's distinct strings, which of them are worth checking (a boolean mask); the
# others can hold no identifier (see ``IdentifierSet.worth_checking``).
Sieve = Callable[[pa.Array], pa.Array]

TAG = re.compile(r"<[^>]+>")
MAX_ZIP_MEMBER_BYTES = 512 * 1024 * 1024
XML_LIKE = {".html", ".htm", ".svg", ".xml", ".xhtml", ".rels"}
VEGA_LITE = "https://vega.github.io/schema/vega-lite/"
CHART_DATA_KEYS = {"datasets", "data"}
#: CSV files this long or longer are read by Arrow; below it, the ``csv`` module is quicker.
ARROW_CSV_BYTES = 1 << 18
#: Big tables are read this much at a time, so a scan's memory does not grow with a file.
CSV_BLOCK_BYTES = 1 << 26
BATCH_ROWS = 1 << 20
#: A file to read: its contents, or its path (Parquet and CSV files are then streamed).
Source = bytes | Path


def _size(source: Source) -> int:
    return len(source) if isinstance(source, bytes) else source.stat().st_size


def _arrow_input(source: Source) -> pa.NativeFile | str:
    return pa.BufferReader(source) if isinstance(source, bytes) else str(source)


def _text_stream(source: Source) -> io.TextIOWrapper:
    """The file as text for the ``csv`` module (UTF-8, bad bytes replaced)."""
    binary = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    return io.TextIOWrapper(binary, "utf-8", errors="replace", newline="")


@lru_cache(maxsize=1)
def vega_lite_keywords() -> frozenset[str]:
    """Every keyword the Vega-Lite grammar takes as a setting (its schema's enumerations)."""
    from altair.vegalite.v6.schema.core import load_schema

    words: set[str] = set()
    stack: list[object] = [load_schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            enum = node.get("enum")
            if isinstance(enum, list):
                words.update(v for v in enum if isinstance(v, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(words)


def _parquet(source: Source, sieve: Sieve | None = None) -> Iterator[Piece]:
    """Every distinct string of every column (list columns flattened), read a batch of rows
    at a time, so a file of any size is scanned in bounded memory; then the metadata."""
    parquet = pq.ParquetFile(_arrow_input(source))
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            kind = column.type
            if pa.types.is_list(kind) or pa.types.is_large_list(kind):
                column = pc.list_flatten(column)
                kind = column.type
            if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
                continue
            distinct = pc.drop_null(pc.unique(column))
            if sieve is not None:
                distinct = distinct.filter(sieve(distinct))
            for value in distinct.to_pylist():
                yield f"column {name}", value, True
    for key, value in (parquet.schema_arrow.metadata or {}).items():
        yield "schema metadata", (key + b" " + value).decode("utf-8", "replace"), False


def _csv(source: Source, sieve: Sieve | None = None) -> Iterator[Piece]:
    """Every field; the header line is written by code, so it is searched as text only.

    With ``sieve``, a file of :data:`ARROW_CSV_BYTES` or more is read by Arrow, a block of
    lines and a column at a time, and only the fields worth checking are given, in the same
    order and with the same line numbers (a line being a record, as the ``csv`` module
    counts them). A smaller file, or one Arrow will not read (lines of different lengths, a
    quote left open, not UTF-8), is read field by field with ``csv``; where Arrow gives up
    part of the way through, ``csv`` goes on from the first line Arrow did not give."""
    done = [0]  # the lines already given
    if sieve is not None and _size(source) >= ARROW_CSV_BYTES:
        try:
            yield from _csv_by_arrow(source, sieve, done)
            return
        except _NotArrowCsvError:
            pass
    with _text_stream(source) as text:
        for line_number, row in enumerate(csv.reader(text), start=1):
            if line_number > done[0]:
                for value in row:
                    yield f"line {line_number}", _one_newline(value), line_number > 1


def _one_newline(value: str) -> str:
    """The field with every line break inside it written "\n". Arrow's streaming reader can
    split a quoted CRLF between two blocks and drop its LF; both readings give line breaks
    one way, which no identifier contains, so the two readings give the same fields."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


class _NotArrowCsvError(Exception):
    """Arrow cannot read this CSV file as the ``csv`` module does."""


def _csv_by_arrow(source: Source, sieve: Sieve, done: list[int]) -> Iterator[Piece]:
    """The Arrow reading of :func:`_csv`; ``done[0]`` counts the lines given so far."""
    with _text_stream(source) as header:
        try:
            width = len(next(csv.reader(header), []))
        except csv.Error as error:
            raise _NotArrowCsvError from error
    if not width:
        raise _NotArrowCsvError
    try:
        reader = pa_csv.open_csv(
            _arrow_input(source),
            read_options=pa_csv.ReadOptions(
                autogenerate_column_names=True, block_size=CSV_BLOCK_BYTES
            ),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        if reader.schema.names != [f"f{i}" for i in range(width)]:
            raise _NotArrowCsvError
        first = 0
        for batch in reader:
            if not all(pa.types.is_string(t) for t in batch.schema.types):
                raise _NotArrowCsvError
            kept: list[tuple[int, int, str]] = []
            for place, values in enumerate(batch.columns):
                rows = np.flatnonzero(np.asarray(sieve(values)))
                found = values.take(rows).to_pylist()
                kept.extend(zip((rows + first).tolist(), repeat(place), found, strict=False))
            kept.sort()
            for line, _, value in kept:
                yield f"line {line + 1}", _one_newline(value), line > 0
            first += batch.num_rows
            done[0] = first
    except pa.ArrowInvalid as error:
        raise _NotArrowCsvError from error


def _json(text: str) -> Iterator[Piece]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        yield "text", text, False
        return

    is_chart = isinstance(data, dict) and str(data.get("$schema", "")).startswith(VEGA_LITE)
    keywords = vega_lite_keywords() if is_chart else frozenset()

    def walk(node: object, where: str, is_setting: bool) -> Iterator[Piece]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield where, str(key), False
                setting = is_setting and not (where == "" and key in CHART_DATA_KEYS)
                yield from walk(value, f"{where}.{key}" if where else str(key), setting)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{where}[{i}]", False)
        elif isinstance(node, str):
            yield where or "value", node, not (is_setting and node in keywords)

    yield from walk(data, "", is_chart)


class _HtmlCells(HTMLParser):
    """Text inside table data cells (``td``) of an HTML page, with line numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.cells: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "td"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "td" and self.depth > 0

    def handle_data(self, data: str) -> None:
        if self.depth and data.strip():
            self.cells.append((self.getpos()[0], data.strip()))


def _markup(text: str, suffix: str) -> Iterator[Piece]:
    """HTML: data cells are cells; XML (spreadsheet parts, SVG): every text node is."""
    if suffix in {".html", ".htm", ".xhtml"}:
        parser = _HtmlCells()
        parser.feed(text)
        for line_number, value in parser.cells:
            yield f"line {line_number}", value, True
    else:
        for line_number, line in enumerate(text.splitlines(), start=1):
            for segment in TAG.split(line):
                if segment.strip():
                    yield f"line {line_number}", segment.strip(), True
    yield "text", TAG.sub(" ", text), False


def _zip(data: bytes, sieve: Sieve | None = None) -> Iterator[Piece]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir() or info.file_size > MAX_ZIP_MEMBER_BYTES:
                continue
            inner = archive.read(info)
            member = PurePosixPath(info.filename).name
            for where, value, is_cell in pieces(member, inner, sieve):
                yield f"{info.filename}: {where}", value, is_cell


def _pdf(data: bytes) -> Iterator[Piece]:
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        yield f"page {number}", page.extract_text() or "", False


def pieces(name: str, data: bytes, sieve: Sieve | None = None) -> Iterator[Piece]:
    """The text pieces of one file called ``name`` with contents ``data``, chosen by its
    name and first bytes. With ``sieve``, the values of a Parquet or CSV column that cannot
    hold an identifier are left out."""
    yield from _pieces(name, data, data[:5], sieve)


def file_pieces(path: Path, sieve: Sieve | None = None) -> Iterator[Piece]:
    """:func:`pieces` of the file at ``path``; a Parquet or CSV file is streamed from disk
    rather than read whole (at national scale one can be gigabytes)."""
    with path.open("rb") as file:
        head = file.read(5)
    yield from _pieces(path.name, path, head, sieve)


def _pieces(name: str, source: Source, head: bytes, sieve: Sieve | None) -> Iterator[Piece]:
    suffix = Path(name).suffix.lower()
    if head[:4] == b"PAR1":
        yield from _parquet(source, sieve)
    elif head[:4] == b"PK\x03\x04":
        yield from _zip(_bytes(source), sieve)
    elif head == b"%PDF-":
        yield from _pdf(_bytes(source))
    elif suffix in {".csv", ".tsv"}:
        yield from _csv(source, sieve)
    else:
        text = _bytes(source).decode("utf-8", errors="replace")
        if suffix in {".json", ".ndjson", ".geojson"}:
            yield from _json(text)
        elif suffix in XML_LIKE or text.lstrip().startswith("<"):
            yield from _markup(text, suffix)
        else:
            for line_number, line in enumerate(text.splitlines(), start=1):
                yield f"line {line_number}", line, False


def _bytes(source: Source) -> bytes:
    return source if isinstance(source, bytes) else source.read_bytes()
