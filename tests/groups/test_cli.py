"""``gbo groups rule`` and ``gbo groups sensitivity``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gbo.cli import app
from gbo.groups.stage import run
from gbo.security import KeyRing
from gbo.stages import stage_folder_name
from tests.groups.planted_records import plant_records, write_run

runner = CliRunner()


def test_rule_prints_the_default_rule() -> None:
    result = runner.invoke(app, ["groups", "rule"])
    assert result.exit_code == 0, result.output
    rule = json.loads(result.output)
    assert rule["rule_version"] == "gbo-groups-1"
    assert rule["definition"]["edge_types"] == ["shared_offence", "shared_victim"]


def test_rule_reads_a_configuration(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text(
        '[groups]\nrule_version = "offence-only-1"\nedge_types = ["shared_offence"]\n'
    )
    result = runner.invoke(app, ["groups", "rule", "--config", str(config)])
    assert result.exit_code == 0, result.output
    rule = json.loads(result.output)
    assert rule["rule_version"] == "offence-only-1"
    assert "offending against the same victim" not in rule["description"]


def test_sensitivity_prints_the_table_and_explains_a_missing_one(
    tmp_path: Path, keys: KeyRing
) -> None:
    ctx = write_run(tmp_path, plant_records(10, 5, seed=1), keys)
    run(ctx)
    ctx.stage_dir.rename(tmp_path / stage_folder_name("groups"))
    result = runner.invoke(app, ["groups", "sensitivity", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "* plus_shared_victim_split" in result.output
    assert "offence_only" in result.output
    missing = runner.invoke(app, ["groups", "sensitivity", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "no group sensitivity table" in missing.output
