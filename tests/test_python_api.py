"""The public API: the worked example of docs/python-api.md runs as written, and a run made
again from nothing in a copy of its folder gives byte-identical outputs (the golden test)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import gbo
from gbo.cli import app
from gbo.pipeline import run_pipeline

pytestmark = [pytest.mark.slow]

DOC = Path(__file__).resolve().parents[1] / "docs" / "python-api.md"
BLOCK = re.compile(r"```(bash|python)\n(.*?)```", re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def _run_documented_example(workdir: Path) -> tuple[dict[str, Any], str]:
    namespace: dict[str, Any] = {}
    printed = io.StringIO()
    for language, code in _blocks():
        if language == "bash":
            for line in code.strip().splitlines():
                words = shlex.split(line)
                assert words[0] == "gbo", line
                result = CliRunner().invoke(app, words[1:])
                assert result.exit_code == 0, result.output
        else:
            with contextlib.redirect_stdout(printed):
                exec(compile(code, str(DOC), "exec"), namespace)
    return namespace, printed.getvalue()


def _published_hashes(run: gbo.RunFolder) -> dict[str, str]:
    """sha256 of every output the manifest records, vault files (random nonces) left out."""
    found = {}
    for stage in run.manifest["stages"].values():
        for output in stage["outputs"]:
            if not output["encrypted"]:
                found[output["path"]] = output["sha256"]
    return found


def test_the_worked_example_runs_and_a_run_redone_from_nothing_is_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace, printed = _run_documented_example(tmp_path)
    run = namespace["run"]
    assert isinstance(run, gbo.RunFolder)
    assert run.run_id in printed and "count_display" in printed
    assert "declares no table 'no_such_table'" in printed
    assert [s.name for s in run.stages()] == list(run.manifest["stages"])

    # Golden: the same run folder (same name, so the same run id) made again from nothing.
    copy = tmp_path / "again" / run.path.name
    copy.mkdir(parents=True)
    shutil.copy(run.path / "manifest.json", copy / "manifest.json")
    again = gbo.RunFolder(run_pipeline(namespace["config"], run_dir=copy))
    assert {s["status"] for s in again.manifest["stages"].values()} == {"ran"}
    before, after = _published_hashes(run), _published_hashes(again)
    assert len(before) > 50
    differ = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert differ == [], json.dumps(differ[:20])
