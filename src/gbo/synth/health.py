"""The health export: NDJSON, one attendance per line with the patient's details on it.

Dates of birth are ISO dates, attendance start times ISO date-times, sex the NHS codes
(1 male, 2 female, 9 not known), ethnicity the NHS ethnic category letters. Health records
carry no nationality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.schema.mapping import AgencyMapping, FieldSource, TableMapping
from gbo.synth import labels as lab
from gbo.synth.geography import abbreviate_streets
from gbo.synth.records import AgencyRecords
from gbo.synth.world import World
from gbo.synth.writers import Table, fill_missing, format_dates, translate

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class HealthExport:
    table: Table
    patient_id: np.ndarray  # per health record


def build_health(rng: np.random.Generator, world: World, records: AgencyRecords) -> HealthExport:
    j = world.journeys
    patient_id = records.local_id.astype(str).astype(object)
    is_health = np.flatnonzero(j.event_agency == "health")
    recorded = is_health[world.plan.presence["health"][j.event_person[is_health]]]
    source, record = records.route_rows(rng, j.event_person[recorded])
    event = recorded[source]
    seconds = rng.integers(0, 24 * 3600, len(event)).astype("timedelta64[s]")
    start = j.event_date[event].astype("datetime64[s]") + seconds
    attendance = rng.choice(90_000_000, size=len(event), replace=False) + 10_000_000
    sex = records.sex[record]
    table: Table = {
        "attendance_id": "A" + attendance.astype(str).astype(object),
        "patient_id": patient_id[record],
        "given_name": records.given[record],
        "middle_names": records.middle[record],
        "family_name": records.family[record],
        "birth_date": format_dates(records.dob[record], ISO_DATE),
        "gender": fill_missing(translate(sex, lab.HEALTH_SEX), lab.HEALTH_SEX_UNKNOWN),
        "ethnic_category": translate(records.ethnicity[record], lab.HEALTH_ETHNICITY),
        "address_line_1": abbreviate_streets(records.address[record]),
        "postcode": records.postcode[record],
        "attendance_start": format_dates(start, ISO_DATETIME),
        "service": translate(j.event_type[event], lab.HEALTH_SERVICES),
    }
    order = np.argsort(start, kind="stable")
    return HealthExport(table={k: v[order] for k, v in table.items()}, patient_id=patient_id)


def health_mapping() -> AgencyMapping:
    """The mapping file of the health export."""
    return AgencyMapping(
        agency="health",
        format="ndjson",
        encoding="utf-8",
        date_formats=[ISO_DATE, ISO_DATETIME],
        null_values=["", "9"],
        ethnicity_self_list="18+1",
        codes={
            "sex": {"1": "M", "2": "F"},
            "ethnicity_self": dict(lab.HEALTH_ETHNICITY_TO_SDE),
            "event_type": lab.invert(lab.HEALTH_SERVICES),
        },
        tables=[
            TableMapping(
                target="person_record",
                columns={
                    "local_id": "patient_id",
                    "given_name": "given_name",
                    "middle_names": "middle_names",
                    "family_name": "family_name",
                    "dob": "birth_date",
                    "sex": FieldSource(column="gender", codes="sex"),
                    "ethnicity_self": FieldSource(column="ethnic_category", codes="ethnicity_self"),
                    "address": "address_line_1",
                    "postcode": "postcode",
                },
            ),
            TableMapping(
                target="event",
                columns={
                    "record_key": "patient_id",
                    "event_type": FieldSource(column="service", codes="event_type"),
                    "event_date": "attendance_start",
                },
            ),
        ],
    )
