"""Translation and validation: codes, dates, duplicates, cross-table checks, row filters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.ingest.exports import assert_reconciled, ingest, police_row


def rules_by_row(run: object) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for r in run.output.rejected_row.to_pylist():  # type: ignore[attr-defined]
        found.setdefault(r["source_row"], set()).add(r["rule"])
    return found


def test_clean_rows_are_translated(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police(
        [police_row("P1"), police_row("P2", role="Suspect", sex="Male", dob="1990")]
    )
    run, warnings = ingest(tmp_path, [("police", data, police_mapping)])
    assert warnings == []
    assert_reconciled(run)
    people = run.output.tables["person_record"].to_pylist()
    assert [p["record_key"] for p in people] == ["police:P1", "police:P2"]
    assert people[0]["sex"] == "F" and people[1]["sex"] == "M"
    assert people[0]["dob"].isoformat() == "2005-02-01"
    assert people[0]["dob_precision"] == "day"
    assert people[1]["dob"].isoformat() == "1990-01-01"
    assert people[1]["dob_precision"] == "year"
    offences = run.output.tables["offence"].to_pylist()
    assert len(offences) == 1  # the same crime on two rows is one offence
    assert offences[0]["first_date_precision"] == "month"
    roles = {i["record_key"]: i["role"] for i in run.output.tables["involvement"].to_pylist()}
    assert roles == {"police:P1": "VICTIM", "police:P2": "SUSPECT"}


def test_unknown_key_code_quarantines_the_row(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police(
        [police_row("P1"), police_row("P2", role="Witness"), police_row("P3", ho="99Z")]
    )
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    rejected = run.output.rejected_row.to_pylist()
    assert {(r["source_row"], r["rule"], r["column"]) for r in rejected} == {
        (3, "unknown_code", "Role"),
        (4, "unknown_code", "HOCode"),
    }
    assert all("Witness" not in r["reason"] and "99Z" not in r["reason"] for r in rejected)
    assert "codes.role" in rejected[0]["reason"]
    assert [p["local_id"] for p in run.output.tables["person_record"].to_pylist()] == ["P1"]
    assert run.files[0].rows_accepted == 1 and run.files[0].rows_rejected == 2


def test_unknown_descriptive_code_becomes_not_recorded_with_a_finding(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police([police_row("P1", sex="Zed", sde="Q9"), police_row("P2", sex="Not known")])
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    assert run.files[0].rows_rejected == 0
    people = {p["local_id"]: p for p in run.output.tables["person_record"].to_pylist()}
    assert people["P1"]["sex"] is None and people["P1"]["ethnicity_self"] is None
    assert people["P2"]["sex"] is None  # mapped to not recorded: no finding
    findings = {
        (f["column"], f["detail"], f["source_row"], f["rule"])
        for f in run.output.findings.to_pylist()
    }
    assert findings == {
        ("sex", "Zed", 2, "unmapped_code"),
        ("ethnicity_self", "Q9", 2, "unmapped_code"),
    }


def test_impossible_and_future_dates_are_quarantined(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police(
        [
            police_row("P1", dob="31/02/2005"),
            police_row("P2", offence_date="01/01/2030"),
            police_row("P3", dob="not a date"),
            police_row("P4"),
        ]
    )
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    assert rules_by_row(run) == {2: {"impossible_date"}, 3: {"future_date"}, 4: {"invalid_date"}}
    reasons = {r["rule"]: r for r in run.output.rejected_row.to_pylist()}
    assert reasons["impossible_date"]["column"] == "DOB"
    assert "31" not in reasons["impossible_date"]["reason"].replace("31/02", "")
    assert [p["local_id"] for p in run.output.tables["person_record"].to_pylist()] == ["P4"]


def test_max_future_days_allows_dates_just_after_the_run(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police([police_row("P1", offence_date="05/07/2025")])
    strict, _ = ingest(tmp_path, [("police", data, police_mapping)])
    lenient, _ = ingest(tmp_path, [("police", data, police_mapping)], max_future_days=10)
    assert strict.files[0].rows_rejected == 1
    assert lenient.files[0].rows_rejected == 0


def test_dob_after_offence_is_a_cross_table_check(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    # P2 was born after the offence; the same month as a month-precision offence is fine.
    data = write_police(
        [
            police_row("P1", dob="15/03/2019", offence_date="03/2019"),
            police_row("P2", dob="2020", offence_date="03/2019", role="Suspect"),
            police_row("P3", dob="01/01/2000", crime="C2", offence_date="01/01/2018"),
        ]
    )
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    assert rules_by_row(run) == {3: {"dob_after_offence"}}
    rejected = run.output.rejected_row.to_pylist()[0]
    assert rejected["column"] == "DOB"
    keys = [i["record_key"] for i in run.output.tables["involvement"].to_pylist()]
    assert keys == ["police:P1", "police:P3"]


def test_exact_duplicate_rows_are_quarantined_and_keys_deduplicated(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    row = police_row("P1")
    data = write_police([row, row, police_row("P1", crime="C2"), row])
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    assert rules_by_row(run) == {3: {"duplicate_row"}, 5: {"duplicate_row"}}
    reasons = [r["reason"] for r in run.output.rejected_row.to_pylist()]
    assert all("repeats row 2" in r for r in reasons)
    assert run.output.tables["person_record"].num_rows == 1  # one person on two rows
    assert run.output.tables["offence"].num_rows == 2
    assert run.output.tables["involvement"].num_rows == 2
    assert run.files[0].rows_accepted == 2


def test_a_repeated_key_with_other_values_keeps_the_first_and_says_so(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police(
        [
            police_row("P1"),
            police_row("P1", crime="C2", dob="02/02/2005", forename="Anne"),
            police_row("P2", crime="C1", offence_date="04/2019"),
            police_row("P1", crime="C3"),
        ]
    )
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    assert run.files[0].rows_accepted == 4
    person = run.output.tables["person_record"].to_pylist()
    assert [(p["local_id"], p["given_name"]) for p in person] == [("P1", "Ann"), ("P2", "Ann")]
    found = [
        (f["table"], f["column"], f["source_row"], f["detail"])
        for f in run.output.findings.to_pylist()
        if f["rule"] == "conflicting_repeat"
    ]
    kept = "repeats the key of police.csv row 2 (kept) with a different value"
    assert sorted(found) == [
        ("offence", "first_date", 4, kept),
        ("person_record", "dob", 3, kept),
        ("person_record", "given_name", 3, kept),
    ]
    assert all("Anne" not in f[3] and "2005" not in f[3] for f in found)


def test_a_repeat_recording_what_the_row_kept_does_not_is_said_so(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    """An analyst's police export had "N/K" as the date of birth on a person's first row
    and the date on later ones: the finding said "with a different value", hiding that a
    recorded date was not used."""
    data = write_police([police_row("P1", dob=""), police_row("P1", crime="C2")])
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    found = [
        (f["column"], f["source_row"], f["detail"])
        for f in run.output.findings.to_pylist()
        if f["rule"] == "conflicting_repeat"
    ]
    unused = (
        "repeats the key of police.csv row 2 (kept), which does not record this column: "
        "the value on this row is not used"
    )
    assert found == [("dob", 3, unused), ("dob_precision", 3, unused)]


def test_missing_required_value_quarantines(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police([police_row("P1"), police_row("P2", role="")])
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    assert rules_by_row(run) == {3: {"missing_value"}}
    assert run.files[0].rows_accepted == 1


def test_a_blank_person_id_gets_a_surrogate_key_in_every_table_of_the_row(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police([police_row("P1"), police_row("", crime="C2")])
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert_reconciled(run)
    assert run.files[0].rows_rejected == 0
    people = run.output.tables["person_record"].to_pylist()
    assert [p["record_key"] for p in people] == ["police:P1", "police:~police.csv:3"]
    involvement = run.output.tables["involvement"].to_pylist()
    assert involvement[1]["record_key"] == "police:~police.csv:3"
    findings = [
        (f["table"], f["column"], f["source_row"])
        for f in run.output.findings.to_pylist()
        if f["rule"] == "surrogate_key"
    ]
    assert findings == [("person_record", "local_id", 3)]


def test_a_blank_person_id_is_rejected_without_surrogate_keys(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    police_mapping.write_text(
        "surrogate_keys = false\n" + police_mapping.read_text(encoding="utf-8"), encoding="utf-8"
    )
    data = write_police([police_row(""), police_row("P2")])
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    assert rules_by_row(run) == {2: {"missing_value"}}


def test_orphaned_rows_follow_a_rejected_person(tmp_path: Path) -> None:
    """A person rejected in one file takes their events in another file with them."""
    people = tmp_path / "people.csv"
    people.write_text("id,dob\nA,2001-02-03\nB,2001-02-31\n", encoding="utf-8")
    events = tmp_path / "events.csv"
    events.write_text(
        "id,type,date\nA,MISSING_EPISODE,2015-01-01\nB,MISSING_EPISODE,2015-01-01\n"
        "C,MISSING_EPISODE,2015-01-01\n",
        encoding="utf-8",
    )
    people_map = tmp_path / "people.yaml"
    people_map.write_text(
        "agency: care\ntables:\n  - target: person_record\n    columns: {local_id: id, dob: dob}\n",
        encoding="utf-8",
    )
    events_map = tmp_path / "events.yaml"
    events_map.write_text(
        "agency: care\ntables:\n  - target: event\n    columns:\n      record_key: id\n"
        "      event_type: type\n      event_date: date\n",
        encoding="utf-8",
    )
    run, _ = ingest(tmp_path, [("care", people, people_map), ("care", events, events_map)])
    assert_reconciled(run)
    rejected = {
        (r["source_file"], r["source_row"], r["rule"]) for r in run.output.rejected_row.to_pylist()
    }
    assert rejected == {
        ("people.csv", 3, "impossible_date"),
        ("events.csv", 3, "unknown_reference"),
        ("events.csv", 4, "unknown_reference"),
    }
    assert [e["record_key"] for e in run.output.tables["event"].to_pylist()] == ["care:A"]


def test_row_filter_flags_partial_dates_and_16_plus_1(tmp_path: Path) -> None:
    data = tmp_path / "care.csv"
    data.write_text(
        "kind,id,dob,eth,lac,send,when\n"
        "PERSON,1,2009,O1,Y,N,\n"
        "PERSON,2,03/2009,W1,N,Y,\n"
        "CONTACT,1,,,,,12/04/2015\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "care.toml"
    mapping.write_text(
        """
