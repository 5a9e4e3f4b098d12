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


def _parquet(data: bytes, sieve: Sieve | None = None) -> Iterator[Piece]:
    table = pq.read_table(io.BytesIO(data))
    for name in table.column_names:
        column = table[name]
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
    for key, value in (table.schema.metadata or {}).items():
        yield "schema metadata", (key + b" " + value).decode("utf-8", "replace"), False


def _csv(data: bytes, sieve: Sieve | None = None) -> Iterator[Piece]:
    """Every field; the header line is written by code, so it is searched as text only.

    With ``sieve``, a file of :data:`ARROW_CSV_BYTES` or more is read by Arrow a column at
    a time and only the fields worth checking are given, in the same order and with the
    same line numbers (a line being a record, as the ``csv`` module counts them). A smaller
    file, or one Arrow will not read (lines of different lengths, a quote left open), is
    read field by field with ``csv``."""
    big = sieve is not None and len(data) >= ARROW_CSV_BYTES
    table = _csv_table(data) if big else None
    if table is None or sieve is None:
        text = data.decode("utf-8", errors="replace")
        for line_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            for value in row:
                yield f"line {line_number}", value, line_number > 1
        return
    kept: list[tuple[int, int, str]] = []
    for place, column in enumerate(table.columns):
        values = column.combine_chunks()
        rows = np.flatnonzero(np.asarray(sieve(values)))
        kept.extend(zip(rows.tolist(), repeat(place), values.take(rows).to_pylist(), strict=False))
    kept.sort()
    for line, _, value in kept:
        yield f"line {line + 1}", value, line > 0


def _csv_table(data: bytes) -> pa.Table | None:
    """Every field of a CSV file as a string, the header line as the first row, or None
    where Arrow cannot read it the way the ``csv`` module does (or it is not UTF-8)."""
    header = io.TextIOWrapper(io.BytesIO(data), "utf-8", errors="replace", newline="")
    try:
        width = len(next(csv.reader(header), []))
    except csv.Error:
        return None
    if not width:
        return None
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    every_string = all(pa.types.is_string(t) for t in table.schema.types)
    return table if every_string and table.num_columns == width else None


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
    """The text pieces of one file, chosen by its name and first bytes. With ``sieve``, the
    values of a Parquet or CSV column that cannot hold an identifier are left out."""
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PAR1":
        yield from _parquet(data, sieve)
    elif data[:4] == b"PK\x03\x04":
        yield from _zip(data, sieve)
    elif data[:5] == b"%PDF-":
        yield from _pdf(data)
    elif suffix in {".csv", ".tsv"}:
        yield from _csv(data, sieve)
    else:
        text = data.decode("utf-8", errors="replace")
        if suffix in {".json", ".ndjson", ".geojson"}:
            yield from _json(text)
        elif suffix in XML_LIKE or text.lstrip().startswith("<"):
            yield from _markup(text, suffix)
        else:
            for line_number, line in enumerate(text.splitlines(), start=1):
                yield f"line {line_number}", line, False
