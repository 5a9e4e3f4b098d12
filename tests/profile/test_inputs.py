"""Inputs that are missing or short of a column: the stage still runs and says so."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gbo.errors import ProfileError
from gbo.profile.settings import ProfileSettings
from gbo.profile.stage import run
from gbo.runfolder import stage_folder_name
from tests.profile.handmade import handmade_world
from tests.profile.outputs import run_profile
from tests.profile.world import write_world


def test_absent_groups_stage_gives_tables_with_everything_not_recorded(tmp_path: Path) -> None:
    ctx = write_world(tmp_path, handmade_world())
    shutil.rmtree(tmp_path / stage_folder_name("groups"))
    run(ctx)
    rows = pq.read_table(ctx.stage_dir / "tables.parquet").to_pylist()
    status = {r["category"]: r["count"] for r in rows if r["table_id"] == "offenders_group_status"}
    assert status == {"In a group": 0, "Alone": 0, "Not recorded": 5}
    assert any("group_membership is absent" in w for w in ctx.warnings)


def test_missing_column_is_counted_as_not_recorded(tmp_path: Path) -> None:
    ctx = write_world(tmp_path, handmade_world())
    path = tmp_path / stage_folder_name("link") / "person.parquet"
    pq.write_table(pq.read_table(path).drop(["nationality"]), path)
    run(ctx)
    rows = pq.read_table(ctx.stage_dir / "tables.parquet").to_pylist()
    nr = next(
        r
        for r in rows
        if r["table_id"] == "offenders_nationality"
        and r["breakdown"] == "All"
        and r["is_not_recorded"]
    )
    assert nr["count"] == nr["denominator"] == 5
    assert any("nationality" in w for w in ctx.warnings)


def test_missing_required_input_is_a_profile_error(tmp_path: Path) -> None:
    ctx = write_world(tmp_path, handmade_world())
    (tmp_path / stage_folder_name("vault") / "offence.parquet").unlink()
    with pytest.raises(ProfileError, match="offence.parquet"):
        run(ctx)


def test_period_leaves_out_offences_outside_it(tmp_path: Path) -> None:
    out = run_profile(
        tmp_path,
        handmade_world(),
        ProfileSettings(period_start=date(2021, 1, 1), period_end=date(2021, 12, 31)),
    )
    assert out.cell("scale_offences_by_year", "All", "2021")["denominator"] == 2
    assert "2021-01-01" in out.metadata["offenders_sex"]["period"]
    assert out.cells("groups_size") == {}  # G1 offended only in 2020
    assert any("outside the period" in w for w in out.warnings)


def test_a_repeated_person_is_refused_not_counted_twice(tmp_path: Path) -> None:
    world = handmade_world()
    world.person.append(dict(world.person[0]))
    ctx = write_world(tmp_path, world)
    with pytest.raises(ProfileError, match="repeated person_pid"):
        run(ctx)
