"""The police export: one CSV mixing three kinds of row, told apart by ``RecordType``.

* ``Crime Nominal``: one row per person on a crime, with the person's and the crime's details
  repeated on every row;
* ``Incident``: missing-person reports, welfare concerns and CSE identifications of a person;
* ``Association``: a recorded link between two nominals.

Dates are dd/mm/yyyy, surnames and addresses upper case, self-defined ethnicity under the
force's own labels, officer-defined ethnicity as IC codes (``IC0`` when unknown), the NHS
number (on few records) as ``999-123-4567``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.schema.mapping import AgencyMapping, FieldSource, TableMapping
from gbo.synth import labels as lab
from gbo.synth.geography import LA_CODES, PFA_CODES, police_force_of, upper
from gbo.synth.nhs_numbers import format_nhs_numbers
from gbo.synth.records import AgencyRecords
from gbo.synth.serials import draw_serials
from gbo.synth.world import World
from gbo.synth.writers import (
    constant,
    fill_missing,
    format_dates,
    take,
    text,
    translate,
    yes_no,
)

DMY = "%d/%m/%Y"
COLUMNS = (
    "RecordType", "CrimeReference", "NominalRef", "Surname", "Forename1", "Forename2", "AKA",
    "DateOfBirth", "AgeAtOffence", "Gender", "SelfDefinedEthnicity", "OfficerDefinedEthnicity",
    "Nationality",
    "AddressLine1", "PostCode", "NHSNumber", "InvolvementType", "HOOffenceCode", "CommittedFrom",
    "CommittedTo", "RecordedDate", "CSEFlag", "OnlineFlag", "COCADCategory", "LocationType",
    "ModusOperandi", "ForceArea", "OffenceLA", "OutcomeCode", "OutcomeDate", "IncidentType",
    "IncidentDate",
    "AssociatedNominalRef", "AssociationType", "AssociationDate",
)  # fmt: skip


@dataclass(frozen=True)
class PoliceExport:
    table: pa.Table
    crime_ref: np.ndarray  # per true offence
    nominal_ref: np.ndarray  # per police record
    involvement_record: np.ndarray  # per crime-nominal row (before bad rows): police record
    involvement_role: np.ndarray  # and its role code


def _methods(codes: np.ndarray) -> pa.Array:
    joined = text(codes)
    for code, label in lab.POLICE_METHODS.items():
        joined = pc.replace_substring(joined, code, label)
    joined = pc.replace_substring(joined, ";", "|")
    return pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)


def _ages(dob: np.ndarray, on: np.ndarray) -> pa.Array:
    """Age in whole years on a date, as text (what the officer recorded on the crime)."""
    years = on.astype("datetime64[Y]").astype(np.int64) - dob.astype("datetime64[Y]").astype(
        np.int64
    )
    # A birthday not yet reached that year: compare month and day.
    age = years - (_month_day(on) < _month_day(dob))
    return pc.cast(pa.array(age), pa.string())


def _month_day(dates: np.ndarray) -> np.ndarray:
    months = dates.astype("datetime64[M]")
    month = (months - dates.astype("datetime64[Y]").astype("datetime64[M]")).astype(np.int64)
    day = (dates - months.astype("datetime64[D]")).astype(np.int64)
    md: np.ndarray = month * 32 + day
    return md


def _offence_columns(world: World, crime_ref: np.ndarray) -> dict[str, pa.Array]:
    """Each crime's columns, one value per true offence."""
    o = world.offending
    la = o.unit_la[o.offence_unit]
    return {
        "CrimeReference": text(crime_ref),
        "HOOffenceCode": text(o.offence_ho_code),
        "CommittedFrom": format_dates(o.offence_first, DMY),
        "CommittedTo": format_dates(o.offence_last, DMY),
        "RecordedDate": format_dates(world.journeys.offence_recorded, DMY),
        "CSEFlag": text(yes_no(o.offence_is_cse)),
        "OnlineFlag": text(yes_no(o.offence_is_online)),
        "COCADCategory": text(translate(o.offence_cocad, lab.POLICE_COCAD)),
        "LocationType": text(translate(o.offence_location, lab.POLICE_LOCATIONS)),
        "ModusOperandi": _methods(o.offence_methods),
        "ForceArea": text(PFA_CODES[police_force_of(la)]),
        "OffenceLA": text(LA_CODES[la]),
        "OutcomeCode": text(o.offence_outcome),
        "OutcomeDate": format_dates(o.offence_outcome_date, DMY),
    }


