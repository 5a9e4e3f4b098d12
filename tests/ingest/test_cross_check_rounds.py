"""The cross-table checks read only what a rejection can have changed after the first round,
and find the same problems as checking every row in every round."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from gbo.ingest import cross_checks, engine
from tests.ingest.exports import assert_reconciled, ingest, police_row


def _every_row_every_round(con: duckdb.DuckDBPyConnection, no_dedup: list[int]) -> int:
    """The checks as first written: every row of every table in every round."""
    cross_checks._mark_rejected(con)
    cross_checks._check_duplicate_keys(con, no_dedup)
    for round_number in range(1, cross_checks.MAX_ROUNDS + 1):
        (before,) = con.execute("SELECT count(*) FROM problem").fetchone() or (0,)
        cross_checks._mark_rejected(con)
        cross_checks._check_references(con)
        cross_checks._mark_rejected(con)
        cross_checks._check_dob_after_offence(con)
        (after,) = con.execute("SELECT count(*) FROM problem").fetchone() or (0,)
        if after == before:
            return round_number
    return cross_checks.MAX_ROUNDS


def _cascade(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> list[tuple[object, ...]]:
    """P1's date of birth is after their offence: rejected in the first round. The care row
    with P1's event also holds person K1, so it goes in the second round and takes K1 with
    it; the row with K1's event (and person K2) goes in the third, K2's in the fourth."""
    police = write_police(
        [
            police_row("P1", dob="01/02/2021", offence_date="03/2019"),
            police_row("P2", crime="C2"),
        ]
    )
    tmp_path.mkdir()
    care = tmp_path / "care.csv"
    care.write_text(
        "pid,type,date,own\nP1,MISSING_EPISODE,2020-01-01,K1\nK1,MISSING_EPISODE,2020-02-01,K2\n"
        "K2,MISSING_EPISODE,2020-03-01,K3\nP2,MISSING_EPISODE,2020-01-01,K4\n",
        encoding="utf-8",
    )
    care_map = tmp_path / "care.yaml"
    care_map.write_text(
        "agency: police\ntables:\n  - target: event\n    columns:\n      record_key: pid\n"
        "      event_type: type\n      event_date: date\n"
        "  - target: person_record\n    columns: {local_id: own}\n",
        encoding="utf-8",
    )
    run, warnings = ingest(
        tmp_path, [("police", police, police_mapping), ("police", care, care_map)]
    )
    assert warnings == []
    assert_reconciled(run)
    return sorted(
        (r["source_file"], r["source_row"], r["rule"], r["column"], r["reason"])
        for r in run.output.rejected_row.to_pylist()
    )


def test_gone_keys_give_what_checking_every_row_gives(
    tmp_path: Path,
    police_mapping: Path,
    write_police: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = _cascade(tmp_path / "a", police_mapping, write_police)
    assert [r[:3] for r in found] == [
        ("care.csv", 2, "unknown_reference"),
        ("care.csv", 3, "unknown_reference"),
        ("care.csv", 4, "unknown_reference"),
        ("police.csv", 2, "dob_after_offence"),
    ]
    monkeypatch.setattr(engine, "run_cross_checks", _every_row_every_round)
    assert _cascade(tmp_path / "b", police_mapping, write_police) == found
