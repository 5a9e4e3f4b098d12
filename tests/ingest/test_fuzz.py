"""Hypothesis: for any CSV input, every row is accepted or quarantined and counts reconcile."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
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
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _write(tmp_path: Path, rows: list[list[str]], encoding: str) -> tuple[Path, Path]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # quotes values holding \r or \n
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = tmp_path / "care.csv"
    data.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    mapping = tmp_path / "care.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return data, mapping


def _is_blank(row: list[str]) -> bool:
    """A line with no value in any field (``,,``) is a blank line, counted as such."""
    return not any(cell.strip() for cell in row)


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
@example(body=b"\r\x80")  # decoded as another code page, the header held a bare carriage return
def test_any_bytes_are_ingested_or_refused_cleanly(tmp_path: Path, body: bytes) -> None:
    data = tmp_path / "care.csv"
    data.write_bytes(",".join(HEADER).encode() + b"\n" + body)
    mapping = tmp_path / "care.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    run, warnings = ingest(tmp_path, [("care", data, mapping)])
    assert_reconciled(run)
    if run.files[0].error:
        assert len(warnings) == 1 and "\n" not in warnings[0]


_DATA_ROWS = [
    ["P1", "01/02/2005", "girl", "Ann", "MISSING_EPISODE", "03/04/2015"],
    ["P2", "31/02/2005", "X", "Bea", "GP_CONTACT", ""],
    ["P1", "01/02/2005", "girl", "Ann", "BAD", "2099"],
    ["", "2001", "F", "Cy", "GP_CONTACT", "2010"],
    ["P3", "", "NULL", "Di", "", "05/06/2016"],
    ["P3", "", "NULL", "Di", "", "05/06/2016"],
]
_column_choice = st.sampled_from(HEADER)


@st.composite
def _mappings(draw: st.DrawFn) -> str:
    person = {"local_id": draw(st.sampled_from(["id", "name"]))}
    for canonical in draw(st.lists(st.sampled_from(["dob", "sex", "given_name"]), unique=True)):
        person[canonical] = draw(_column_choice)
    event = {
        "record_key": "id",
        "event_type": draw(st.sampled_from(["kind", "sex"])),
        "event_date": draw(_column_choice),
    }
    lines = [
        'agency = "care"',
        f"date_formats = {draw(st.sampled_from([['%d/%m/%Y'], ['%Y-%m-%d']]))!r}".replace("'", '"'),
        f"partial_date_formats = {draw(st.sampled_from([[], ['%Y']]))!r}".replace("'", '"'),
        "[codes.sex]",
        f"{draw(st.sampled_from(['girl', 'X', 'F']))} = "
        f'"{draw(st.sampled_from(["F", "M", "", "Q"]))}"',
        "[[tables]]",
        'target = "person_record"',
        f"deduplicate = {draw(st.sampled_from(['true', 'false']))}",
        "columns = { " + ", ".join(f'{k} = "{v}"' for k, v in person.items()) + " }",
    ]
    if draw(st.booleans()):
        lines += [
            "[[tables]]",
            'target = "event"',
            f'row_filter = {{ {draw(_column_choice)} = ["P1", "GP_CONTACT", "girl"] }}',
            f"skip_if_blank = {draw(st.sampled_from([[], ['event_date']]))!r}".replace("'", '"'),
            "columns = { " + ", ".join(f'{k} = "{v}"' for k, v in event.items()) + " }",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@slow_settings
@given(mapping_text=_mappings(), n_rows=st.integers(0, len(_DATA_ROWS)))
def test_any_mapping_accounts_for_every_row(tmp_path: Path, mapping_text: str, n_rows: int) -> None:
    data, mapping = _write(tmp_path, _DATA_ROWS[:n_rows], "utf-8")
    mapping.write_text(mapping_text, encoding="utf-8")
    run, warnings = ingest(tmp_path, [("care", data, mapping)])
    assert_reconciled(run)
    record = run.files[0]
    if record.error is None:
        assert record.rows_read == n_rows
    else:
        assert len(warnings) == 1 and "care" in warnings[0]
