"""The whole pipeline on small synthetic data: every stage, the manifest, resuming, the leak
audit on a real run, and rerunning after an interrupted run."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, overload

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.config import RunConfig, config_from_dict, load_config
from gbo.lessons.generator import write_library
from gbo.pipeline import STAGES, run_pipeline
from gbo.security import KeyRing
from gbo.security.keys import KEY_ENV_VAR, key_ring_from_master
from gbo.stages import stage as declared_stage
from gbo.stages import stage_folder_name
from gbo.synth import generate

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pipeline")]

MASTER = b"p" * 32
KEY_TEXT = base64.urlsafe_b64encode(MASTER).decode()
KEYS = key_ring_from_master(MASTER)
SIZE = 600


def _keys() -> KeyRing:
    return KEYS


def _config(data: Path, runs: Path, **overrides: dict[str, object]) -> tuple[RunConfig, Path]:
    synth = generate(size=SIZE, seed=5, out_dir=data)
    import tomllib

    raw = tomllib.loads(synth.config_path.read_text())
    raw["run"]["runs_dir"] = str(runs)
    raw.setdefault("lessons", {})["library"] = str(data / "case_reviews")
    raw["lessons"]["use_embeddings"] = False
    for section, values in overrides.items():
        raw.setdefault(section, {}).update(values)
    config_path = data / "test-run.toml"
    return config_from_dict(raw, base=synth.config_path.parent), config_path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("world") / "data"
    generate(size=SIZE, seed=5, out_dir=data)
    write_library(data / "case_reviews", n_documents=2, pages=2, seed=5)
    return data


REFERENCE: dict[str, str] = {}  # table hashes of the first run, before any test changes it


@pytest.fixture(scope="module")
def first_run(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    runs = tmp_path_factory.mktemp("runs")
    config, config_path = _config(world, runs)
    config_path.write_text("# placeholder so the path exists\n")
    run_dir = run_pipeline(config, config_path=config_path, key_loader=_keys)
    REFERENCE.update(_table_hashes(run_dir))
    return run_dir


def _table_hashes(run_dir: Path) -> dict[str, str]:
    """Hashes of the contents of every Parquet table of every stage (vault files excluded)."""
    found = {}
    paths = [p for spec in STAGES for p in sorted((run_dir / spec.folder).glob("**/*.parquet"))]
    for path in paths:
        table = pq.read_table(path)
        found[path.relative_to(run_dir).as_posix()] = hashlib.sha256(
            str(table.to_pylist()).encode()
        ).hexdigest()
    return found


def test_every_stage_ran_and_is_in_the_manifest(first_run: Path) -> None:
    manifest = json.loads((first_run / "manifest.json").read_text())
    assert list(manifest["stages"]) == [s.name for s in STAGES]
    for name, stage in manifest["stages"].items():
        assert stage["status"] == "ran", name
        assert (first_run / stage["folder"]).is_dir(), name
        assert stage["fingerprint"] and stage["seconds"] >= 0
        for output in stage["outputs"]:
            assert (first_run / output["path"]).exists(), output["path"]
    assert manifest["is_synthetic"] is True
    assert manifest["key_fingerprint"] == KEYS.fingerprint
    assert not list(first_run.glob(".*.partial"))
    assert (first_run.parent / "latest").resolve() == first_run


def test_every_input_row_is_accounted_for(first_run: Path) -> None:
    files = pq.read_table(
        first_run / stage_folder_name("ingest") / "source_file.parquet"
    ).to_pylist()
    assert len(files) == 3
    for f in files:
        assert f["rows_read"] == (
            f["rows_accepted"] + f["rows_rejected"] + (f["rows_left_out"] or 0)
        ), f["source_file"]
        assert f["rows_read"] > 0 and f["error"] is None


def test_no_identifier_reaches_any_output_of_a_real_run(first_run: Path) -> None:
    from gbo.leak_audit.leaks import scan_run_for_leaks

    n_files, findings = scan_run_for_leaks(KEYS, first_run)
    assert n_files > 20
    assert findings == []


def test_the_leak_audit_cli_fails_on_a_planted_identifier(
    first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gbo.leak_audit.collect import identifiers_from_run

    copy = tmp_path / "run"
    shutil.copytree(first_run, copy)
    monkeypatch.setenv(KEY_ENV_VAR, KEY_TEXT)
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "leaks", str(copy)]).exit_code == 0
    full_name = next(identifiers_from_run(KEYS, copy).strong.identifiers("full name"))
    report = copy / stage_folder_name("publish") / "report" / "index.html"
    report.write_text(report.read_text() + f"<p>{' '.join(full_name)}</p>")
    leaked = runner.invoke(app, ["audit", "leaks", str(copy)])
    assert leaked.exit_code == 1
    assert (
        f"{stage_folder_name('publish')}/report/index.html" in leaked.output
        and "full name" in leaked.output
    )


def test_the_disclosure_audit_cli_checks_the_whole_release(first_run: Path, tmp_path: Path) -> None:
    """``gbo audit disclosure`` checks every figure the stage audited (the data quality page
    and the quoted figures too), and every count of withheld figures agrees."""
    import pandas as pd

    folder = first_run / stage_folder_name("disclosure")
    stage_audit = json.loads((folder / "disclosure_audit.json").read_text())
    metrics = json.loads((first_run / "manifest.json").read_text())["stages"]["disclosure"][
        "metrics"
    ]
    assert (
        metrics["n_primary"] + metrics["n_secondary"]
        == stage_audit["n_withheld"] + stage_audit["n_complementary_zeros_not_audited"]
    )
    copy = tmp_path / "run"
    shutil.copytree(first_run, copy)
    runner = CliRunner()
    passed = runner.invoke(app, ["audit", "disclosure", str(copy), "--fast"])
    assert passed.exit_code == 0, passed.output
    assert f"passed: {stage_audit['n_withheld']} withheld figures" in passed.output
    # show a figure the data quality page withholds: the audit must see it
    path = copy / stage_folder_name("disclosure") / "other_figures.parquet"
    figures = pd.read_parquet(path)
    on_page = figures[figures["count_display"] == "[c]"]
    assert not on_page.empty
    planted = on_page.index[0]
    figures.loc[planted, "count"] = 1
    figures.loc[planted, "count_display"] = "1"
    figures.to_parquet(path, index=False)
    failed = runner.invoke(app, ["audit", "disclosure", str(copy), "--fast"])
    assert failed.exit_code == 1
    said = " ".join(failed.output.split())
    table = figures.loc[planted, "table_id"]
    assert f"of table {table} is published with a wrong value" in said or (
        f"of table {table} shows a count below" in said
    )


def test_a_rerun_keeps_unchanged_stages_and_redoes_changed_ones(
    first_run: Path, world: Path
) -> None:
    before = dict(REFERENCE)
    config, config_path = _config(world, first_run.parent)
    again = run_pipeline(config, config_path=config_path, key_loader=_keys)
    assert again == first_run
    stages = json.loads((first_run / "manifest.json").read_text())["stages"]
    assert {s["status"] for s in stages.values()} == {"kept"}
    changed, _ = _config(world, first_run.parent, disclosure={"threshold": 10})
    run_pipeline(changed, config_path=config_path, key_loader=_keys)
    stages = json.loads((first_run / "manifest.json").read_text())["stages"]
    names = [s.name for s in STAGES]
    # only the disclosure stage reads the threshold (it controls the tables and the published
    # data quality page alike): it and everything after it rerun, nothing before it
    cut = names.index("disclosure")
    assert [stages[n]["status"] for n in names] == ["kept"] * cut + ["ran"] * (len(names) - cut)
    after = _table_hashes(first_run)
    first_changed = stage_folder_name("disclosure")
    assert {k: v for k, v in after.items() if k < first_changed} == {
        k: v for k, v in before.items() if k < first_changed
    }
    page = (first_run / stage_folder_name("publish") / "report" / "data-quality.html").read_text()
    assert "counts from 1 to 9" in page
    # back to the first run's settings, for the tests that read the run after this one
    run_pipeline(config, config_path=config_path, key_loader=_keys)
    assert _table_hashes(first_run) == before


def _status(run_dir: Path) -> dict[str, str]:
    stages = json.loads((run_dir / "manifest.json").read_text())["stages"]
    return {name: stage["status"] for name, stage in stages.items()}


def test_a_configuration_resumes_its_own_latest_run_after_another_configuration_ran(
    world: Path, tmp_path: Path
) -> None:
    """Configurations A and B share a runs folder: A, B, then A again resumes A's run (it
    used to start a new one, since runs/latest was B's); a changed setting still reruns."""
    import tomli_w

    runs = tmp_path / "runs"
    config, _ = _config(world, runs)
    raw = _without_nulls(config.model_dump(mode="json"))
    path_a, path_b = tmp_path / "a.toml", tmp_path / "b.toml"
    path_a.write_text(tomli_w.dumps(raw))
    path_b.write_text(
        tomli_w.dumps({**raw, "run": {**raw["run"], "name": "split"}, "ingest": {
            **raw["ingest"], "max_future_days": 3}})
    )  # fmt: skip

    def run(path: Path, *, resume: bool = True) -> Path:
        return run_pipeline(
            load_config(path), config_path=path, key_loader=_keys, until="ingest", resume=resume
        )

    run_a = run(path_a)
    run_b = run(path_b)
    assert run_b != run_a and (runs / "latest").resolve() == run_b
    assert run(path_a) == run_a
    assert set(_status(run_a).values()) == {"kept"}
    assert (runs / "latest").resolve() == run_a
    assert run(path_b) == run_b and set(_status(run_b).values()) == {"kept"}
    assert sorted(p.name for p in runs.iterdir() if p.name != "latest") == sorted(
        [run_a.name, run_b.name]
    )
    # A's settings changed in its file: its run is resumed and the changed stage reruns
    changed = {**raw, "ingest": {**raw["ingest"], "earliest_year": 1901}}
    path_a.write_text(tomli_w.dumps(changed))
    assert run(path_a) == run_a
    assert _status(run_a)["ingest"] == "ran"
    # A new run of A is the one that a later run of A resumes, even after B ran again
    newer_a = run(path_a, resume=False)
    assert newer_a not in {run_a, run_b}
    assert run(path_b) == run_b
    assert run(path_a) == newer_a and set(_status(newer_a).values()) == {"kept"}