agency = "care"
date_formats = ["%d/%m/%Y"]
partial_date_formats = ["%m/%Y", "%Y"]
ethnicity_self_list = "16+1"

[[tables]]
target = "person_record"
row_filter = { kind = ["person"] }
columns = { local_id = "id", dob = "dob", ethnicity_self = "eth" }

[[tables]]
target = "vulnerability"
row_filter = { kind = ["PERSON"] }
columns = { record_key = "id" }
flags = { target_column = "marker", columns = { lac = "LOOKED_AFTER", send = "SEND" } }

[[tables]]
target = "event"
row_filter = { kind = ["CONTACT"] }
[tables.columns]
record_key = "id"
event_type = { value = "SOCIAL_CARE_REFERRAL" }
event_date = "when"
""",
        encoding="utf-8",
    )
    run, _ = ingest(tmp_path, [("care", data, mapping)])
    assert_reconciled(run)
    assert run.files[0].rows_rejected == 0  # filtered rows are not errors
    people = run.output.tables["person_record"].to_pylist()
    assert [(p["dob"].isoformat(), p["dob_precision"]) for p in people] == [
        ("2009-01-01", "year"),
        ("2009-03-01", "month"),
    ]
    assert [(p["ethnicity_self"], p["ethnicity_self_list"]) for p in people] == [
        ("A4", "16+1"),
        ("W1", "16+1"),
    ]
    markers = {
        (v["record_key"], v["marker"]) for v in run.output.tables["vulnerability"].to_pylist()
    }
    assert markers == {("care:1", "LOOKED_AFTER"), ("care:2", "SEND")}
    events = run.output.tables["event"].to_pylist()
    assert [(e["event_type"], e["event_date"].isoformat()) for e in events] == [
        ("SOCIAL_CARE_REFERRAL", "2015-04-12")
    ]


def test_list_columns_are_split_and_translated(tmp_path: Path) -> None:
    data = tmp_path / "police.csv"
    data.write_text(
        "ref,person,mo,aka\nC1,P1,hotel| Drink |XX,Jo Bloggs; J B\nC2,P2,,\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "police.toml"
    mapping.write_text(
        """
