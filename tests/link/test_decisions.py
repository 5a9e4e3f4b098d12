"""Clerical decisions: checking, merging into the store, applying, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.errors import LinkageError
from gbo.link.clusters import apply_decisions
from gbo.link.decisions import labels_from_decisions, load_store, read_decisions

A, B, C = "rec_00000000000000aa", "rec_00000000000000bb", "rec_00000000000000cc"


def _write(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    pd.DataFrame(rows, columns=["record_pid_l", "record_pid_r", "decision"]).to_csv(
        path, index=False
    )
    return path


def test_decisions_are_checked_and_every_problem_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "d.csv", [(A, B, "maybe"), ("Jane Smith", B, "match"), (A, A, "match")]
    )
    with pytest.raises(LinkageError) as caught:
        read_decisions(path)
    message = caught.value.render()
    assert "line 2" in message and "line 3" in message and "line 4" in message
    assert "Jane" not in message  # never echo a value that might be an identifier


def test_pairs_are_ordered_and_blank_decisions_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", [(B, A, "Match"), (A, C, "")])
    decisions = read_decisions(path)
    assert decisions[["record_pid_l", "record_pid_r", "decision"]].values.tolist() == [
        [A, B, "match"]
    ]


def test_import_merges_into_store_and_newest_wins(tmp_path: Path) -> None:
    store = tmp_path / "store.csv"
    runner = CliRunner()
    first = _write(tmp_path / "1.csv", [(A, B, "match"), (A, C, "non_match")])
    result = runner.invoke(app, ["link", "import-decisions", str(first), "--store", str(store)])
    assert result.exit_code == 0, result.output
    second = _write(tmp_path / "2.csv", [(A, B, "non_match")])
    result = runner.invoke(app, ["link", "import-decisions", str(second), "--store", str(store)])
    assert result.exit_code == 0 and "0 new and 1 changed" in result.output
    decided = load_store(store)
    assert decided is not None
    assert dict(zip(decided["pair_key"], decided["decision"], strict=True)) == {
        f"{A}|{B}": "non_match",
        f"{A}|{C}": "non_match",
    }


def test_cli_refuses_a_bad_file_without_a_traceback(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.csv", [(A, B, "perhaps")])
    result = CliRunner().invoke(
        app, ["link", "import-decisions", str(bad), "--store", str(tmp_path / "s.csv")]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "s.csv").exists()


def test_decisions_add_and_remove_links(tmp_path: Path) -> None:
    decisions = read_decisions(_write(tmp_path / "d.csv", [(A, B, "non_match"), (A, C, "match")]))
    links = pd.DataFrame({"unique_id_l": [A], "unique_id_r": [B], "match_probability": [0.995]})
    applied = apply_decisions(links, decisions)
    assert applied[["unique_id_l", "unique_id_r", "basis"]].values.tolist() == [[A, C, "review"]]
    labels = labels_from_decisions(decisions, {A, B, C})
    assert labels.values.tolist() == [[A, C]]
    assert labels_from_decisions(decisions, {A, B}).empty


def test_a_changed_decisions_file_reruns_the_stage(tmp_path: Path) -> None:
    from gbo.config import RunConfig
    from gbo.link.settings import LinkSettings
    from gbo.link.stage import external_inputs

    store = _write(tmp_path / "store.csv", [(A, B, "match")])
    config = RunConfig(link=LinkSettings(decisions_file=store))
    assert external_inputs(config) == [store]
    assert external_inputs(RunConfig()) == []