@overload
def _without_nulls(value: dict[str, Any]) -> dict[str, Any]: ...
@overload
def _without_nulls(value: object) -> object: ...
def _without_nulls(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def test_an_interrupted_run_reruns_to_the_same_tables(
    first_run: Path, world: Path, tmp_path: Path
) -> None:
    """Kill a run part-way (SIGKILL, no clean-up), rerun it, and get the same tables."""
    import tomli_w

    reference = dict(REFERENCE)
    config, _ = _config(world, tmp_path / "runs")
    config_path = tmp_path / "interrupted.toml"
    config_path.write_text(tomli_w.dumps(_without_nulls(config.model_dump(mode="json"))))
    env = {**os.environ, KEY_ENV_VAR: KEY_TEXT}
    process = subprocess.Popen(
        [sys.executable, "-m", "gbo.cli", "run", str(config_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    runs = tmp_path / "runs"
    while time.monotonic() < deadline and process.poll() is None:
        link, quality = declared_stage("link"), declared_stage("quality")
        if list(runs.glob(f"*/{link.folder}")) or list(runs.glob(f"*/{quality.partial_folder}")):
            break
        time.sleep(0.05)
    assert process.poll() is None, (tmp_path / "interrupted.log").read_text()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    interrupted = next(p for p in runs.iterdir() if p.is_dir() and p.name != "latest")
    assert not (interrupted / stage_folder_name("publish")).exists()
    rerun = run_pipeline(config, config_path=config_path, key_loader=_keys)
    assert rerun == interrupted
    assert not list(rerun.glob(".*.partial"))
    assert _table_hashes(rerun) == reference


def test_gbo_run_prints_the_run_folder_last(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomli_w

    config, _ = _config(world, tmp_path / "runs")
    config_path = tmp_path / "run.toml"
    config_path.write_text(tomli_w.dumps(_without_nulls(config.model_dump(mode="json"))))
    monkeypatch.setenv(KEY_ENV_VAR, KEY_TEXT)
    result = CliRunner().invoke(app, ["run", str(config_path), "--until", "vault"])
    assert result.exit_code == 0, result.output
    last = Path(result.output.strip().splitlines()[-1])
    assert last.parent == (tmp_path / "runs").resolve()
    assert (last / stage_folder_name("vault")).is_dir() and not (
        last / stage_folder_name("link")
    ).exists()
    bad = CliRunner().invoke(app, ["run", str(tmp_path / "absent.toml")])
    assert bad.exit_code == 2 and "configuration file not found" in bad.output
    assert "Traceback" not in bad.output


def test_gbo_run_strict_exits_3_when_an_input_file_could_not_be_ingested(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomli_w

    config, _ = _config(world, tmp_path / "runs")
    raw = _without_nulls(config.model_dump(mode="json"))
    broken = tmp_path / "police_extra.csv"
    broken.write_text("", encoding="utf-8")  # an empty export: nothing to read
    raw["sources"].append({**raw["sources"][0], "path": str(broken)})
    config_path = tmp_path / "run.toml"
    config_path.write_text(tomli_w.dumps(raw))
    monkeypatch.setenv(KEY_ENV_VAR, KEY_TEXT)
    lenient = CliRunner().invoke(app, ["run", str(config_path), "--until", "ingest"])
    assert lenient.exit_code == 0, lenient.output  # the other files went through
    strict = CliRunner().invoke(app, ["run", str(config_path), "--until", "ingest", "--strict"])
    assert strict.exit_code == 3, strict.output
    assert "not ingested" in strict.output and "police_extra.csv" in strict.output


@pytest.mark.browser
@pytest.mark.slow
def test_the_demo_bulletin_opens_with_main_points_traceable_to_tables(
    first_run: Path, chromium: Any
) -> None:
    """A reader's view of the demo's bulletin: main points first, each number in the table
    it links to (read from that table's published CSV, not from gbo's own objects)."""
    import csv
    import re

    from gbo.publish.plan import file_stem
    from tests.browser_support import serve_folder

    publish_dir = first_run / stage_folder_name("publish")
    printed: dict[str, set[str]] = {}
    for path in (publish_dir / "csv").glob("*.csv"):
        anchor = f"table-{file_stem(path.stem)}".replace("_", "-").lower()
        with path.open(encoding="utf-8") as handle:
            cells = [c for row in csv.reader(handle) for c in row if not c.startswith("[")]
        printed[anchor] = {n.replace(",", "") for c in cells for n in re.findall(r"\d[\d,.]*", c)}

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        with serve_folder(publish_dir) as base:
            page.goto(f"{base}/report/bulletin.html")
            points = page.locator("#main-points [data-main-points] li")
            assert points.count() >= 3
            assert points.first.bounding_box()["y"] < 900  # on the first screen
            for i in range(points.count()):
                point = points.nth(i)
                anchor = point.get_by_role("link").get_attribute("href").split("#")[1]
                text = point.inner_text().rsplit("(Table", 1)[0]
                found = re.findall(r"\d[\d,.]*", text)
                numbers = {n.rstrip(".,").replace(",", "") for n in found}
                assert numbers - {"95"} <= printed[anchor], (text, anchor)
    finally:
        page.close()
