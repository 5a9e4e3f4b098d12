"""The groups stage end to end on person-level fixtures with planted groups."""

from __future__ import annotations

import csv
import json
import secrets
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from gbo.groups.partition import NO_GROUP, compare_groups
from gbo.groups.settings import GroupsSettings
from gbo.groups.stage import run
from gbo.runfolder import RunContext
from gbo.security import KeyRing
from gbo.security.keys import key_ring_from_master
from tests.groups.planted_records import PlantedRecords, plant_records, write_run

OUTPUTS = (
    "offender_edge.parquet",
    "group_membership.parquet",
    "group.parquet",
    "group_offence.parquet",
    "group_victim.parquet",
    "group_sensitivity.parquet",
    "group_rule.json",
    "i2/entities.csv",
    "i2/links.csv",
)


def run_stage(
    run_dir: Path, planted: PlantedRecords, keys: KeyRing, **settings: object
) -> RunContext:
    ctx = write_run(run_dir, planted, keys, GroupsSettings.model_validate(settings))
    ctx.warnings.extend(run(ctx).warnings)
    return ctx


def agreement_with_truth(ctx: RunContext, planted: PlantedRecords) -> tuple[float, float]:
    rows = pq.read_table(ctx.stage_dir / "group_membership.parquet").to_pylist()
    found_codes = {
        g: i for i, g in enumerate(sorted({r["group_pid"] for r in rows if r["group_pid"]}))
    }
    truth = np.array([planted.true_group[r["person_pid"]] for r in rows])
    found = np.array([found_codes[r["group_pid"]] if r["group_pid"] else NO_GROUP for r in rows])
    agreement = compare_groups(truth, found)
    return agreement.ari, agreement.nmi


@pytest.fixture(scope="module")
def planted() -> PlantedRecords:
    return plant_records(120, 80, seed=9)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory, planted: PlantedRecords) -> RunContext:
    """One stage run at the default rule, shared by the tests that only read its outputs."""
    keys = key_ring_from_master(secrets.token_bytes(32))
    return run_stage(tmp_path_factory.mktemp("default"), planted, keys)


def test_planted_groups_are_found_with_high_agreement(
    default_run: RunContext, planted: PlantedRecords
) -> None:
    ctx = default_run
    ari, nmi = agreement_with_truth(ctx, planted)
    assert ari >= 0.95
    assert nmi >= 0.95
    for name in OUTPUTS:
        assert (ctx.stage_dir / name).is_file(), name
    recorded = {Path(o.path).name for o in ctx.outputs}
    assert {"group.parquet", "group_rule.json"} <= recorded


def test_lone_offenders_and_groups_are_both_kept(
    default_run: RunContext, planted: PlantedRecords
) -> None:
    ctx = default_run
    membership = pq.read_table(ctx.stage_dir / "group_membership.parquet").to_pylist()
    n_true_lone = sum(1 for g in planted.true_group.values() if g == NO_GROUP)
    assert sum(r["is_lone"] for r in membership) == n_true_lone
    assert len(membership) == len(planted.true_group)
    lone = [r for r in membership if r["is_lone"]]
    assert all(r["group_pid"] is None and r["is_convicted"] for r in lone)
    # Only pseudonyms, flags and counts: no personal attribute leaves the stage per person.
    columns = set(pq.read_schema(ctx.stage_dir / "group_membership.parquet").names)
    assert not columns & {"sex", "birth_year", "ethnicity_self", "ethnicity_officer", "nationality"}


