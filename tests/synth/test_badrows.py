"""Planted bad rows are logged at the line or sheet row they are written to."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from gbo.synth.badrows import BadRowLog, BadRowSpec, plant_bad_rows
from gbo.synth.settings import BadRowSettings
from gbo.synth.writers import sheet_parts

SPEC = BadRowSpec("born", "%d/%m/%Y", "code", "ZZ")
RATES = BadRowSettings(
    impossible_date_rate=0.1, future_date_rate=0.1, unknown_code_rate=0.1, duplicate_row_rate=0.1
)


def _plant(
    header_lines: int, sheet: str | None = None, limit: int = 10_000
) -> tuple[pa.Table, BadRowLog]:
    n = 120
    table = pa.table(
        {"id": [str(i) for i in range(n)], "born": ["01/01/2000"] * n, "code": ["A"] * n}
    )
    log = BadRowLog.empty()
    written = plant_bad_rows(
        np.random.default_rng(3), table, SPEC, RATES, dt.date(2025, 1, 1), log,
        agency="police", source_file="x.csv", sheet=sheet, header_lines=header_lines,
        sheet_limit=limit,
    )  # fmt: skip
    return written, log


def _lines(written: pa.Table, header_lines: int) -> dict[int, dict[str, str]]:
    """Physical line -> row, as the file is written (header on the lines above)."""
    return {i + header_lines + 1: row for i, row in enumerate(written.to_pylist())}


def test_csv_rows_are_physical_lines_below_the_header() -> None:
    written, log = _plant(header_lines=1)
    lines = _lines(written, 1)
    assert 1 not in lines  # line 1 is the header
    assert log.kind.count("duplicate_row") > 0
    for line, kind in zip(log.source_row, log.kind, strict=True):
        row = lines[line]
        if kind == "impossible_date":
            assert row["born"].startswith("31/02/")
        elif kind == "future_date":
            assert dt.datetime.strptime(row["born"], "%d/%m/%Y").date() > dt.date(2025, 1, 1)
        elif kind == "unknown_code":
            assert row["code"] == "ZZ"
        else:
            assert row == lines[line - 1]  # the copy follows its original


def test_ndjson_has_no_header_line() -> None:
    written, log = _plant(header_lines=0)
    lines = _lines(written, 0)
    for line, kind in zip(log.source_row, log.kind, strict=True):
        if kind == "unknown_code":
            assert lines[line]["code"] == "ZZ"


def test_rows_of_a_continued_sheet_count_from_its_own_header() -> None:
    limit = 50
    written, log = _plant(header_lines=1, sheet="Children", limit=limit)
    parts = {
        name: written.slice(r.start, r.stop - r.start)
        for name, r in sheet_parts("Children", written.num_rows, limit)
    }
    assert len(parts) > 2
    assert len(set(log.sheet)) > 1
    for sheet, line, kind in zip(log.sheet, log.source_row, log.kind, strict=True):
        assert sheet is not None
        assert 2 <= line <= limit + 1
        row = parts[sheet].to_pylist()[line - 2]
        if kind == "unknown_code":
            assert row["code"] == "ZZ"
        elif kind == "impossible_date":
            assert row["born"].startswith("31/02/")
