"""Small synthetic inputs for the profile stage, written in the run-folder contract format.

A :class:`World` is plain Python rows for every input table; :func:`write_world` writes them
where the vault, link and groups stages would have, and returns a :class:`RunContext`.
:func:`random_world` makes a consistent random world (groups are the connected components
of offenders who share an offence), with missing values everywhere they can be missing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gbo.config import RunConfig
from gbo.profile.settings import ProfileSettings
from gbo.runfolder import RunContext, stage_folder_name
from gbo.schema import codes
from gbo.schema.tables import PSEUDONYMISED_TABLES

S, N, D, B = pa.string(), pa.int64(), pa.date32(), pa.bool_()

OTHER_SCHEMAS: dict[str, tuple[str, pa.Schema]] = {
    "person_record_map": (
        "link",
        pa.schema([("record_pid", S), ("person_pid", S), ("agency", S), ("cluster_size", N)]),
    ),
    "person": (
        "link",
        pa.schema(
            [
                ("person_pid", S),
                ("n_records", N),
                ("agencies", pa.list_(S)),
                ("sex", S),
                ("birth_year", N),
                ("ethnicity_self", S),
                ("ethnicity_officer", S),
                ("nationality", S),
                ("has_conflicting_sex", B),
                ("has_conflicting_dob", B),
            ]
        ),
    ),
    "group_membership": (
        "groups",
        pa.schema([("person_pid", S), ("group_pid", S), ("is_lone", B)]),
    ),
    "group": (
        "groups",
        pa.schema(
            [
                ("group_pid", S),
                ("n_offenders", N),
                ("n_victims", N),
                ("n_offences", N),
                ("first_date", D),
                ("last_date", D),
                ("duration_days", N),
            ]
        ),
    ),
    "group_offence": ("groups", pa.schema([("group_pid", S), ("offence_pid", S)])),
    "group_victim": ("groups", pa.schema([("group_pid", S), ("person_pid", S)])),
}


@dataclass
class World:
    person_record: list[dict[str, Any]] = field(default_factory=list)
    offence: list[dict[str, Any]] = field(default_factory=list)
    involvement: list[dict[str, Any]] = field(default_factory=list)
    event: list[dict[str, Any]] = field(default_factory=list)
    vulnerability: list[dict[str, Any]] = field(default_factory=list)
    association: list[dict[str, Any]] = field(default_factory=list)
    person_record_map: list[dict[str, Any]] = field(default_factory=list)
    person: list[dict[str, Any]] = field(default_factory=list)
    group_membership: list[dict[str, Any]] = field(default_factory=list)
    group: list[dict[str, Any]] = field(default_factory=list)
    group_offence: list[dict[str, Any]] = field(default_factory=list)
    group_victim: list[dict[str, Any]] = field(default_factory=list)

    # ----- building ------------------------------------------------------------------------
    def add_person(self, pid: str, agencies: list[str], **attrs: Any) -> list[str]:
        """A linked person with one record per agency; returns the record pids."""
        records = [f"rec_{pid}_{a}" for a in agencies]
        base = {
            "sex": None,
            "birth_year": None,
            "ethnicity_self": None,
            "ethnicity_officer": None,
            "nationality": None,
        }
        base.update({k: v for k, v in attrs.items() if k in base})
        for rec, agency in zip(records, agencies, strict=True):
            self.person_record.append(
                {
                    "record_pid": rec,
                    "agency": agency,
                    **base,
                    "is_looked_after": attrs.get("is_looked_after"),
                    "local_authority": attrs.get("local_authority"),
                }
            )
            self.person_record_map.append(
                {
                    "record_pid": rec,
                    "person_pid": pid,
                    "agency": agency,
                    "cluster_size": len(records),
                }
            )
        self.person.append(
            {
                "person_pid": pid,
                "n_records": len(records),
                "agencies": sorted(set(agencies)),
                **base,
                "has_conflicting_sex": False,
                "has_conflicting_dob": False,
            }
        )
        return records


def _write(path: Path, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = {f.name: [r.get(f.name) for r in rows] for f in schema}
    pq.write_table(pa.table(columns, schema=schema), path)


def write_world(run_dir: Path, world: World, settings: ProfileSettings | None = None) -> RunContext:
    for name, spec in PSEUDONYMISED_TABLES.items():
        _write(
            run_dir / stage_folder_name("vault") / f"{name}.parquet",
            getattr(world, name),
            spec.schema,
        )
    for name, (stage, schema) in OTHER_SCHEMAS.items():
        _write(run_dir / stage_folder_name(stage) / f"{name}.parquet", getattr(world, name), schema)
    config = RunConfig(profile=settings or ProfileSettings())
    return RunContext(run_dir=run_dir, config=config, stage="profile")


def finished_stage_dir(ctx: RunContext) -> Path:
    """Where the stage's outputs are when it ran outside the pipeline (the partial folder)."""
    return ctx.stage_dir


# ---------------------------------------------------------------------------------------------
# Random worlds
# ---------------------------------------------------------------------------------------------
AGENCIES = ("police", "social_care", "health")


def _maybe(rng: random.Random, values: list[Any], p_missing: float) -> Any:
    return None if rng.random() < p_missing else rng.choice(values)


