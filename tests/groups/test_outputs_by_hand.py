"""The groups stage's offender edges and i2 files against the same worked out by hand.

A random world (persons with one or two records, offences with several offenders and
victims, persons both offender and victim, undated offences, several agencies, associations
of every kind, with victims too) goes through the stage; the expected edges are then worked
out in plain Python, a pair at a time, from the rule's definition, and the i2 files written
row by row with the ``csv`` module from the tables the stage wrote. The stage builds both a
different way (DuckDB on numbers; Arrow a slice of rows at a time), so each is checked
against an independent derivation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from gbo.groups import i2_export
from gbo.groups.i2_export import ENTITY_HEADER, LINK_HEADER, LINK_LABELS
from gbo.groups.settings import GroupsSettings
from gbo.groups.stage import run
from gbo.security import KeyRing
from tests.groups.planted_records import PlantedRecords, write_run

AGENCIES = ("police", "social_care", "health")
ROLES = ("SUSPECT", "ACCUSED", "CONVICTED", "WITNESS")
ASSOCIATION_TYPES = ("ASSOCIATE", "FAMILY", "SHARED_ADDRESS", "PHONE_CONTACT")


def random_world(seed: int) -> PlantedRecords:
    rng = np.random.default_rng(seed)
    w = PlantedRecords()
    persons = [f"per_{i:03d}" for i in range(60)]
    for pid in persons:
        w.add_person(rng, pid, adult=bool(rng.random() < 0.7))
    for i in range(90):
        oid = f"off_{i:03d}"
        undated = rng.random() < 0.1
        first = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(0, 2000)))
        last = None if rng.random() < 0.3 else first + dt.timedelta(days=int(rng.integers(0, 90)))
        w.offence.append(
            {
                "offence_pid": oid,
                "agency": None if rng.random() < 0.05 else str(rng.choice(AGENCIES)),
                "first_date": None if undated else first,
                "last_date": None if undated else last,
            }
        )
        chosen = rng.choice(persons, size=int(rng.integers(1, 6)), replace=True)
        for pid in chosen:
            records = w.records_of[str(pid)]
            role = "VICTIM" if rng.random() < 0.35 else str(rng.choice(ROLES))
            w.involvement.append(
                {
                    "offence_pid": oid,
                    "record_pid": records[int(rng.integers(len(records)))],
                    "agency": "police",
                    "role": role,
                }
            )
    for _ in range(40):
        a, b = rng.choice(persons, size=2, replace=True)
        w.association.append(
            {
                "record_pid_a": w.records_of[str(a)][0],
                "record_pid_b": w.records_of[str(b)][-1],
                "agency": str(rng.choice(AGENCIES)),
                "association_type": str(rng.choice(ASSOCIATION_TYPES)),
                "association_date": dt.date(2019, 1, 1)
                + dt.timedelta(days=int(rng.integers(0, 900))),
            }
        )
    return w


def expected_edges(w: PlantedRecords, settings: GroupsSettings) -> list[dict[str, Any]]:
    """``offender_edge`` worked out pair by pair (see ``gbo.groups.edges``)."""
    person_of = {r["record_pid"]: r["person_pid"] for r in w.record_map}
    offence = {o["offence_pid"]: o for o in w.offence}
    roles = set(settings.offender_roles)
    offenders: dict[str, set[str]] = defaultdict(set)  # offence -> offender persons
    victims: dict[str, set[str]] = defaultdict(set)  # offence -> victim persons
    for row in w.involvement:
        person = person_of[row["record_pid"]]
        if row["role"] in roles:
            offenders[row["offence_pid"]].add(person)
        if row["role"] == "VICTIM":
            victims[row["offence_pid"]].add(person)
    nodes = set().union(*offenders.values())

    def dates(oid: str) -> tuple[Any, Any, str]:
        o = offence[oid]
        last = o["last_date"] if o["last_date"] is not None else o["first_date"]
        return o["first_date"], last, o["agency"] or "Not recorded"

    def edge(a: str, b: str, kind: str, first: list[Any], last: list[Any]) -> dict[str, Any]:
        known_first = [d for d in first if d is not None]
        known_last = [d for d in last if d is not None]
        return {
            "person_pid_a": a,
            "person_pid_b": b,
            "edge_type": kind,
            "first_date": min(known_first) if known_first else None,
            "last_date": max(known_last) if known_last else None,
            "n_offences": 0,
            "n_victims": 0,
            "n_associations": 0,
            "is_in_rule": kind in settings.edge_types,
        }

    rows: list[dict[str, Any]] = []
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for oid, people in offenders.items():
        for a, b in combinations(sorted(people), 2):
            shared[(a, b)].append(oid)
    for (a, b), oids in shared.items():
        first, last, agency = zip(*(dates(o) for o in oids), strict=True)
        row = edge(a, b, "shared_offence", list(first), list(last))
        row |= {"n_offences": len(oids), "weight": float(len(oids))}
        rows.append(row | {"agencies": sorted(set(agency))})

    # Each (victim, offender, offence) with the victim not the offender; pairs of them with
    # the same victim, two offenders a < b, and offences at most the window apart.
    link_rows = [
        (v, p, oid)
        for oid, people in offenders.items()
        for v in victims.get(oid, ())
        for p in people
        if p != v
    ]
    window = settings.shared_victim_window_days
    matched: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for (v1, a, oa), (v2, b, ob) in combinations(link_rows, 2):
        if v1 != v2 or a == b:
            continue
        if b < a:
            a, b, oa, ob = b, a, ob, oa
        fa, la, _ = dates(oa)
        fb, lb, _ = dates(ob)
        if window is not None:
            if None in (fa, la, fb, lb):
                continue
            gap = dt.timedelta(days=window)
            if not (fa <= lb + gap and fb <= la + gap):
                continue
        matched[(a, b)].append((v1, oa, ob))
    for (a, b), found in matched.items():
        pair_oids = {o for _, oa, ob in found for o in (oa, ob)}
        first, last, agency = zip(*(dates(o) for o in pair_oids), strict=True)
        row = edge(a, b, "shared_victim", list(first), list(last))
        n_victims = len({v for v, _, _ in found})
        row |= {"n_offences": len(pair_oids), "n_victims": n_victims, "weight": float(n_victims)}
        rows.append(row | {"agencies": sorted(set(agency))})

    allowed = set(settings.association_types)
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in w.association:
        a, b = person_of[s["record_pid_a"]], person_of[s["record_pid_b"]]
        if a in nodes and b in nodes and a != b and s["association_type"] in allowed:
            pairs[(min(a, b), max(a, b))].append(s)
    for (a, b), said in pairs.items():
        days = [s["association_date"] for s in said]
        row = edge(a, b, "association", days, days)
        row |= {"n_associations": len(said), "weight": float(len(said))}
        rows.append(row | {"agencies": sorted({s["agency"] for s in said})})
    return sorted(rows, key=lambda r: (r["person_pid_a"], r["person_pid_b"], r["edge_type"]))


SETTINGS = (
    GroupsSettings(),
    GroupsSettings(shared_victim_window_days=None, edge_types=["shared_victim", "association"]),
    GroupsSettings(shared_victim_window_days=30, association_types=["FAMILY", "PHONE_CONTACT"]),
)


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("settings", SETTINGS, ids=["default", "no_window", "narrow"])
def test_offender_edges_are_those_worked_out_by_hand(
    tmp_path: Path, keys: KeyRing, seed: int, settings: GroupsSettings
) -> None:
    world = random_world(seed)
    ctx = write_run(tmp_path, world, keys, settings)
    run(ctx)
    written = pq.read_table(ctx.stage_dir / "offender_edge.parquet").to_pylist()
    expected = expected_edges(world, settings)
    assert len(expected) > 20  # the world makes edges of every type
    assert {r["edge_type"] for r in expected} >= {"shared_offence", "shared_victim"}
    assert written == expected


def _csv_text(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _short(pid: str) -> str:
    return pid.split("_", 1)[1][:8] if "_" in pid else pid[:8]


def test_i2_files_are_what_the_csv_module_writes_from_the_tables(
    tmp_path: Path, keys: KeyRing, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A few rows at a time, so that every block of both files is written in several slices.
    monkeypatch.setattr(i2_export, "CHUNK_ROWS", 7)
    world = random_world(3)
    ctx = write_run(tmp_path, world, keys, GroupsSettings())
    run(ctx)
    folder = ctx.stage_dir

    def rows(name: str) -> list[dict[str, Any]]:
        read: list[dict[str, Any]] = pq.read_table(folder / f"{name}.parquet").to_pylist()
        return read

    membership, group, victims = rows("group_membership"), rows("group"), rows("group_victim")
    edges = rows("offender_edge")
    entity_rows: list[tuple[object, ...]] = []
    for m in membership:
        kind = "Group member" if m["group_pid"] else ("Lone offender" if m["is_lone"] else "")
        entity_rows.append(
            (m["person_pid"], "Offender", f"Offender {_short(m['person_pid'])}", m["group_pid"],
             m["n_offences"], None, None, None, None, kind)
        )  # fmt: skip
    for g in group:
        entity_rows.append(
            (g["group_pid"], "Group", f"Group {_short(g['group_pid'])}", g["group_pid"],
             g["n_offences"], g["n_victims"], g["n_offenders"], g["first_date"],
             g["last_date"], f"{g['n_offenders']} offenders")
        )  # fmt: skip
    for v in sorted({v["person_pid"] for v in victims}):
        entity_rows.append((v, "Victim", f"Victim {_short(v)}", *[None] * 6, ""))
    link_rows: list[tuple[object, ...]] = []
    for e in edges:
        a, b, kind = e["person_pid_a"], e["person_pid_b"], e["edge_type"]
        link_rows.append(
            (f"{kind}:{a}:{b}", a, "Offender", b, "Offender", LINK_LABELS[kind][0], "None",
             LINK_LABELS[kind][1], e["first_date"], e["last_date"], e["n_offences"],
             e["weight"], "Yes" if e["is_in_rule"] else "No", ";".join(e["agencies"]))
        )  # fmt: skip
    for m in membership:
        if m["group_pid"]:
            link_rows.append(
                (f"member:{m['person_pid']}:{m['group_pid']}", m["person_pid"], "Offender",
                 m["group_pid"], "Group", "Member of", "Arrow to end 2", "Confirmed", None,
                 None, m["n_offences"], None, "Yes", "")
            )  # fmt: skip
    for v in victims:
        link_rows.append(
            (f"victim:{v['group_pid']}:{v['person_pid']}", v["group_pid"], "Group",
             v["person_pid"], "Victim", "Offended against", "Arrow to end 2", "Confirmed",
             None, None, v["n_offences"], None, "Yes", "")
        )  # fmt: skip
    assert len(link_rows) > 3 * 7
    assert (folder / "i2" / "entities.csv").read_bytes() == _csv_text(ENTITY_HEADER, entity_rows)
    assert (folder / "i2" / "links.csv").read_bytes() == _csv_text(LINK_HEADER, link_rows)
