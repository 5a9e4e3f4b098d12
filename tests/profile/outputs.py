"""Run the profile stage on a World and read its outputs back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from gbo.profile.settings import ProfileSettings
from gbo.profile.stage import run
from gbo.runfolder import StageResult, stage_folder_name
from tests.profile.world import World, write_world


@dataclass
class Outputs:
    rows: list[dict[str, Any]]
    metadata: dict[str, Any]
    statistics: list[dict[str, Any]]
    completeness: list[dict[str, Any]]
    result: StageResult
    warnings: list[str]
    folder: Path

    def table(self, table_id: str) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["table_id"] == table_id]

    def cells(self, table_id: str) -> dict[tuple[str, str], int]:
        """Non-zero cells of a table, as the reference computes them."""
        return {
            (r["breakdown"], r["category"]): r["count"] for r in self.table(table_id) if r["count"]
        }

    def cell(self, table_id: str, breakdown: str, category: str) -> dict[str, Any]:
        for r in self.table(table_id):
            if r["breakdown"] == breakdown and r["category"] == category:
                return r
        raise KeyError((table_id, breakdown, category))

    def statistic(self, table_id: str, breakdown: str, statistic: str) -> dict[str, Any]:
        for s in self.statistics:
            if (s["table_id"], s["breakdown"], s["statistic"]) == (table_id, breakdown, statistic):
                return s
        raise KeyError((table_id, breakdown, statistic))


def run_profile(
    tmp: Path,
    world: World,
    settings: ProfileSettings | None = None,
    review_pairs: list[tuple[str, str]] | None = None,
) -> Outputs:
    """Run the stage; ``review_pairs`` (record pids) become the link stage's review queue."""
    ctx = write_world(tmp, world, settings)
    if review_pairs is not None:
        queue = ctx.run_dir / stage_folder_name("link") / "review_queue.csv"
        lines = ["record_pid_l,record_pid_r,decision"] + [f"{a},{b}," for a, b in review_pairs]
        queue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(ctx)
    folder = ctx.stage_dir
    return Outputs(
        rows=pq.read_table(folder / "tables.parquet").to_pylist(),
        metadata=json.loads((folder / "tables.json").read_text(encoding="utf-8")),
        statistics=pq.read_table(folder / "statistics.parquet").to_pylist(),
        completeness=pq.read_table(folder / "completeness.parquet").to_pylist(),
        result=result,
        warnings=list(ctx.warnings),
        folder=folder,
    )
