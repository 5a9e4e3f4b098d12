"""``gbo synth`` end to end."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gbo.cli import app
from gbo.config import load_config

runner = CliRunner()


def test_synth_writes_a_generation_and_prints_the_folder_last(tmp_path: Path) -> None:
    out = tmp_path / "data"
    result = runner.invoke(app, ["synth", "--size", "400", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out.resolve())
    config = load_config(out / "config.toml")
    assert config.run.is_synthetic
    assert [s.agency for s in config.sources] == ["police", "social_care", "health"]
    assert all(s.path.exists() and s.mapping.exists() for s in config.sources)


def test_synth_reports_a_bad_size_without_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--size", "5", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "too small" in result.output
    assert "Traceback" not in result.output
