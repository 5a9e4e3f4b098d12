"""Deliberately bad rows, for ingest to quarantine or report, and the record of each.

Four kinds, each at a rate of :class:`~gbo.synth.settings.BadRowSettings`: a date that does
not exist (31 February), a date after the export, a code value no mapping translates, and an
exact copy of a row written straight after it. Every bad row is listed in the ground truth
with its sheet, column and physical line (CSV, NDJSON) or row (XLSX) in the file as written,
counted from 1 as ingest counts them: the header is line 1 of a CSV or sheet, so its first
data row is line 2; an NDJSON file has no header. A sheet too long for one worksheet is
continued on further sheets (``Children 2``, ...), each with its own header row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.synth.settings import BadRowSettings
from gbo.synth.writers import XLSX_MAX_DATA_ROWS, format_dates, sheet_parts

KINDS = ("impossible_date", "future_date", "unknown_code", "duplicate_row")


@dataclass(frozen=True)
class BadRowSpec:
    """Where in one table bad values go, written in the agency's own style."""

    date_column: str | None
    date_format: str  # strftime format of that column, e.g. %d/%m/%Y
    code_column: str | None
    unknown_code: str


@dataclass
class BadRowLog:
    """Bad rows planted so far (for the ground truth)."""

    agency: list[str]
    source_file: list[str]
    sheet: list[str | None]
    source_row: list[int]
    kind: list[str]
    column: list[str | None]

    @classmethod
    def empty(cls) -> BadRowLog:
        return cls([], [], [], [], [], [])

    def add(
        self,
        agency: str,
        source_file: str,
        sheet: str | None,
        rows: np.ndarray,
        kind: str,
        column: str | None,
    ) -> None:
        n = len(rows)
        self.agency += [agency] * n
        self.source_file += [source_file] * n
        self.sheet += [sheet] * n
        self.source_row += [int(r) for r in rows]
        self.kind += [kind] * n
        self.column += [column] * n


def _impossible_dates(rng: np.random.Generator, n: int, fmt: str) -> np.ndarray:
    """31 February of a random year, in the format ``fmt``."""
    pattern = fmt
    for directive, value in (("%d", "31"), ("%m", "02"), ("%H", "10"), ("%M", "15"), ("%S", "00")):
        pattern = pattern.replace(directive, value)
    before, _, after = pattern.partition("%Y")
    years = rng.integers(2012, 2025, n).astype(str).astype(object)
    return (before + years + after).astype(object) if n else np.zeros(0, dtype=object)


def plant_bad_rows(
    rng: np.random.Generator,
    table: pa.Table,
    spec: BadRowSpec,
    rates: BadRowSettings,
    extract_date: dt.date,
    log: BadRowLog,
    *,
    agency: str,
    source_file: str,
    sheet: str | None = None,
    header_lines: int = 1,
    sheet_limit: int = XLSX_MAX_DATA_ROWS,
    rows_before: int = 0,
) -> pa.Table:
    """Corrupt values in some rows of ``table``, copy some rows, and log them all.

    ``header_lines`` is the number of lines above the first data row in the written file
    (1 for a CSV or sheet with a header, 0 for NDJSON); a ``sheet`` longer than
    ``sheet_limit`` data rows is logged on the continuation sheet its row is written to.
    ``rows_before`` data rows of earlier shards are already in the file above this table.
    """
    n = table.num_rows
    u = rng.random(n)
    edges = np.cumsum([rates.impossible_date_rate, rates.future_date_rate, rates.unknown_code_rate])
    no = np.zeros(n, dtype=bool)
    has_date = pc.is_valid(table[spec.date_column]).to_numpy() if spec.date_column else no
    impossible = has_date & (u < edges[0])
    future = has_date & (u >= edges[0]) & (u < edges[1])
    has_code = pc.is_valid(table[spec.code_column]).to_numpy() if spec.code_column else no
    unknown = has_code & (u >= edges[1]) & (u < edges[2])
    duplicate = ~(impossible | future | unknown) & (rng.random(n) < rates.duplicate_row_rate)
    if spec.date_column:
        later = np.datetime64(extract_date, "D") + rng.integers(15 * 365, 35 * 365, future.sum())
        bad = np.full(n, None, dtype=object)
        bad[future] = format_dates(later, spec.date_format).to_numpy(zero_copy_only=False)
        bad[impossible] = _impossible_dates(rng, int(impossible.sum()), spec.date_format)
        table = _replace(table, spec.date_column, impossible | future, bad)
    if spec.code_column:
        codes = np.full(n, spec.unknown_code, dtype=object)
        table = _replace(table, spec.code_column, unknown, codes)

    # Data row indexes once the copies are in (0 = first data row); a copy follows its
    # original.
    shift = np.cumsum(duplicate) - duplicate
    new_index = rows_before + np.arange(n) + shift
    written = rows_before + n + int(duplicate.sum())
    for kind, mask, column in (
        ("impossible_date", impossible, spec.date_column),
        ("future_date", future, spec.date_column),
        ("unknown_code", unknown, spec.code_column),
        ("duplicate_row", duplicate, None),
    ):
        index = new_index[mask] + (1 if kind == "duplicate_row" else 0)
        if sheet is None:
            log.add(agency, source_file, None, index + header_lines + 1, kind, column)
            continue
        for part, rows in sheet_parts(sheet, written, sheet_limit):
            inside = index[(index >= rows.start) & (index < rows.stop)]
            log.add(agency, source_file, part, inside - rows.start + header_lines + 1, kind, column)
    return table.take(pa.array(np.repeat(np.arange(n), 1 + duplicate.astype(np.int64))))


def _replace(table: pa.Table, column: str, mask: np.ndarray, values: np.ndarray) -> pa.Table:
    """``table`` with ``column`` set to ``values`` where ``mask`` holds."""
    if not mask.any():
        return table
    index = table.schema.get_field_index(column)
    current = table.column(index).combine_chunks()
    replaced = pc.if_else(pa.array(mask), pa.array(values, type=pa.string()), current)
    return table.set_column(index, column, replaced)
