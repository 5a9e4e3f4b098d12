"""The health export: NDJSON, one attendance per line with the patient's details on it.

Dates of birth are ISO dates, attendance start times ISO date-times, sex the NHS codes
(1 male, 2 female, 9 not known), ethnicity the NHS ethnic category letters, the NHS number
as ten digits. Health records carry no nationality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from gbo.schema.mapping import AgencyMapping, FieldSource, TableMapping
from gbo.synth import labels as lab
from gbo.synth.geography import abbreviate_streets
from gbo.synth.nhs_numbers import format_nhs_numbers
from gbo.synth.records import AgencyRecords
from gbo.synth.world import World
from gbo.synth.writers import fill_missing, format_dates, take, text, translate

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class HealthExport:
    table: pa.Table
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
    patient = {
        "patient_id": text(patient_id),
        "given_name": text(records.given),
        "middle_names": text(records.middle),
        "family_name": text(records.family),
        "birth_date": format_dates(records.dob, ISO_DATE),
        "gender": text(
            fill_missing(translate(records.sex, lab.HEALTH_SEX), lab.HEALTH_SEX_UNKNOWN)
        ),
        "ethnic_category": text(translate(records.ethnicity, lab.HEALTH_ETHNICITY)),
        "address_line_1": text(abbreviate_streets(records.address)),
        "postcode": text(records.postcode),
        "nhs_number": format_nhs_numbers(records.nhs_number, None),
    }
    table = pa.table(
        {
            "attendance_id": text("A" + attendance.astype(str).astype(object)),
            **{name: take(values, record) for name, values in patient.items()},
            "attendance_start": format_dates(start, ISO_DATETIME),
            "service": text(translate(j.event_type[event], lab.HEALTH_SERVICES)),
        }
    )
    order = np.argsort(start, kind="stable")
    return HealthExport(table=table.take(pa.array(order)), patient_id=patient_id)


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
                    "nhs_number": "nhs_number",
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
