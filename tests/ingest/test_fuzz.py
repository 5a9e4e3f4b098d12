"""Hypothesis: for any CSV input, every row is accepted or quarantined and counts reconcile."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest.exports import assert_reconciled, ingest

MAPPING = """
agency = "care"
date_formats = ["%d/%m/%Y"]
partial_date_formats = ["%Y"]
[codes.sex]
girl = "F"
[[tables]]
target = "person_record"
columns = { local_id = "id", dob = "dob", sex = "sex", given_name = "name" }
[[tables]]
target = "event"
skip_if_blank = ["event_date"]
columns = { record_key = "id", event_type = "kind", event_date = "when" }
"""
HEADER = ["id", "dob", "sex", "name", "kind", "when"]

_cell = st.one_of(
    st.sampled_from(
        [
            "",
            "P1",
            "P2",
            "01/02/2005",
            "31/02/2005",
            "2001",
            "girl",
            "F",
            "X",
            "MISSING_EPISODE",
            "GP_CONTACT",
            "BAD",
            "2099",
            "NULL",
            "a,b",
            'q"q',
            "line\nbreak",
            "Zoë",
            "  ",
        ]
    ),
    st.text(max_size=6),
)
_row = st.lists(_cell, min_size=len(HEADER), max_size=len(HEADER))
_ragged = st.lists(_cell, min_size=1, max_size=len(HEADER) + 2)

slow_settings = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _write(tmp_path: Path, rows: list[list[str]], encoding: str) -> tuple[Path, Path]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = tmp_path / "care.csv"
    data.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    mapping = tmp_path / "care.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return data, mapping


def _is_blank(row: list[str]) -> bool:
    return not row or (len(row) == 1 and not row[0].strip())


@pytest.mark.slow
@slow_settings
@given(
    rows=st.lists(st.one_of(_row, _ragged), max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_every_csv_row_is_accepted_or_quarantined(
    tmp_path: Path, rows: list[list[str]], encoding: str
) -> None:
    data, mapping = _write(tmp_path, rows, encoding)
    run, warnings = ingest(tmp_path, [("care", data, mapping)])
    assert warnings == []
    assert_reconciled(run)
    assert run.files[0].rows_read == sum(1 for r in rows if not _is_blank(r))


@pytest.mark.slow
@slow_settings
@given(body=st.binary(max_size=300))
def test_any_bytes_are_ingested_or_refused_cleanly(tmp_path: Path, body: bytes) -> None:
    data = tmp_path / "care.csv"
    data.write_bytes(",".join(HEADER).encode() + b"\n" + body)
    mapping = tmp_path / "care.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    run, warnings = ingest(tmp_path, [("care", data, mapping)])
    assert_reconciled(run)
    if run.files[0].error:
        assert len(warnings) == 1 and "\n" not in warnings[0]
