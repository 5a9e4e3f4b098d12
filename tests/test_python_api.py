"""The public API: the worked example of docs/python-api.md runs as written, and its run,
made again from nothing, publishes byte-identical outputs (the golden test: the demo's
outputs depend on nothing but its inputs, settings and code)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import shlex
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import gbo
from gbo.cli import app
from gbo.pipeline import run_pipeline

pytestmark = [pytest.mark.slow]

PUBLISHED_BY = ("disclosure", "publish")
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


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if "seconds" not in k}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def _digest(path: Path) -> str | None:
    """What must not change between two runs of the same inputs, or None for a file that
    records the moment it was made: the ODS workbook (LibreOffice stamps each conversion)
    and release.json (it holds the archive's hash, which covers the workbook)."""
    if path.suffix == ".ods" or path.name == "release.json":
        return None
    if path.suffix == ".json":
        data = _without_timings(json.loads(path.read_text(encoding="utf-8")))
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in sorted(archive.namelist()) if not n.endswith(".ods")]
            members = [(n, hashlib.sha256(archive.read(n)).hexdigest()) for n in names]
        kept = [m for m in members if m[0] != "bundle.json"]
        return hashlib.sha256(json.dumps(kept).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _outputs(run: gbo.RunFolder) -> dict[str, str | None]:
    """Digests of what a run publishes (the disclosure and publish stages' files) and of every
    stage's tables; vault files, with their random nonces, aside."""
    found = {}
    for name, stage in run.manifest["stages"].items():
        for output in stage["outputs"]:
            published = name in PUBLISHED_BY or output["path"].endswith(".parquet")
            if published and not output["encrypted"]:
                found[output["path"]] = _digest(run.path / output["path"])
    return found


def test_the_worked_example_runs_and_a_second_run_gives_the_same_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace, printed = _run_documented_example(tmp_path)
    run = namespace["run"]
    assert isinstance(run, gbo.RunFolder)
    assert run.run_id in printed and "count_display" in printed
    assert "declares no table 'no_such_table'" in printed
    assert [s.name for s in run.stages()] == list(run.manifest["stages"])

    # Golden: the run made again from nothing in a folder of the same name (so the same run
    # id, and the same creation date from its manifest) publishes the same bytes.
    copy = tmp_path / "again" / run.path.name
    copy.mkdir(parents=True)
    shutil.copy(run.path / "manifest.json", copy / "manifest.json")
    again = gbo.RunFolder(run_pipeline(namespace["config"], run_dir=copy))
    assert {s["status"] for s in again.manifest["stages"].values()} == {"ran"}
    before, after = _outputs(run), _outputs(again)
    assert len([d for d in before.values() if d is not None]) > 50
    differ = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert differ == [], json.dumps(differ[:20])
