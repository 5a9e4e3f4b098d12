"""NHS numbers: kept as digits; one that is not ten digits or fails its check digit is kept
with a data quality finding whose detail never holds the value."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gbo.ingest.column_sql import DateRules, normalised
from gbo.ingest.table_sql import build_table_sql
from gbo.ingest.text_table import ROW_COLUMN
from gbo.schema.mapping import AgencyMapping, TableMapping
from gbo.schema.nhs_number import (
    CHECK_DIGIT_FAILS,
    NEVER_ISSUED,
    NOT_TEN_DIGITS,
    nhs_check_digit,
    nhs_number_digits,
    nhs_number_problem,
)
from tests.ingest.exports import assert_reconciled, csv_text, ingest

MAPPING = """
agency = "health"
[[tables]]
target = "person_record"
columns = { local_id = "PatientID", given_name = "Forename", nhs_number = "NHS Number" }
"""
RULES = DateRules(reference_date=date(2025, 6, 30), max_future_days=0, earliest_year=1900)


def _ingest(tmp_path: Path, numbers: list[str]) -> Any:
    data = tmp_path / "health.csv"
    rows = [[f"H{i}", "Ann", n] for i, n in enumerate(numbers, start=1)]
    data.write_text(csv_text(["PatientID", "Forename", "NHS Number"], rows), encoding="utf-8")
    mapping = tmp_path / "health.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    run, warnings = ingest(tmp_path, [("health", data, mapping)])
    assert warnings == []
    assert_reconciled(run)
    return run


def test_numbers_are_kept_as_digits_and_bad_ones_are_findings(tmp_path: Path) -> None:
    recorded = [
        "943 476 5919",  # valid, spaced
        "943-476-5918",  # check digit fails
        "94347659",  # too short
        "",  # not recorded
        "9434765919",  # valid as digits
        "999 123 456X",  # not digits
    ]
    run = _ingest(tmp_path, recorded)
    assert all(f.rows_rejected == 0 for f in run.files)
    people = run.output.tables["person_record"].to_pylist()
    assert [p["nhs_number"] for p in people] == [
        "9434765919",
        "9434765918",
        "94347659",
        None,
        "9434765919",
        "999123456X",
    ]
    findings = run.output.findings.to_pylist()
    assert [
        (f["source_row"], f["table"], f["column"], f["rule"], f["detail"]) for f in findings
    ] == [
        (3, "person_record", "nhs_number", "invalid_nhs_number", CHECK_DIGIT_FAILS),
        (4, "person_record", "nhs_number", "invalid_nhs_number", NOT_TEN_DIGITS),
        (7, "person_record", "nhs_number", "invalid_nhs_number", NOT_TEN_DIGITS),
    ]
    for finding in findings:
        assert not any(ch.isdigit() for ch in str(finding["detail"]))


def _evaluate(values: list[str | None]) -> list[tuple[str | None, str | None, list[str]]]:
    """(raw value as ingest reads it, canonical value, finding details) for each value."""
    mapping = AgencyMapping(
        agency="health",
        tables=[
            TableMapping(target="person_record", columns={"local_id": "id", "nhs_number": "number"})
        ],
    )
    sql = build_table_sql("sheet", mapping.tables[0], mapping, "health.toml", RULES).sql
    con = duckdb.connect()
    try:
        sheet = pa.table(
            {
                ROW_COLUMN: pa.array(range(1, len(values) + 1), pa.int64()),
                "id": pa.array([f"H{i}" for i in range(len(values))], pa.string()),
                "number": pa.array(values, pa.string()),
            }
        )
        con.register("sheet", sheet)
        raws = dict(
            con.sql(f"SELECT {ROW_COLUMN}, {normalised('number', mapping)} FROM sheet").fetchall()
        )
        rows = con.sql(
            f"SELECT source_row, nhs_number, list_transform(_findings, lambda f: f.detail) "
            f"FROM ({sql}) ORDER BY source_row"
        ).fetchall()
    finally:
        con.close()
    return [(raws[row], value, list(details)) for row, value, details in rows]


_recorded = st.one_of(
    st.none(),
    st.text(max_size=16),
    st.text("0123456789 -", max_size=16),
    st.builds(
        lambda body, sep: body[:3] + sep + body[3:6] + sep + body[6:] + str(nhs_check_digit(body)),
        st.text("0123456789", min_size=9, max_size=9),
        st.sampled_from(["", " ", "-", " - "]),
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_recorded, min_size=1, max_size=12))
def test_the_sql_agrees_with_the_python_check(values: list[str | None]) -> None:
    for raw, value, details in _evaluate(values):
        if raw is None:
            assert (value, details) == (None, [])
            continue
        digits = nhs_number_digits(raw)
        assert value == (digits or None)
        problem = nhs_number_problem(raw)
        assert details == ([] if problem is None else [problem])
        assert set(details) <= {NOT_TEN_DIGITS, CHECK_DIGIT_FAILS}


@settings(max_examples=20, deadline=None)
@given(st.text("0123456789", min_size=8, max_size=8))
def test_a_never_issued_body_always_fails(first_eight: str) -> None:
    # The ninth digit weighs 2, and 6 x 2 = 1 (mod 11): this ninth digit makes the weighted
    # sum 1 (mod 11), so the check digit would have to be 10.
    partial = sum(int(d) * (10 - i) for i, d in enumerate(first_eight))
    ninth = (1 - partial) * 6 % 11
    assume(ninth < 10)
    body = first_eight + str(ninth)
    assert nhs_check_digit(body) == NEVER_ISSUED
    results = _evaluate([body + str(d) for d in range(10)])
    assert all(details == [CHECK_DIGIT_FAILS] for _, _, details in results)