agency = "police"
[codes.methods]
hotel = "HOTELS"
drink = "ALCOHOL_DRUGS"
[[tables]]
target = "offence"
columns = { crime_ref = "ref", methods = { column = "mo", split = "|" } }
[[tables]]
target = "person_record"
columns = { local_id = "person", aliases = "aka" }
""",
        encoding="utf-8",
    )
    run, _ = ingest(tmp_path, [("police", data, mapping)])
    assert_reconciled(run)
    assert run.files[0].rows_rejected == 0
    methods = [o["methods"] for o in run.output.tables["offence"].to_pylist()]
    assert methods == [["HOTELS", "ALCOHOL_DRUGS"], None]
    aliases = [p["aliases"] for p in run.output.tables["person_record"].to_pylist()]
    assert aliases == [["Jo Bloggs", "J B"], None]
    findings = [(f["column"], f["rule"], f["detail"]) for f in run.output.findings.to_pylist()]
    assert findings == [
        ("methods", "unmapped_code", "XX"),
        ("aliases", "no_name", "no given name, family name or alias"),
    ]


def test_one_problem_row_per_source_row_even_with_flags(tmp_path: Path) -> None:
    data = tmp_path / "care.csv"
    data.write_text("id,lac,send\nZ9,Y,Y\n", encoding="utf-8")
    mapping = tmp_path / "care.toml"
    mapping.write_text(
        'agency = "care"\n[[tables]]\ntarget = "vulnerability"\ncolumns = { record_key = "id" }\n'
        'flags = { target_column = "marker", columns = { lac = "LOOKED_AFTER", send = "SEND" } }\n',
        encoding="utf-8",
    )
    run, _ = ingest(tmp_path, [("care", data, mapping)])
    assert_reconciled(run)
    rejected = run.output.rejected_row.to_pylist()
    assert [(r["source_row"], r["rule"], r["column"]) for r in rejected] == [
        (2, "unknown_reference", "id")
    ]
