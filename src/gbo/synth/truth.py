"""Ground truth: what the agencies' exports really mean, for testing linkage, groups and
journeys. Written to ``ground_truth/`` beside the exports and never read by the pipeline.

True ids are plain strings: ``T0000001`` (person), ``G00001`` (planted group), ``L00001``
(a lone offender's unit), ``O0000001`` (offence). Every file is described in
``docs/synthetic-data.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gbo.synth.badrows import BadRowLog
from gbo.synth.geography import LA_CODES
from gbo.synth.plan import BACKGROUND, OFFENDER, VICTIM
from gbo.synth.records import AgencyRecords
from gbo.synth.world import World

KIND_NAMES = np.array(["offender", "victim", "other_child"], dtype=object)
assert (OFFENDER, VICTIM, BACKGROUND) == (0, 1, 2)
TRUTH_FILES = (
    "person_records",
    "persons",
    "groups",
    "offences",
    "victims",
    "events",
    "associations",
    "bad_rows",
)


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` and the number padded with zeros to ``width`` digits."""
    digits = pc.cast(pa.array(numbers, type=pa.int64()), pa.string())
    padded = pc.utf8_lpad(digits, width=width, padding="0")
    return pc.binary_join_element_wise(prefix, padded, "")


def person_ids(numbers: np.ndarray) -> pa.Array:
    return ids("T", numbers, 7)


def unit_ids(world: World, unit: np.ndarray, *, where: np.ndarray | None = None) -> pa.Array:
    """Group ids (``G...``) or lone-offender unit ids (``L...``); null for -1 (or not where)."""
    o = world.offending
    safe = np.maximum(unit, 0)
    keep = unit >= 0 if where is None else (unit >= 0) & where
    named = pc.if_else(pa.array(o.unit_is_group[safe]), ids("G", safe, 5), ids("L", safe, 6))
    return pc.if_else(pa.array(keep), named, pa.scalar(None, pa.string()))


@dataclass(frozen=True)
class AgencyTruth:
    """What the ground truth needs from one agency's export."""

    records: AgencyRecords
    local_id: np.ndarray  # as written in the export, per record
    roles: pa.Array | None = None  # per record, the list of roles on its rows