def _person_columns(records: AgencyRecords, nominal: np.ndarray) -> dict[str, pa.Array]:
    """Each nominal's columns, one value per police record."""
    return {
        "NominalRef": text(nominal),
        "Surname": text(upper(records.family)),
        "Forename1": text(records.given),
        "Forename2": text(records.middle),
        "AKA": text(records.alias),
        "DateOfBirth": format_dates(records.dob, DMY),
        "Gender": text(fill_missing(translate(records.sex, lab.POLICE_SEX), "U")),
        "SelfDefinedEthnicity": text(translate(records.ethnicity, lab.POLICE_SDE)),
        "OfficerDefinedEthnicity": text(
            fill_missing(records.officer_ethnicity, lab.POLICE_IC_UNKNOWN)
        ),
        "Nationality": text(records.nationality),
        "AddressLine1": text(upper(records.address)),
        "PostCode": text(records.postcode),
        "NHSNumber": format_nhs_numbers(records.nhs_number, "-"),
    }


def build_police(rng: np.random.Generator, world: World, records: AgencyRecords) -> PoliceExport:
    o = world.offending
    n_offences = len(o.offence_unit)
    numbers = draw_serials(rng, n_offences, usual_width=6, block=world.shard.index)
    years = o.offence_first.astype("datetime64[Y]").astype(str).astype(object)
    crime_ref = "CR" + years + "/" + numbers.astype(str).astype(object)
    nominal = "N" + records.local_id.astype(str).astype(object)

    source, record = records.route_rows(rng, o.involvement_person)
    offence = o.involvement_offence[source]
    n_rows = len(source)
    involvement = {
        "RecordType": constant(lab.POLICE_RECORD_TYPES["involvement"], n_rows),
        **{k: take(v, record) for k, v in _person_columns(records, nominal).items()},
        **{k: take(v, offence) for k, v in _offence_columns(world, crime_ref).items()},
        "InvolvementType": text(translate(o.involvement_role[source], lab.POLICE_ROLES)),
        "AgeAtOffence": _ages(world.people.dob[records.person[record]], o.offence_first[offence]),
    }

    j = world.journeys
    is_police = np.flatnonzero(j.event_agency == "police")
    event_record = records.pick_records(rng, j.event_person[is_police])
    events = {
        "RecordType": constant(lab.POLICE_RECORD_TYPES["event"], len(is_police)),
        "NominalRef": text(nominal[event_record]),
        "IncidentType": text(translate(j.event_type[is_police], lab.POLICE_INCIDENTS)),
        "IncidentDate": format_dates(j.event_date[is_police], DMY),
    }
    a_record = records.pick_records(rng, o.association_a)
    b_record = records.pick_records(rng, o.association_b)
    associations = {
        "RecordType": constant(lab.POLICE_RECORD_TYPES["association"], len(a_record)),
        "NominalRef": text(nominal[a_record]),
        "AssociatedNominalRef": text(nominal[b_record]),
        "AssociationType": text(translate(o.association_type, lab.POLICE_ASSOCIATIONS)),
        "AssociationDate": format_dates(o.association_date, DMY),
    }
    parts = (involvement, events, associations)
    columns = {
        name: pa.concat_arrays(
            [p.get(name, pa.nulls(len(p["RecordType"]), pa.string())) for p in parts]
        )
        for name in COLUMNS
    }
    when = np.concatenate([o.offence_first[offence], j.event_date[is_police], o.association_date])
    order = np.argsort(when, kind="stable")
    return PoliceExport(
        table=pa.table(columns).take(pa.array(order)),
        crime_ref=crime_ref,
        nominal_ref=nominal,
        involvement_record=record,
        involvement_role=o.involvement_role[source],
    )


