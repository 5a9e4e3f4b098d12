"""The disclosure stage end to end on a run folder, and ``gbo audit disclosure``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.config import RunConfig
from gbo.disclosure import stage
from gbo.runfolder import RunContext
from gbo.stages import stage_folder_name
from tests.disclosure.factories import make_tables

OUTPUTS = (
    "tables.parquet",
    "tables.json",
    "statistics.parquet",
    "suppression_log.parquet",
    "disclosure_audit.json",
    "quoted_figures.json",
    "other_figures.parquet",
    "other_figures.json",
)


def write_inputs(run_dir: Path, n: int = 1_500) -> pd.DataFrame:
    rows, meta, stats = make_tables(n, seed=4)
    lessons = rows["table_id"] == "lessons_themes"
    for folder, part, names in (
        (stage_folder_name("profile"), rows[~lessons], [t for t in meta if t != "lessons_themes"]),
        (stage_folder_name("lessons"), rows[lessons], ["lessons_themes"]),
    ):
        (run_dir / folder).mkdir(parents=True)
        pq.write_table(
            pa.Table.from_pandas(part, preserve_index=False), run_dir / folder / "tables.parquet"
        )
        (run_dir / folder / "tables.json").write_text(
            json.dumps({t: meta[t] for t in names}), encoding="utf-8"
        )
    pq.write_table(
        pa.Table.from_pandas(stats, preserve_index=False),
        run_dir / stage_folder_name("profile") / "statistics.parquet",
    )
    return rows


def run_stage(run_dir: Path, config: RunConfig | None = None) -> RunContext:
    ctx = RunContext(run_dir=run_dir, config=config or RunConfig(), stage="disclosure")
    result = stage.run(ctx)
    assert result.metrics["audit_passed"] is True
    os.replace(
        run_dir / f".{stage_folder_name('disclosure')}.partial",
        run_dir / stage_folder_name("disclosure"),
    )
    return ctx


@pytest.mark.slow
def test_stage_writes_the_published_tables_and_the_audit(tmp_path: Path) -> None:
    rows = write_inputs(tmp_path)
    ctx = run_stage(tmp_path)
    folder = tmp_path / stage_folder_name("disclosure")
    for name in OUTPUTS:
        assert (folder / name).is_file(), name
    assert {Path(o.path).name for o in ctx.outputs} == set(OUTPUTS)
    published = pq.read_table(folder / "tables.parquet").to_pandas()
    assert len(published) == len(rows)
    assert published["count"].isna().any()  # something was withheld
    for column in (
        "count_display",
        "pct_of_all_display",
        "pct_of_recorded_display",
        "ci_lower_display",
        "ci_upper_display",
        "suppression",
    ):
        assert column in published.columns
    meta = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    assert "[c]" in meta["symbols"]
    assert meta["offenders_sex"]["margin_key"] == "offenders"
    assert meta["lessons_themes"]["disclosure"]["is_personal"] is False
    audit = json.loads((folder / "disclosure_audit.json").read_text(encoding="utf-8"))
    assert audit["passed"] is True and audit["n_withheld"] > 0
    families = audit["relation_families_modelled"]
    assert families["categories add to their column total"] > 0
    assert families["published percentages as intervals from their rounding"] > 0
    log = pq.read_table(folder / "suppression_log.parquet").to_pandas()
    assert list(log.columns) == ["table_id", "breakdown", "category", "figure", "rule", "reason"]
    assert set(log["rule"]) >= {"threshold", "secondary"}


@pytest.mark.slow
def test_audit_command_passes_then_catches_a_planted_cell(tmp_path: Path) -> None:
    rows = write_inputs(tmp_path)
    run_stage(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "disclosure", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    assert "passed" in ok.output
    assert "relation families modelled" in ok.output
    assert "published percentages as intervals from their rounding" in ok.output

    # un-suppress every secondary cell: the primary cells they protected become derivable
    path = tmp_path / stage_folder_name("disclosure") / "tables.parquet"
    published = pq.read_table(path).to_pandas()
    truth = rows.set_index(["table_id", "breakdown", "category"])["count"]
    secondary = published["suppression"] == "secondary"
    assert secondary.any()
    for index in published.index[secondary]:
        key = tuple(published.loc[index, ["table_id", "breakdown", "category"]])
        published.loc[index, "count"] = int(truth[key])
        published.loc[index, "count_display"] = str(int(truth[key]))
    pq.write_table(pa.Table.from_pandas(published, preserve_index=False), path)
    failed = runner.invoke(app, ["audit", "disclosure", str(tmp_path)])
    assert failed.exit_code == 1, failed.output
    assert "NARROW" in failed.output

    # a Wilson interval shown beside a withheld count is outside the audited model
    published = pq.read_table(path).to_pandas()
    hidden = published.index[published["count_display"] == "[c]"][0]
    published.loc[hidden, "ci_upper_display"] = "40.0"
    pq.write_table(pa.Table.from_pandas(published, preserve_index=False), path)
    outside = runner.invoke(app, ["audit", "disclosure", str(tmp_path)])
    assert outside.exit_code == 1
    assert "outside the audited model" in outside.output


@pytest.mark.slow
def test_rounded_run_passes_the_exact_integer_audit(tmp_path: Path) -> None:
    write_inputs(tmp_path, n=800)
    config = RunConfig.model_validate({"disclosure": {"rounding": "base10", "threshold": 10}})
    run_stage(tmp_path, config)
    published = pq.read_table(
        tmp_path / stage_folder_name("disclosure") / "tables.parquet"
    ).to_pandas()
    people = published[published["table_id"] != "lessons_themes"]
    shown = people["count"].dropna().astype(int)
    assert (shown % 10 == 0).all()
    result = CliRunner().invoke(app, ["audit", "disclosure", str(tmp_path), "--integer"])
    assert result.exit_code == 0, result.output
    stricter = CliRunner().invoke(
        app, ["audit", "disclosure", str(tmp_path), "--fast", "--protection", "60"]
    )
    assert stricter.exit_code == 1


def test_audit_command_on_a_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", "disclosure", str(tmp_path / "nope")])
    assert result.exit_code == 2