def test_group_metrics_add_up(default_run: RunContext) -> None:
    ctx = default_run
    group = pq.read_table(ctx.stage_dir / "group.parquet").to_pandas()
    membership = pq.read_table(ctx.stage_dir / "group_membership.parquet").to_pandas()
    offences = pq.read_table(ctx.stage_dir / "group_offence.parquet").to_pandas()
    victims = pq.read_table(ctx.stage_dir / "group_victim.parquet").to_pandas()
    assert group["n_offenders"].sum() == membership["group_pid"].notna().sum()
    assert (
        group.set_index("group_pid")["n_offences"] == offences.groupby("group_pid").size()
    ).all()
    assert (group.set_index("group_pid")["n_victims"] == victims.groupby("group_pid").size()).all()
    sex = [c for c in group.columns if c.startswith("n_members_sex_")]
    ethnicity = [c for c in group.columns if c.startswith("n_members_ethnicity_")]
    officer = [c for c in group.columns if c.startswith("n_members_officer_ethnicity_")]
    ages = ["n_members_aged_under_18", "n_members_aged_18_and_over", "n_members_age_not_recorded"]
    for cols in (sex, ethnicity, officer, ages):
        assert (group[cols].sum(axis=1) == group["n_offenders"]).all()
    mix = [
        c
        for c in group.columns
        if c.startswith("n_offences_") and not c.startswith("n_offences_at_")
    ]
    mix = [c for c in mix if c not in {"n_offences_undated", "n_offences_cse_flagged"}]
    assert (group[mix].sum(axis=1) == group["n_offences"]).all()
    places = [c for c in group.columns if c.startswith("n_offences_at_")]
    assert (group[places].sum(axis=1) == group["n_offences"]).all()
    assert ((group["density"] > 0) & (group["density"] <= 1)).all()
    span = [
        (last - first).days
        for first, last in zip(group["first_date"], group["last_date"], strict=True)
    ]
    assert group["duration_days"].tolist() == span
    assert (group["min_member_age"] <= group["max_member_age"]).all()


@pytest.mark.slow
def test_a_false_linkage_merge_joins_two_groups(
    tmp_path: Path, planted: PlantedRecords, default_run: RunContext
) -> None:
    before = default_run
    keys = default_run.keys  # the same key, so pseudonyms compare across the two runs
    # Two offenders of different planted groups wrongly linked into one person.
    a, b = "per_g0000m00", "per_g0001m00"
    merged = PlantedRecords(
        offence=planted.offence,
        involvement=planted.involvement,
        association=planted.association,
        record_map=[
            r | {"person_pid": a} if r["person_pid"] == b else r for r in planted.record_map
        ],
        person=[p for p in planted.person if p["person_pid"] != b],
        true_group=planted.true_group,
        records_of=planted.records_of,
    )
    after = run_stage(tmp_path / "after", merged, keys)

    def groups(ctx: RunContext) -> dict[str, str | None]:
        rows = pq.read_table(ctx.stage_dir / "group_membership.parquet").to_pylist()
        return {r["person_pid"]: r["group_pid"] for r in rows}

    g_before, g_after = groups(before), groups(after)
    size_a = sum(1 for p, g in planted.true_group.items() if g == 0)
    size_b = sum(1 for p, g in planted.true_group.items() if g == 1)
    assert g_before[a] != g_before[b]
    assert len(set(g_after.values()) - {None}) == len(set(g_before.values()) - {None}) - 1
    joined = g_after[a]
    assert sum(1 for g in g_after.values() if g == joined) == size_a + size_b - 1
    members_b = [p for p, g in planted.true_group.items() if g == 1 and p != b]
    assert all(g_after[p] == joined for p in members_b)


