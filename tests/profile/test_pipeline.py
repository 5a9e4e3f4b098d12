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
    # what disclosure control reads of the tables' design (December 2026, sixth round)
    assert out.metadata["groups_duration"]["bands"][0] == ["Under 1 month", 0, 30]
    by_class = {t for t, m in out.metadata.items() if m.get("breakdowns_describe_victims")}
    assert {"context_local_authority", "outcomes_group", "scale_offence_type"} <= by_class
    assert "victims_sex" not in by_class
    _check_properties(out)
    _check_reference(out, _world_from_run(run_dir))
    _check_journeys(out, synth.out_dir / "ground_truth")


def _check_journeys(out: Outputs, truth_dir: Path) -> None:
    """Exports with police, health and social care contacts give every kind of journey."""
    victims = pq.read_table(truth_dir / "victims.parquet").to_pandas()
    events = pq.read_table(truth_dir / "events.parquet").to_pandas()
    journey = {c: n for (b, c), n in out.cells("journeys_identification").items() if b == "All"}
    assert journey["Identified after earlier contacts"] > 0
    assert journey["Known to agencies, not identified"] > 0  # the never identified
    # the generator identifies victims after their first offence, so the crime record as a
    # victim always comes first (tests/profile/test_journeys.py plants the other journeys)
    identified = sum(journey[c] for c in journey if c.startswith("Identified"))
    # linkage splits and joins some people, so compare within a margin
    assert abs(identified - victims["identification_date"].notna().sum()) <= 0.2 * identified
    agencies = out.cells("journeys_contacts_agency")
    for label in ("Police", "Health services", "Children's social care"):
        assert agencies[("All", label)] > 0
    types = out.cells("journeys_contacts_event_type")
    assert types[("All", "Recorded as the victim of an offence")] > 0
    assert out.cells("journeys_signals")[("All", "Missing episode")] > 0
    # identification by a referral for exploitation is in the exports and counted
    by_referral = events[events["is_identification"] & (events["event_reason"] == "CSE")]
    assert len(by_referral) > 0
    configured = out.statistic("journeys_sensitivity", "As configured", "identified")
    broader = out.statistic(
        "journeys_sensitivity",
        "Broader identification (adding risk of and concern about exploitation)",
        "identified",
    )
    assert broader["value"] > configured["value"]
    assert out.cells("journeys_contacts_timeline")
