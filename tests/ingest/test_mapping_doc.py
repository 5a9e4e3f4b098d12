"""The worked example in docs/mapping-files.md does what the page says it does."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.ingest.exports import assert_reconciled, ingest

DOC = Path(__file__).resolve().parents[2] / "docs" / "mapping-files.md"


def _block(language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match is not None
    return match.group(1)


def test_worked_example(tmp_path: Path) -> None:
    data = tmp_path / "children_services.csv"
    data.write_text(_block("csv"), encoding="utf-8")
    mapping = tmp_path / "children_services.toml"
    mapping.write_text(_block("toml"), encoding="utf-8")
    run, warnings = ingest(tmp_path, [("children_services", data, mapping)])
    assert warnings == []
    assert_reconciled(run)
    record = run.files[0]
    assert (record.rows_read, record.rows_accepted, record.rows_rejected) == (7, 5, 2)
    rejected = {
        (r["source_row"], r["rule"], r["column"]) for r in run.output.rejected_row.to_pylist()
    }
    assert rejected == {(8, "impossible_date", "Born"), (7, "unknown_code", "Contact")}
    people = {p["local_id"]: p for p in run.output.tables["person_record"].to_pylist()}
    assert set(people) == {"C-1001", "C-1002", "C-1003"}
    assert (people["C-1002"]["dob"], people["C-1002"]["dob_precision"]) == (
        date(2009, 3, 1),
        "month",
    )
    assert people["C-1003"]["dob_precision"] == "year"
    assert people["C-1003"]["ethnicity_self"] is None
    assert people["C-1001"]["record_key"] == "children_services:C-1001"
    markers = {
        (v["record_key"].split(":")[1], v["marker"])
        for v in run.output.tables["vulnerability"].to_pylist()
    }
    assert markers == {
        ("C-1001", "LOOKED_AFTER"),
        ("C-1001", "MISSING_HISTORY"),
        ("C-1002", "SEND"),
    }
    events = [
        (e["event_type"], e["event_date_precision"]) for e in run.output.tables["event"].to_pylist()
    ]
    assert events == [("SOCIAL_CARE_REFERRAL", "day"), ("STRATEGY_MEETING", "month")]


def test_unread_translations_example(tmp_path: Path) -> None:
    """The page's example of translations no column reads is what the check prints."""
    from gbo.errors import MappingError
    from gbo.ingest.mapping_files import load_mapping

    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        r"```console\n\$ gbo mapping check police.toml police.csv\n(.*?)```", text, re.S
    )
    assert match is not None
    mapping = tmp_path / "police.toml"
    mapping.write_text(
        'agency = "police"\n[codes.is_cse_flagged]\nY = "yes"\n[codes.ethnicty_officer]\n'
        'IC1 = "IC1"\n[[tables]]\ntarget = "person_record"\ncolumns = { local_id = "URN", '
        'ethnicity_officer = "Officer Ethnicity" }\n[[tables]]\ntarget = "offence"\n'
        'columns = { crime_ref = "Crime Reference", is_cse_flagged = "CSE Flag" }\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(mapping)
    shown = "error: " + caught.value.render().replace(str(mapping), mapping.name)
    assert shown.splitlines() == match.group(1).splitlines()
