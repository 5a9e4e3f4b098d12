"""Offender edges built by DuckDB from tiny hand-made tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gbo.groups.settings import GroupsSettings
from gbo.groups.stage import run
from gbo.security import KeyRing, pseudonymise
from tests.groups.planted_records import PlantedRecords, write_run

D = dt.date


def world() -> PlantedRecords:
    """Offenders a, b, c, d, e; victims v, w. One record per person (rec_<pid>_0)."""
    w = PlantedRecords()
    for pid in ("a", "b", "c", "d", "e", "v", "w"):
        w.records_of[pid] = [f"rec_{pid}_0"]
        w.record_map.append(
            {"record_pid": f"rec_{pid}_0", "person_pid": pid, "agency": "police", "cluster_size": 1}
        )
        w.person.append({"person_pid": pid, "n_records": 1})

    def offence(oid: str, day: D, offenders: list[str], victims: list[str]) -> None:
        w.offence.append(
            {"offence_pid": oid, "agency": "police", "first_date": day, "last_date": day}
        )
        for pid in offenders:
            w.involvement.append(
                {
                    "offence_pid": oid,
                    "record_pid": f"rec_{pid}_0",
                    "agency": "police",
                    "role": "SUSPECT",
                }
            )
        for pid in victims:
            w.involvement.append(
                {
                    "offence_pid": oid,
                    "record_pid": f"rec_{pid}_0",
                    "agency": "police",
                    "role": "VICTIM",
                }
            )

    offence("o1", D(2020, 1, 1), ["a", "b"], ["v"])
    offence("o2", D(2020, 2, 1), ["a", "b"], ["v"])
    offence("o3", D(2020, 6, 1), ["c"], ["v"])  # 4 months after o2: shared victim with a, b
    offence("o4", D(2023, 1, 1), ["d"], ["v"])  # years later: outside the window
    offence("o5", D(2020, 1, 1), ["e"], ["w"])
    w.association.append(
        {
            "record_pid_a": "rec_d_0",
            "record_pid_b": "rec_e_0",
            "agency": "social_care",
            "association_type": "ASSOCIATE",
            "association_date": D(2021, 5, 5),
        }
    )
    # An association with a victim makes no edge: victims are not nodes.
    w.association.append(
        {
            "record_pid_a": "rec_e_0",
            "record_pid_b": "rec_w_0",
            "agency": "social_care",
            "association_type": "FAMILY",
            "association_date": D(2021, 5, 5),
        }
    )
    return w


def edges_of(
    tmp_path: Path, keys: KeyRing, settings: GroupsSettings
) -> dict[tuple[str, str, str], dict[str, object]]:
    ctx = write_run(tmp_path, world(), keys, settings)
    run(ctx)
    table = pq.read_table(ctx.stage_dir / "offender_edge.parquet")
    return {(r["person_pid_a"], r["person_pid_b"], r["edge_type"]): r for r in table.to_pylist()}


def test_shared_offences_are_counted_per_pair(tmp_path: Path, keys: KeyRing) -> None:
    edges = edges_of(tmp_path, keys, GroupsSettings())
    ab = edges[("a", "b", "shared_offence")]
    assert ab["n_offences"] == 2
    assert ab["first_date"] == D(2020, 1, 1)
    assert ab["last_date"] == D(2020, 2, 1)
    assert ab["agencies"] == ["police"]
    assert ab["is_in_rule"] is True


def test_shared_victims_only_within_the_window(tmp_path: Path, keys: KeyRing) -> None:
    edges = edges_of(tmp_path, keys, GroupsSettings())
    assert ("a", "c", "shared_victim") in edges
    assert ("b", "c", "shared_victim") in edges
    assert edges[("a", "c", "shared_victim")]["n_victims"] == 1
    assert not any(k[2] == "shared_victim" and "d" in k[:2] for k in edges)


def test_no_window_links_every_offender_of_a_victim(tmp_path: Path, keys: KeyRing) -> None:
    edges = edges_of(tmp_path, keys, GroupsSettings(shared_victim_window_days=None))
    assert ("c", "d", "shared_victim") in edges
    assert ("a", "d", "shared_victim") in edges


def test_associations_between_offenders_only_and_of_allowed_types(
    tmp_path: Path, keys: KeyRing
) -> None:
    edges = edges_of(tmp_path, keys, GroupsSettings())
    de = edges[("d", "e", "association")]
    assert de["n_associations"] == 1
    assert de["agencies"] == ["social_care"]
    assert de["is_in_rule"] is False  # associations are not in the default rule
    assert not any("w" in k[:2] for k in edges)
    narrow = edges_of(tmp_path / "narrow", keys, GroupsSettings(association_types=["FAMILY"]))
    assert not any(k[2] == "association" for k in narrow)


def test_groups_follow_the_rule(tmp_path: Path, keys: KeyRing) -> None:
    ctx = write_run(tmp_path, world(), keys, GroupsSettings())
    run(ctx)
    membership = {
        r["person_pid"]: r
        for r in pq.read_table(ctx.stage_dir / "group_membership.parquet").to_pylist()
    }
    assert (
        membership["a"]["group_pid"] == membership["b"]["group_pid"] == membership["c"]["group_pid"]
    )
    assert membership["d"]["group_pid"] is None and membership["d"]["is_lone"]
    assert membership["e"]["is_lone"]
    assert "v" not in membership  # victims are not offenders
    expected = pseudonymise(keys, "group", "gbo-groups-1:a", "grp")
    assert membership["a"]["group_pid"] == expected

    with_assoc = write_run(
        tmp_path / "assoc",
        world(),
        keys,
        GroupsSettings(
            rule_version="assoc-1", edge_types=["shared_offence", "shared_victim", "association"]
        ),
    )
    run(with_assoc)
    rows = pq.read_table(with_assoc.stage_dir / "group_membership.parquet").to_pylist()
    by_pid = {r["person_pid"]: r for r in rows}
    assert by_pid["d"]["group_pid"] == by_pid["e"]["group_pid"] is not None
    assert by_pid["d"]["group_pid"] == pseudonymise(keys, "group", "assoc-1:d", "grp")


def test_a_record_missing_from_the_linkage_map_becomes_its_own_person(
    tmp_path: Path, keys: KeyRing
) -> None:
    w = world()
    w.record_map = [r for r in w.record_map if r["record_pid"] != "rec_c_0"]
    ctx = write_run(tmp_path, w, keys, GroupsSettings())
    run(ctx)
    assert any("not in the linkage map" in m for m in ctx.warnings)
    persons = pq.read_table(ctx.stage_dir / "group_membership.parquet").column("person_pid")
    assert pseudonymise(keys, "person", "rec_c_0", "per") in persons.to_pylist()


def test_settings_reject_unknown_codes() -> None:
    with pytest.raises(ValueError, match="unknown association types"):
        GroupsSettings(association_types=["NOT_A_TYPE"])
    with pytest.raises(ValueError, match="offender_roles"):
        GroupsSettings(offender_roles=["VICTIM"])
    with pytest.raises(ValueError):
        GroupsSettings(min_group_size=1)