def role_lists(n_records: int, record: np.ndarray, role: np.ndarray) -> pa.Array:
    """Per record, the sorted distinct roles of its rows, as a list array."""
    codes, role_index = (
        np.unique(role.astype(str), return_inverse=True)
        if len(role)
        else (np.zeros(0, dtype=str), np.zeros(0, np.int64))
    )
    pairs = np.unique(record.astype(np.int64) * max(len(codes), 1) + role_index)
    pair_record = pairs // max(len(codes), 1)
    offsets = np.zeros(n_records + 1, dtype=np.int32)
    np.cumsum(np.bincount(pair_record, minlength=n_records), out=offsets[1:])
    values = pa.array(codes[pairs % max(len(codes), 1)].astype(object), type=pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _write(table: dict[str, object], path: Path) -> None:
    pq.write_table(pa.table(table), path, compression="zstd")


def _dates(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[D]"), type=pa.date32())


def write_ground_truth(
    world: World,
    agencies: dict[str, AgencyTruth],
    crime_ref: np.ndarray,
    bad_rows: BadRowLog,
    out: Path,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    p, o, j = world.people, world.offending, world.journeys
    kind = world.plan.kind
    unit = world.unit_of_person()
    group = world.group_of_person()

    agency_names: list[np.ndarray] = []
    local_ids: list[np.ndarray] = []
    duplicate: list[np.ndarray] = []
    roles: list[pa.Array] = []
    for agency, truth in agencies.items():
        n = len(truth.records)
        agency_names.append(np.full(n, agency, dtype=object))
        local_ids.append(truth.local_id)
        duplicate.append(truth.records.is_duplicate)
        roles.append(
            truth.roles
            if truth.roles is not None
            else role_lists(n, np.zeros(0, np.int64), np.zeros(0, dtype=object))
        )
    record_person = np.concatenate([a.records.person for a in agencies.values()])
    _write(
        {
            "agency": pa.array(np.concatenate(agency_names), type=pa.string()),
            "local_id": pa.array(np.concatenate(local_ids), type=pa.string()),
            "true_person_id": person_ids(record_person),
            "is_duplicate_record": pa.array(np.concatenate(duplicate)),
            "true_kind": pa.array(KIND_NAMES[kind[record_person]]),
            "roles": pa.concat_arrays(roles),
        },
        out / "person_records.parquet",
    )

    n_people = world.plan.n_people
    _write(
        {
            "true_person_id": person_ids(np.arange(n_people)),
            "true_kind": pa.array(KIND_NAMES[kind]),
            "true_group_id": pa.array(
                np.where(kind == OFFENDER, unit_ids(world, group), None), type=pa.string()
            ),
            "victim_of_group_id": pa.array(
                np.where(kind == VICTIM, unit_ids(world, group), None), type=pa.string()
            ),
            "unit_id": unit_ids(world, unit),
            "sex": pa.array(p.sex, type=pa.string()),
            "dob": _dates(p.dob),
            "ethnicity_self": pa.array(p.ethnicity, type=pa.string()),
            "ethnicity_officer": pa.array(p.officer_ethnicity, type=pa.string()),
            "nationality": pa.array(p.nationality, type=pa.string()),
            "is_mover": pa.array(p.is_mover),
            **{f"in_{a}": pa.array(world.plan.presence[a]) for a in world.plan.presence},
        },
        out / "persons.parquet",
    )

    groups = np.flatnonzero(o.unit_is_group)
    victims_per_unit = np.bincount(o.victim_unit, minlength=len(o.unit_size))
    offences_per_unit = np.bincount(o.offence_unit, minlength=len(o.unit_size))
    _write(
        {
            "true_group_id": ids("G", groups, 5),
            "n_members": pa.array(o.unit_size[groups]),
            "n_victims": pa.array(victims_per_unit[groups]),
            "n_offences": pa.array(offences_per_unit[groups]),
            "start_date": _dates(o.unit_start[groups]),
            "end_date": _dates(o.unit_end[groups]),
            "local_authority": pa.array(LA_CODES[o.unit_la[groups]], type=pa.string()),
        },
        out / "groups.parquet",
    )

    n_off = len(o.offence_unit)
    _write(
        {
            "agency": pa.array(np.full(n_off, "police", dtype=object), type=pa.string()),
            "crime_ref": pa.array(crime_ref, type=pa.string()),
            "true_offence_id": ids("O", np.arange(n_off), 7),
            "unit_id": unit_ids(world, o.offence_unit),
            "true_group_id": unit_ids(world, o.offence_unit, where=o.unit_is_group[o.offence_unit]),
            "first_date": _dates(o.offence_first),
        },
        out / "offences.parquet",
    )

    victims = np.flatnonzero(kind == VICTIM)
    recorded = _is_recorded(world)
    prior = j.event_is_prior
    n_prior = np.bincount(j.event_person[prior], minlength=n_people)
    n_prior_recorded = np.bincount(j.event_person[prior & recorded], minlength=n_people)
    ident = j.event_is_identification
    identified_by = np.full(n_people, None, dtype=object)
    identified_by[j.event_person[ident]] = j.event_agency[ident]
    _write(
        {
            "true_person_id": person_ids(victims),
            "first_offence_date": _dates(j.first_offence_date[victims]),
            "identification_date": _dates(j.identification_date[victims]),
            "identified_by": pa.array(identified_by[victims], type=pa.string()),
            "n_prior_contacts": pa.array(n_prior[victims]),
            "n_prior_contacts_recorded": pa.array(n_prior_recorded[victims]),
        },
        out / "victims.parquet",
    )
    _write(
        {
            "true_person_id": person_ids(j.event_person),
            "event_type": pa.array(j.event_type, type=pa.string()),
            "event_reason": pa.array(j.event_reason, type=pa.string()),
            "event_date": _dates(j.event_date),
            "agency": pa.array(j.event_agency, type=pa.string()),
            "is_prior_to_identification": pa.array(prior),
            "is_identification": pa.array(ident),
            "is_recorded": pa.array(recorded),
        },
        out / "events.parquet",
    )
    _write(
        {
            "true_person_id_a": person_ids(o.association_a),
            "true_person_id_b": person_ids(o.association_b),
            "association_type": pa.array(o.association_type, type=pa.string()),
            "association_date": _dates(o.association_date),
            "is_noise": pa.array(o.association_is_noise),
        },
        out / "associations.parquet",
    )
    _write(
        {
            "agency": pa.array(bad_rows.agency, type=pa.string()),
            "source_file": pa.array(bad_rows.source_file, type=pa.string()),
            "sheet": pa.array(bad_rows.sheet, type=pa.string()),
            "source_row": pa.array(bad_rows.source_row, type=pa.int64()),
            "kind": pa.array(bad_rows.kind, type=pa.string()),
            "column": pa.array(bad_rows.column, type=pa.string()),
        },
        out / "bad_rows.parquet",
    )


def _is_recorded(world: World) -> np.ndarray:
    j = world.journeys
    recorded = np.zeros(len(j.event_person), dtype=bool)
    for agency, present in world.plan.presence.items():
        mine = j.event_agency == agency
        recorded[mine] = present[j.event_person[mine]]
    return recorded
