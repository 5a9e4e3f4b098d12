"""The children's social care export: an XLSX workbook with three kinds of sheet.

* ``Children``: one row per child record, dates of birth as text that may be partial
  (``2009`` or ``03/2009``), ethnicity on the older 16+1 list under the system's labels;
* ``Contacts``: referrals, strategy discussions, exclusions, risk assessments and CSE
  identifications, with real spreadsheet dates;
* ``Factors``: one row per assessment, a Yes/No column per factor.

A sheet longer than the worksheet row limit continues on ``Contacts 2`` and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.schema.mapping import AgencyMapping, FieldSource, FlagColumns, TableMapping
from gbo.synth import labels as lab
from gbo.synth.geography import LA_CODES
from gbo.synth.records import AgencyRecords
from gbo.synth.settings import CorruptionSettings
from gbo.synth.world import World
from gbo.synth.writers import Table, fill_missing, format_dates, sheet_parts, translate

DMY = "%d/%m/%Y"


@dataclass(frozen=True)
class SocialCareExport:
    sheets: dict[str, Table]  # before splitting: Children, Contacts, Factors
    child_id: np.ndarray  # per social care record


def _dob_text(rng: np.random.Generator, dob: np.ndarray, cs: CorruptionSettings) -> np.ndarray:
    n = len(dob)
    u = rng.random(n)
    month_only = u < cs.partial_dob_rate / 2
    year_only = (u >= cs.partial_dob_rate / 2) & (u < cs.partial_dob_rate)
    text = format_dates(dob, DMY)
    text[month_only] = format_dates(dob[month_only], "%m/%Y")
    text[year_only] = format_dates(dob[year_only], "%Y")
    return text


def build_social_care(
    rng: np.random.Generator, world: World, records: AgencyRecords, cs: CorruptionSettings
) -> SocialCareExport:
    j = world.journeys
    child_id = "CH" + records.local_id.astype(str).astype(object)
    person = records.person
    looked_after = np.zeros(world.plan.n_people, dtype=bool)
    looked_after[j.marker_person[j.marker_code == "LOOKED_AFTER"]] = True
    sex = records.sex
    ethnicity_16 = translate(records.ethnicity, lab.SDE_18_TO_16)
    children: Table = {
        "Child ID": child_id,
        "Forename": records.given,
        "Middle Name(s)": records.middle,
        "Surname": records.family,
        "Date of Birth": _dob_text(rng, records.dob, cs),
        "Gender": fill_missing(translate(sex, lab.SOCIAL_CARE_SEX), lab.SOCIAL_CARE_SEX_UNKNOWN),
        "Ethnicity": translate(ethnicity_16, lab.SOCIAL_CARE_SDE_16),
        "Address": records.address,
        "Postcode": records.postcode,
        "Local Authority": LA_CODES[records.la_index],
        "Looked After": np.where(looked_after[person], "Yes", "No").astype(object),
    }

    is_sc = np.flatnonzero(j.event_agency == "social_care")
    is_sc = is_sc[world.plan.presence["social_care"][j.event_person[is_sc]]]
    contact_record = _pick_record(rng, records, j.event_person[is_sc])
    contacts: Table = {
        "Child ID": child_id[contact_record],
        "Contact Date": j.event_date[is_sc],
        "Contact Type": translate(j.event_type[is_sc], lab.SOCIAL_CARE_CONTACTS),
    }

    assessed = np.flatnonzero(~np.isnat(j.assessment_date))
    factor_record = _pick_record(rng, records, assessed)
    factors: Table = {
        "Child ID": child_id[factor_record],
        "Assessment Date": j.assessment_date[assessed],
    }
    for code, label in lab.SOCIAL_CARE_FACTORS.items():
        has = np.zeros(world.plan.n_people, dtype=bool)
        has[j.marker_person[j.marker_code == code]] = True
        factors[label] = np.where(has[assessed], "Yes", "No").astype(object)
    return SocialCareExport(
        sheets={"Children": children, "Contacts": contacts, "Factors": factors},
        child_id=child_id,
    )


def _pick_record(
    rng: np.random.Generator, records: AgencyRecords, person: np.ndarray
) -> np.ndarray:
    record = records.main_of_person[person]
    duplicate = records.duplicate_of_person[person]
    return np.where((duplicate >= 0) & (rng.random(len(person)) < 0.3), duplicate, record)


def split_sheets(sheets: dict[str, Table]) -> dict[str, Table]:
    """The sheets as written: any longer than the row limit continued on further sheets."""
    written: dict[str, Table] = {}
    for name, table in sheets.items():
        n_rows = len(next(iter(table.values())))
        for part, rows in sheet_parts(name, n_rows):
            written[part] = {col: values[rows] for col, values in table.items()}
    return written


def social_care_mapping(sheet_names: list[str]) -> AgencyMapping:
    """The mapping file of the social care workbook, one table per sheet as written."""
    tables: list[TableMapping] = []
    for sheet in sheet_names:
        kind = sheet.split(" ")[0]
        if kind == "Children":
            tables.append(
                TableMapping(
                    target="person_record",
                    sheet=sheet,
                    columns={
                        "local_id": "Child ID",
                        "given_name": "Forename",
                        "middle_names": "Middle Name(s)",
                        "family_name": "Surname",
                        "dob": "Date of Birth",
                        "sex": FieldSource(column="Gender", codes="sex"),
                        "ethnicity_self": FieldSource(column="Ethnicity", codes="ethnicity_self"),
                        "address": "Address",
                        "postcode": "Postcode",
                        "local_authority": "Local Authority",
                        "is_looked_after": FieldSource(column="Looked After"),
                    },
                )
            )
        elif kind == "Contacts":
            tables.append(
                TableMapping(
                    target="event",
                    sheet=sheet,
                    columns={
                        "record_key": "Child ID",
                        "event_date": "Contact Date",
                        "event_type": FieldSource(column="Contact Type", codes="event_type"),
                    },
                )
            )
        elif kind == "Factors":
            tables.append(
                TableMapping(
                    target="vulnerability",
                    sheet=sheet,
                    columns={"record_key": "Child ID", "marker_date": "Assessment Date"},
                    flags=FlagColumns(
                        target_column="marker",
                        columns={label: code for code, label in lab.SOCIAL_CARE_FACTORS.items()},
                    ),
                )
            )
    return AgencyMapping(
        agency="social_care",
        format="xlsx",
        date_formats=[DMY, "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"],
        partial_date_formats=["%m/%Y", "%Y"],
        null_values=["", "Not known"],
        ethnicity_self_list="16+1",
        codes={
            "sex": lab.invert(lab.SOCIAL_CARE_SEX),
            "ethnicity_self": lab.invert(lab.SOCIAL_CARE_SDE_16),
            "event_type": lab.invert(lab.SOCIAL_CARE_CONTACTS),
        },
        tables=tables,
    )
