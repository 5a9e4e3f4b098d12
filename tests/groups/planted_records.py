"""Person-level fixtures with planted groups, written into a run-folder layout.

Each planted group's members are chained through co-offences (every member is a co-suspect
with the next), the group's offences share a few victims, and lone offenders each commit
their own offence against their own victim. Persons have one or two records (from police
and children's social care), so the linkage map is exercised as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gbo.config import RunConfig
from gbo.groups.settings import GroupsSettings
from gbo.runfolder import RunContext
from gbo.security import KeyRing
from gbo.stages import stage_folder_name

AGENCIES = ("police", "social_care")
OFFENCE_CODES = ("71", "22B", "19C", "88A", "86")
LOCATIONS = ("PRIVATE_DWELLING", "VEHICLE", "HOTEL", "ONLINE", None)


def _draw(rng: np.random.Generator, options: Sequence[str | None]) -> Any:
    """One of ``options`` at random; drawn from an object array, since NumPy's types have no
    array of strings that holds None (the draws are those of the list)."""
    return rng.choice(np.asarray(options, dtype=object))


@dataclass
class PlantedRecords:
    """Rows of the input tables, plus the true group of every offender person."""

    offence: list[dict[str, Any]] = field(default_factory=list)
    involvement: list[dict[str, Any]] = field(default_factory=list)
    association: list[dict[str, Any]] = field(default_factory=list)
    record_map: list[dict[str, Any]] = field(default_factory=list)
    person: list[dict[str, Any]] = field(default_factory=list)
    true_group: dict[str, int] = field(default_factory=dict)  # person_pid -> group, -1 lone
    records_of: dict[str, list[str]] = field(default_factory=dict)

    def add_person(self, rng: np.random.Generator, pid: str, *, adult: bool) -> None:
        n_records = int(rng.integers(1, 3))
        records = [f"rec_{pid}_{i}" for i in range(n_records)]
        self.records_of[pid] = records
        for record in records:
            self.record_map.append(
                {
                    "record_pid": record,
                    "person_pid": pid,
                    "agency": AGENCIES[0],
                    "cluster_size": n_records,
                }
            )
        self.person.append(
            {
                "person_pid": pid,
                "n_records": n_records,
                "sex": _draw(rng, ["M", "F", None]) if adult else "F",
                "birth_year": int(rng.integers(1960, 2000))
                if adult
                else int(rng.integers(2004, 2010)),
                "ethnicity_self": _draw(rng, ["W1", "A2", "B2", "NS", None]),
                "ethnicity_officer": _draw(rng, ["IC1", "IC4", None]),
            }
        )

    def add_offence(
        self,
        rng: np.random.Generator,
        oid: str,
        date: dt.date,
        offenders: list[str],
        victims: list[str],
        role: str = "SUSPECT",
    ) -> None:
        self.offence.append(
            {
                "offence_pid": oid,
                "agency": AGENCIES[0],
                "ho_offence_code": rng.choice(OFFENCE_CODES),
                "is_cse_flagged": bool(rng.random() < 0.7),
                "is_online": bool(rng.random() < 0.2),
                "first_date": date,
                "last_date": date + dt.timedelta(days=int(rng.integers(0, 30))),
                "location_type": _draw(rng, LOCATIONS),
            }
        )
        for pid in offenders:
            record = self.records_of[pid][int(rng.integers(len(self.records_of[pid])))]
            self.involvement.append(
                {"offence_pid": oid, "record_pid": record, "agency": AGENCIES[0], "role": role}
            )
        for pid in victims:
            self.involvement.append(
                {
                    "offence_pid": oid,
                    "record_pid": self.records_of[pid][0],
                    "agency": AGENCIES[0],
                    "role": "VICTIM",
                }
            )


def plant_records(
    n_groups: int, n_lone: int, *, seed: int = 5, max_size: int = 8
) -> PlantedRecords:
    """Planted groups of 2..max_size offenders and lone offenders (see module docstring)."""
    rng = np.random.default_rng(seed)
    out = PlantedRecords()
    n_off = 0
    start = dt.date(2015, 1, 1)
    for g in range(n_groups):
        size = int(rng.integers(2, max_size + 1))
        members = [f"per_g{g:04d}m{i:02d}" for i in range(size)]
        victims = [f"per_v{g:04d}n{i:02d}" for i in range(int(rng.integers(1, 4)))]
        for pid in members:
            out.add_person(rng, pid, adult=True)
            out.true_group[pid] = g
        for pid in victims:
            out.add_person(rng, pid, adult=False)
        day = start + dt.timedelta(days=int(rng.integers(0, 3000)))
        for i in range(size - 1):
            offenders = [members[i], members[i + 1]]
            if rng.random() < 0.3:
                offenders.append(members[int(rng.integers(size))])
            victim = [victims[int(rng.integers(len(victims)))]]
            when = day + dt.timedelta(days=int(rng.integers(0, 200)))
            out.add_offence(rng, f"off_{n_off:06d}", when, sorted(set(offenders)), victim)
            n_off += 1
    for i in range(n_lone):
        pid, lone_victim = f"per_l{i:04d}", f"per_lv{i:04d}"
        out.add_person(rng, pid, adult=True)
        out.add_person(rng, lone_victim, adult=False)
        out.true_group[pid] = -1
        day = start + dt.timedelta(days=int(rng.integers(0, 3000)))
        out.add_offence(rng, f"off_{n_off:06d}", day, [pid], [lone_victim], role="CONVICTED")
        n_off += 1
    return out


SCHEMAS: dict[str, pa.Schema] = {
    "offence": pa.schema(
        [
            ("offence_pid", pa.string()),
            ("agency", pa.string()),
            ("ho_offence_code", pa.string()),
            ("is_cse_flagged", pa.bool_()),
            ("is_online", pa.bool_()),
            ("first_date", pa.date32()),
            ("last_date", pa.date32()),
            ("location_type", pa.string()),
        ]
    ),
    "involvement": pa.schema(
        [
            ("offence_pid", pa.string()),
            ("record_pid", pa.string()),
            ("agency", pa.string()),
            ("role", pa.string()),
        ]
    ),
    "association": pa.schema(
        [
            ("record_pid_a", pa.string()),
            ("record_pid_b", pa.string()),
            ("agency", pa.string()),
            ("association_type", pa.string()),
            ("association_date", pa.date32()),
        ]
    ),
    "person_record_map": pa.schema(
        [
            ("record_pid", pa.string()),
            ("person_pid", pa.string()),
            ("agency", pa.string()),
            ("cluster_size", pa.int64()),
        ]
    ),
    "person": pa.schema(
        [
            ("person_pid", pa.string()),
            ("n_records", pa.int64()),
            ("sex", pa.string()),
            ("birth_year", pa.int64()),
            ("ethnicity_self", pa.string()),
            ("ethnicity_officer", pa.string()),
        ]
    ),
}


def write_run(
    run_dir: Path,
    planted: PlantedRecords,
    keys: KeyRing,
    settings: GroupsSettings | None = None,
) -> RunContext:
    """Write the planted tables as 02_vault and 03_link outputs; a context for the stage."""
    tables = {
        (stage_folder_name("vault"), "offence"): planted.offence,
        (stage_folder_name("vault"), "involvement"): planted.involvement,
        (stage_folder_name("vault"), "association"): planted.association,
        (stage_folder_name("link"), "person_record_map"): planted.record_map,
        (stage_folder_name("link"), "person"): planted.person,
    }
    for (folder, name), rows in tables.items():
        (run_dir / folder).mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pa.Table.from_pylist(rows, schema=SCHEMAS[name]), run_dir / folder / f"{name}.parquet"
        )
    loader: Callable[[], KeyRing] = lambda: keys  # noqa: E731
    config = RunConfig(groups=settings or GroupsSettings())
    return RunContext(run_dir=run_dir, config=config, stage="groups", key_loader=loader)
