"""The real pipeline, from synthetic agency exports to the profile stage.

The counts are recomputed by the plain-Python reference from the upstream stages' own
outputs in the run folder (vault, link, groups), so the stage is checked on real data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gbo.config import load_config
from gbo.pipeline import run_pipeline
from gbo.runfolder import stage_folder_name
from gbo.synth import generate
from tests.profile.outputs import Outputs
from tests.profile.test_random_worlds import _check_properties, _check_reference
from tests.profile.world import OTHER_SCHEMAS, World


def _world_from_run(run_dir: Path) -> World:
    w = World()
    for name in ("person_record", "offence", "involvement", "event", "vulnerability"):
        setattr(
            w,
            name,
            pq.read_table(run_dir / stage_folder_name("vault") / f"{name}.parquet").to_pylist(),
        )
    for name, (stage, _) in OTHER_SCHEMAS.items():
        setattr(
            w,
            name,
            pq.read_table(run_dir / stage_folder_name(stage) / f"{name}.parquet").to_pylist(),
        )
    return w


@pytest.mark.slow
def test_profile_on_real_pipeline_output(tmp_path: Path) -> None:
    synth = generate(size=600, seed=5, out_dir=tmp_path / "inputs")
    config = load_config(synth.config_path)
    config = config.model_copy(
        update={"run": config.run.model_copy(update={"runs_dir": tmp_path / "runs"})}
    )
    run_dir = run_pipeline(config, until="profile")
    folder = run_dir / stage_folder_name("profile")
    out = Outputs(
        rows=pq.read_table(folder / "tables.parquet").to_pylist(),
        metadata=json.loads((folder / "tables.json").read_text(encoding="utf-8")),
        statistics=pq.read_table(folder / "statistics.parquet").to_pylist(),
        completeness=pq.read_table(folder / "completeness.parquet").to_pylist(),
        result=None,  # type: ignore[arg-type]
        warnings=[],
        folder=folder,
    )
    assert out.cell("offenders_group_status", "All", "In a group")["count"] > 0
    _check_properties(out)
    _check_reference(out, _world_from_run(run_dir))
