from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from gbo.config import RunConfig
from gbo.lessons import stage
from gbo.lessons.generator import PlannedReview
from gbo.lessons.settings import LessonsSettings
from gbo.runfolder import RunContext
from gbo.security import KeyRing


def _context(run_dir: Path, keys: KeyRing, settings: LessonsSettings) -> RunContext:
    config = RunConfig(lessons=settings)
    return RunContext(run_dir=run_dir, config=config, stage="lessons", key_loader=lambda: keys)


def test_stage_writes_the_tidy_tables_and_records_its_inputs(
    small_library: tuple[Path, list[PlannedReview]], tmp_path: Path, keys: KeyRing
) -> None:
    folder, reviews = small_library
    ctx = _context(tmp_path, keys, LessonsSettings(library=folder, use_embeddings=False))
    result = stage.run(ctx)
    out = ctx.stage_dir
    tables = pq.read_table(out / "tables.parquet")
    metadata = json.loads((out / "tables.json").read_text())
    assert set(tables.column("table_id").to_pylist()) == set(metadata)
    assert all(m["personal"] is False and m["section"] == "lessons" for m in metadata.values())
    assert result.metrics["documents"] == len(reviews)
    assert {Path(i["path"]).name for i in ctx.inputs} >= {r.file for r in reviews}
    assert (out / "candidates.csv").read_text().startswith("assignment_id,")
    assert (out / "lessons.html").read_text().startswith("<!DOCTYPE html>")
    assert (out / "theme_recurrence.csv").read_text().startswith("theme_id,")
    assert (out / "evidence.csv").is_file()


def test_without_a_library_the_stage_says_so(tmp_path: Path, keys: KeyRing) -> None:
    ctx = _context(tmp_path, keys, LessonsSettings())
    result = stage.run(ctx)
    assert "no case review library" in result.warnings[0]
    assert pq.read_table(ctx.stage_dir / "tables.parquet").num_rows == 0