def police_mapping(encoding: str) -> AgencyMapping:
    """The mapping file of the police export."""
    nominal_rows = {"RecordType": [lab.POLICE_RECORD_TYPES["involvement"]]}
    return AgencyMapping(
        agency="police",
        format="csv",
        encoding=encoding,
        delimiter=",",
        date_formats=[DMY],
        null_values=["", "U"],
        ethnicity_self_list="18+1",
        codes={
            "sex": dict(lab.invert(lab.POLICE_SEX)),
            "ethnicity_self": lab.invert(lab.POLICE_SDE),
            "ethnicity_officer": lab.invert(lab.POLICE_IC) | {lab.POLICE_IC_UNKNOWN: "IC9"},
            "role": lab.invert(lab.POLICE_ROLES),
            "cocad_category": lab.invert(lab.POLICE_COCAD),
            "location_type": lab.invert(lab.POLICE_LOCATIONS),
            "methods": lab.invert(lab.POLICE_METHODS),
            "event_type": lab.invert(lab.POLICE_INCIDENTS),
            "association_type": lab.invert(lab.POLICE_ASSOCIATIONS),
        },
        tables=[
            TableMapping(
                target="person_record",
                row_filter=nominal_rows,
                columns={
                    "local_id": "NominalRef",
                    "given_name": "Forename1",
                    "middle_names": "Forename2",
                    "family_name": "Surname",
                    "aliases": FieldSource(column="AKA", split=";"),
                    "dob": "DateOfBirth",
                    "age_recorded": "AgeAtOffence",
                    "age_recorded_on": "CommittedFrom",
                    "sex": FieldSource(column="Gender", codes="sex"),
                    "ethnicity_self": FieldSource(
                        column="SelfDefinedEthnicity", codes="ethnicity_self"
                    ),
                    "ethnicity_officer": FieldSource(
                        column="OfficerDefinedEthnicity", codes="ethnicity_officer"
                    ),
                    "nationality": "Nationality",
                    "address": "AddressLine1",
                    "postcode": "PostCode",
                    "nhs_number": "NHSNumber",
                },
            ),
            TableMapping(
                target="offence",
                row_filter=nominal_rows,
                columns={
                    "crime_ref": "CrimeReference",
                    "ho_offence_code": "HOOffenceCode",
                    "is_cse_flagged": "CSEFlag",
                    "is_online": "OnlineFlag",
                    "cocad_category": FieldSource(column="COCADCategory", codes="cocad_category"),
                    "first_date": "CommittedFrom",
                    "last_date": "CommittedTo",
                    "recorded_date": "RecordedDate",
                    "location_type": FieldSource(column="LocationType", codes="location_type"),
                    "methods": FieldSource(column="ModusOperandi", split="|", codes="methods"),
                    "police_force_area": "ForceArea",
                    "local_authority": "OffenceLA",
                    "outcome_code": "OutcomeCode",
                    "outcome_date": "OutcomeDate",
                },
            ),
            TableMapping(
                target="involvement",
                row_filter=nominal_rows,
                columns={
                    "offence_key": "CrimeReference",
                    "record_key": "NominalRef",
                    "role": FieldSource(column="InvolvementType", codes="role"),
                },
            ),
            TableMapping(
                target="event",
                row_filter={"RecordType": [lab.POLICE_RECORD_TYPES["event"]]},
                columns={
                    "record_key": "NominalRef",
                    "event_type": FieldSource(column="IncidentType", codes="event_type"),
                    "event_date": "IncidentDate",
                },
            ),
            TableMapping(
                target="association",
                row_filter={"RecordType": [lab.POLICE_RECORD_TYPES["association"]]},
                columns={
                    "record_key_a": "NominalRef",
                    "record_key_b": "AssociatedNominalRef",
                    "association_type": FieldSource(
                        column="AssociationType", codes="association_type"
                    ),
                    "association_date": "AssociationDate",
                },
            ),
        ],
    )
