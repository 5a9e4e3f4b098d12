"""Publish on the real disclosure stage's output: true counts in, nothing small out."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gbo.bundle import verify_bundle
from gbo.config import RunConfig
from gbo.runfolder import RunContext
from gbo.stages import stage_folder_name
from tests.publish.conftest import run_publish
from tests.publish.fixture_run import THRESHOLD, write_profile_folder

pytestmark = pytest.mark.slow


def _run_disclosure(run_dir: Path, config: RunConfig) -> None:
    from gbo.disclosure import stage

    stage.run(RunContext(run_dir=run_dir, config=config, stage="disclosure"))
    folder = stage_folder_name("disclosure")
    shutil.rmtree(run_dir / folder, ignore_errors=True)
    os.replace(run_dir / f".{folder}.partial", run_dir / folder)


def test_no_small_count_reaches_any_published_file(tmp_path: Path) -> None:
    run_dir = write_profile_folder(tmp_path / "run-through-disclosure")
    config = RunConfig.model_validate({"publish": {"write_ods": False}})
    _run_disclosure(run_dir, config)
    publish_dir, result = run_publish(run_dir, config)
    assert result.metrics["n_tables"] >= 7
    verify_bundle(publish_dir / "release-bundle.zip")

    true = pd.read_parquet(run_dir / stage_folder_name("profile") / "tables.parquet")
    personal_small = true[(true["count"] > 0) & (true["count"] < THRESHOLD)]
    assert not personal_small.empty
    # every small true count is withheld in every CSV file of its table
    for (table_id, breakdown, category), _ in personal_small.groupby(
        ["table_id", "breakdown", "category"]
    ):
        csv = pd.read_csv(publish_dir / "csv" / f"{table_id}.csv", keep_default_na=False)
        row = csv[(csv["breakdown"] == breakdown) & (csv["category"] == category)]
        assert len(row) == 1
        assert row["count"].iloc[0] == "", f"{table_id}/{breakdown}/{category} was published"
        assert row["count_display"].iloc[0].startswith("[")
    # and no workbook cell holds a number of people below the threshold
    book = openpyxl.load_workbook(publish_dir / "tables.xlsx")
    for ws in book.worksheets[3:]:
        if "lessons" in ws.title or "statistics" in ws.title:
            continue
        (table,) = ws.tables.values()
        first, last = table.ref.split(":")
        rows = list(ws[first:last])
        headers = [str(c.value) for c in rows[0]]
        count_col = next(i for i, h in enumerate(headers) if h.startswith("Number of"))
        for row in rows[1:]:
            value = row[count_col].value
            assert not (isinstance(value, int) and 0 < value < THRESHOLD), ws.title
    shutil.rmtree(run_dir)
