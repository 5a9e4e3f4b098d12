"""The messy exports of :mod:`tests.ingest.messy_exports`, mapped from the docs alone: every
planted problem is accounted for and no good row is rejected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gbo.ingest.ingest_run import IngestRun, ingest_sources
from gbo.ingest.settings import IngestSettings, SourceSettings
from tests.ingest.exports import assert_reconciled
from tests.ingest.messy_exports import REFERENCE_DATE, write_council, write_police


def _ingest(sources: list[tuple[str, Path, Path]]) -> IngestRun:
    return ingest_sources(
        [SourceSettings(agency=a, path=p, mapping=m) for a, p, m in sources],
        IngestSettings(reference_date=REFERENCE_DATE),
    )


def _findings(run: IngestRun, rule: str) -> list[tuple[str, str | None, int | None]]:
    return [
        (f["table"], f["column"], f["source_row"])
        for f in run.output.findings.to_pylist()
        if f["rule"] == rule
    ]


def test_police_csv_every_trap_accounted_for(tmp_path: Path) -> None:
    data, mapping = write_police(tmp_path)
    run = _ingest([("police", data, mapping)])
    assert_reconciled(run)
    record = run.files[0]
    assert record.encoding == "cp1252"
    # Seven data rows: none rejected, the witness and the reporting person left out.
    assert (record.rows_read, record.rows_rejected, record.rows_left_out) == (7, 0, 2)
    assert record.rows_accepted == 5
    people = {p["local_id"]: p for p in run.output.tables["person_record"].to_pylist()}
    assert set(people) == {"P1", "P2", "P3", "P5", "~police.csv:9"}
    # Dates: four-digit years first, two-digit years on both sides of the old pivot.
    assert people["P2"]["dob"] == date(1968, 1, 17)
    assert people["P3"]["dob"] == date(2004, 6, 6)
    assert people["P5"]["dob"] == date(2005, 5, 5)
    assert people["P1"]["given_name"] == "Zoë"  # cp1252 read right
    # MALE is a placeholder name but a valid sex; NFA is no postcode but an outcome.
    assert people["P2"]["given_name"] is None and people["P2"]["sex"] == "M"
    assert people["P2"]["postcode"] is None
    offences = {o["crime_ref"]: o for o in run.output.tables["offence"].to_pylist()}
    assert offences["C2"]["outcome_code"] == "15"
    # Home Office codes through the crosswalk (019D is the Home Office's 19D).
    assert offences["C1"]["ho_offence_code"] == "19C"
    assert offences["C2"]["ho_offence_code"] == "71"
    # The last date before the first: first kept, last set to not recorded, a finding.
    assert offences["C2"]["first_date"] == date(2019, 6, 1)
    assert offences["C2"]["last_date"] is None
    assert _findings(run, "last_date_before_first") == [("offence", "last_date", 7)]
    # A blank person id: a surrogate key, the same in the person's involvement.
    assert _findings(run, "surrogate_key") == [("person_record", "local_id", 9)]
    involved = {(i["record_key"], i["role"]) for i in run.output.tables["involvement"].to_pylist()}
    assert ("police:~police.csv:9", "SUSPECT") in involved
    assert not any(role in {"WITNESS", None} for _, role in involved)
    # No name at all: a finding; blank lines counted with their line numbers.
    assert _findings(run, "no_name") == [("person_record", "given_name", 10)]
    blank = [f for f in run.output.findings.to_pylist() if f["rule"] == "blank_lines"]
    assert len(blank) == 1 and blank[0]["source_row"] == 6
    assert blank[0]["detail"].startswith("1 blank lines")
    # A marker translated to not recorded is blank for skip_if_blank: no row, no rejection.
    markers = run.output.tables["vulnerability"].to_pylist()
    assert sorted(m["record_key"] for m in markers) == ["police:P1", "police:P5"]
    # Physical line numbers everywhere.
    lines = {p["source_row"] for p in people.values()}
    assert lines == {4, 5, 7, 9, 10}


def test_council_xlsx_banner_and_blank_rows(tmp_path: Path) -> None:
    data, mapping = write_council(tmp_path)
    run = _ingest([("council", data, mapping)])
    assert_reconciled(run)
    record = run.files[0]
    assert (record.rows_read, record.rows_rejected, record.rows_left_out) == (5, 0, 0)
    people = {p["local_id"]: p for p in run.output.tables["person_record"].to_pylist()}
    rows = {"K1": 4, "K2": 5, "K3": 7, "K4": 8, "K5": 9}
    assert {k: p["source_row"] for k, p in people.items()} == rows
    assert people["K1"]["dob"] == date(2009, 3, 14)
    assert people["K2"]["dob"] == date(2010, 1, 17)
    assert people["K3"]["dob"] == date(1968, 2, 2)
    events = sorted(
        (e["record_key"], e["event_type"], e["event_date"])
        for e in run.output.tables["event"].to_pylist()
    )
    assert events == [
        ("council:K1", "SOCIAL_CARE_REFERRAL", date(2019, 5, 2)),
        ("council:K2", "STRATEGY_MEETING", date(2019, 11, 11)),
    ]
    blank = [f for f in run.output.findings.to_pylist() if f["rule"] == "blank_lines"]
    assert [b["source_row"] for b in blank] == [6]
    # K5's contact date had no type: skipped by skip_if_blank, but not without a word
    (skipped,) = [f for f in run.output.findings.to_pylist() if f["rule"] == "skipped_with_values"]
    assert (skipped["source_row"], skipped["table"], skipped["column"]) == (
        9,
        "event",
        "Contact Date",
    )
    assert "event_type is blank (sheet Children)" in skipped["detail"]


def test_both_exports_together_reconcile(tmp_path: Path) -> None:
    police = write_police(tmp_path)
    council = write_council(tmp_path)
    run = _ingest([("police", *police), ("council", *council)])
    assert_reconciled(run)
    assert [f.rows_rejected for f in run.files] == [0, 0]
    table = run.source_file_table().to_pylist()
    assert [(f["rows_read"], f["rows_left_out"]) for f in table] == [(7, 2), (5, 0)]