def random_world(
    seed: int, n_people: int = 40, n_offences: int = 30, p_missing: float = 0.3
) -> World:
    rng = random.Random(seed)
    w = World()
    sde = [*codes.SDE_18, "O1"]
    ic = list(codes.IC_CODES)
    for i in range(n_people):
        agencies = rng.sample(AGENCIES, rng.randint(1, 2))
        w.add_person(
            f"per_{i:03d}",
            agencies,
            sex=_maybe(rng, list(codes.SEX), p_missing),
            birth_year=_maybe(rng, list(range(1960, 2015)), p_missing),
            ethnicity_self=_maybe(rng, sde, p_missing),
            ethnicity_officer=_maybe(rng, ic, p_missing),
            nationality=_maybe(rng, ["GBR", "GBR", "POL", "PAK", "IRL"], p_missing),
            is_looked_after=_maybe(rng, [True, False], p_missing),
        )
    records_of: dict[str, list[str]] = {}
    for m in w.person_record_map:
        records_of.setdefault(m["person_pid"], []).append(m["record_pid"])
    people = sorted(records_of)
    start = date(2015, 1, 1)
    for j in range(n_offences):
        pid = f"off_{j:03d}"
        methods = rng.sample(list(codes.METHODS), rng.randint(0, 3))
        w.offence.append(
            {
                "offence_pid": pid,
                "agency": "police",
                "ho_offence_code": _maybe(rng, list(codes.HO_OFFENCES), p_missing),
                "is_cse_flagged": _maybe(rng, [True, False], p_missing),
                "is_online": _maybe(rng, [True, False], p_missing),
                "cocad_category": _maybe(rng, list(codes.COCAD), p_missing),
                "first_date": _maybe(
                    rng, [start + timedelta(days=d) for d in range(0, 3000, 17)], p_missing
                ),
                "first_date_precision": "day",
                "last_date": None,
                "location_type": _maybe(rng, list(codes.LOCATION_TYPES), p_missing),
                "methods": methods if methods or rng.random() < 0.5 else None,
                "police_force_area": _maybe(rng, list(codes.POLICE_FORCES)[:3], p_missing),
                "local_authority": _maybe(rng, list(codes.LOCAL_AUTHORITIES)[:4], p_missing),
                "outcome_code": _maybe(rng, list(codes.OUTCOMES), p_missing),
                "outcome_date": None,
            }
        )
        chosen = rng.sample(people, min(len(people), rng.randint(0, 5)))
        for k, person in enumerate(chosen):
            role = "VICTIM" if k % 2 else rng.choice(sorted(codes.OFFENDER_ROLES))
            rec = rng.choice(records_of[person])
            w.involvement.append(
                {"offence_pid": pid, "record_pid": rec, "agency": "police", "role": role}
            )
    _add_groups(w, rng)
    for person in people:
        for _ in range(rng.randint(0, 5)):
            w.event.append(
                {
                    "record_pid": rng.choice(records_of[person]),
                    "agency": rng.choice(AGENCIES),
                    "event_type": rng.choice(list(codes.EVENT_TYPES)),
                    "event_date": _maybe(
                        rng, [start + timedelta(days=d) for d in range(0, 3000, 29)], 0.2
                    ),
                    "event_date_precision": "day",
                    "event_reason": _maybe(rng, list(codes.EVENT_REASONS), 0.7),
                }
            )
        for marker in rng.sample(list(codes.VULNERABILITY_MARKERS), rng.randint(0, 3)):
            w.vulnerability.append(
                {
                    "record_pid": rng.choice(records_of[person]),
                    "agency": "social_care",
                    "marker": marker,
                    "marker_date": None,
                }
            )
    return w


def _add_groups(w: World, rng: random.Random) -> None:
    """Groups: connected components of offenders who share offences (2+ offenders)."""
    person_of = {m["record_pid"]: m["person_pid"] for m in w.person_record_map}
    offenders_of: dict[str, set[str]] = {}
    victims_of: dict[str, set[str]] = {}
    for inv in w.involvement:
        target = victims_of if inv["role"] == "VICTIM" else offenders_of
        target.setdefault(inv["offence_pid"], set()).add(person_of[inv["record_pid"]])
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for members in offenders_of.values():
        head, *rest = sorted(members)
        find(head)
        for other in rest:
            parent[find(other)] = find(head)
    components: dict[str, set[str]] = {}
    for person in parent:
        components.setdefault(find(person), set()).add(person)
    dates = {o["offence_pid"]: o["first_date"] for o in w.offence}
    for root, members in sorted(components.items()):
        if len(members) < 2:
            continue
        gid = f"grp_{root}"
        offences = sorted(o for o, ms in offenders_of.items() if ms & members)
        victims = sorted(set().union(*(victims_of.get(o, set()) for o in offences)))
        known = [dates[o] for o in offences if dates[o] is not None]
        first = min(known) if known else None
        last = max(known) if known else None
        w.group.append(
            {
                "group_pid": gid,
                "n_offenders": len(members),
                "n_victims": len(victims),
                "n_offences": len(offences),
                "first_date": first,
                "last_date": last,
                "duration_days": (last - first).days if first and last else None,
            }
        )
        w.group_offence += [{"group_pid": gid, "offence_pid": o} for o in offences]
        w.group_victim += [{"group_pid": gid, "person_pid": v} for v in victims]
        w.group_membership += [
            {"person_pid": m, "group_pid": gid, "is_lone": False} for m in sorted(members)
        ]
    grouped = {m["person_pid"] for m in w.group_membership}
    for members in offenders_of.values():
        for person in sorted(members - grouped):
            # leave a few offenders out of the membership table: "group status not recorded"
            if rng.random() < 0.8:
                w.group_membership.append(
                    {"person_pid": person, "group_pid": None, "is_lone": True}
                )
            grouped.add(person)
