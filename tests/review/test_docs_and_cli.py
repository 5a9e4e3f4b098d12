"""docs/review.md keeps up with the code; the CLI works end to end on a fresh data folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gbo.review.cli import app
from gbo.review.settings import ReviewSettings
from tests.review.live_server import REPO, app_env

DOC = (REPO / "docs" / "review.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    for name in ReviewSettings.model_fields:
        assert f"`{name}`" in DOC, name


def test_every_command_is_documented() -> None:
    names = [c.name for c in app.registered_commands]
    assert names
    for name in names:
        assert f"gbo review {name}" in DOC, name


def gbo(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gbo.cli", "review", *args, "--data-dir", str(data_dir)],
        env=app_env(data_dir),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_cli_migrates_and_adds_an_account(tmp_path: Path) -> None:
    assert gbo(tmp_path, "migrate").returncode == 0
    added = gbo(tmp_path, "adduser", "alice", "--analyst")
    assert added.returncode == 0
    username, password = added.stdout.strip().split("\t")
    assert username == "alice" and len(password) >= 16
    again = gbo(tmp_path, "adduser", "alice")
    assert again.returncode != 0 and "already exists" in again.stderr
    assert (tmp_path / "review.sqlite3").exists()
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0