@pytest.mark.slow
def test_sensitivity_table_covers_six_rules_and_marks_the_configured_one(
    tmp_path: Path, keys: KeyRing, planted: PlantedRecords, default_run: RunContext
) -> None:
    ctx = default_run
    table = pq.read_table(ctx.stage_dir / "group_sensitivity.parquet").to_pylist()
    assert [r["rule_name"] for r in table] == [
        "offence_only",
        "offence_only_split",
        "plus_shared_victim",
        "plus_shared_victim_split",
        "plus_association",
        "plus_association_split",
    ]
    assert [r["rule_name"] for r in table if r["is_configured_rule"]] == [
        "plus_shared_victim_split"
    ]
    for r in table:
        bands = r["n_groups_size_2"] + r["n_groups_size_3_4"]
        bands += r["n_groups_size_5_9"] + r["n_groups_size_10_plus"]
        assert bands == r["n_groups"]
        assert r["n_offenders_in_groups"] + r["n_offenders_not_in_groups"] == len(
            planted.true_group
        )
    # The alternatives keep the configured window and split; only the link types vary.
    window = run_stage(
        tmp_path / "window", planted, keys, rule_version="w30", shared_victim_window_days=30
    )
    rows = pq.read_table(window.stage_dir / "group_sensitivity.parquet").to_pylist()
    assert [r["rule_name"] for r in rows if r["is_configured_rule"]] == ["plus_shared_victim_split"]
    custom = run_stage(
        tmp_path / "custom",
        planted,
        keys,
        rule_version="oa",
        edge_types=["shared_offence", "association"],
    )
    rows = pq.read_table(custom.stage_dir / "group_sensitivity.parquet").to_pylist()
    assert len(rows) == 7
    assert rows[-1]["rule_name"] == "configured" and rows[-1]["is_configured_rule"]


@pytest.mark.slow
def test_rule_json_and_metrics_name_the_rule(
    tmp_path: Path, keys: KeyRing, planted: PlantedRecords
) -> None:
    ctx = write_run(tmp_path, planted, keys, GroupsSettings())
    result = run(ctx)
    rule = json.loads((ctx.stage_dir / "group_rule.json").read_text())
    assert rule == result.metrics["group_rule"]
    assert rule["rule_version"] == "gbo-groups-1"
    assert rule["definition"]["leiden"]["seed"] == 20260101
    assert "Group rule gbo-groups-1" in rule["description"]
    assert result.metrics["n_groups"] == len({g for g in planted.true_group.values() if g >= 0})
    changed = run(write_run(tmp_path / "changed", planted, keys, GroupsSettings(min_group_size=3)))
    assert any("keeps the default version" in w for w in changed.warnings)


def test_i2_exports_and_network_pictures(
    tmp_path: Path, keys: KeyRing, planted: PlantedRecords
) -> None:
    ctx = run_stage(tmp_path, planted, keys, network_pictures=5)
    with (ctx.stage_dir / "i2/entities.csv").open(newline="") as fh:
        entities = list(csv.DictReader(fh))
    with (ctx.stage_dir / "i2/links.csv").open(newline="") as fh:
        links = list(csv.DictReader(fh))
    ids = {e["Entity ID"] for e in entities}
    assert len(ids) == len(entities)
    assert {e["Entity Type"] for e in entities} == {"Offender", "Group", "Victim"}
    assert all(link["From ID"] in ids and link["To ID"] in ids for link in links)
    assert {"Co-offended", "Member of", "Offended against"} <= {link["Link Type"] for link in links}
    pictures = sorted((ctx.stage_dir / "networks").glob("*.svg"))
    assert len(pictures) == 5
    for picture in pictures:
        root = ET.parse(picture).getroot()
        assert root.tag.endswith("svg")
        assert "INTERNAL USE ONLY" in picture.read_text()
    assert any("network pictures drawn for the 5 largest" in w for w in ctx.warnings)


def test_no_offenders_gives_empty_tables(tmp_path: Path, keys: KeyRing) -> None:
    empty = PlantedRecords()
    ctx = run_stage(tmp_path, empty, keys)
    assert pq.read_table(ctx.stage_dir / "group.parquet").num_rows == 0
    assert pq.read_table(ctx.stage_dir / "group_membership.parquet").num_rows == 0
    sensitivity = pq.read_table(ctx.stage_dir / "group_sensitivity.parquet").to_pylist()
    assert all(r["n_groups"] == 0 for r in sensitivity)
