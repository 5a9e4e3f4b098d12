"""The children's social care export: an XLSX workbook with three kinds of sheet.

* ``Children``: one row per child record, dates of birth as text that may be partial
  (``2009`` or ``03/2009``), ethnicity on the older 16+1 list under the system's labels,
  the NHS number grouped as ``999 123 4567``;
* ``Contacts``: referrals, assessments, strategy discussions, exclusions, risk assessments
  and CSE identifications, with real spreadsheet dates and, for referrals and assessments,
  the recorded reason;
* ``Factors``: one row per assessment, a Yes/No column per factor.

A sheet longer than the worksheet row limit continues on ``Contacts 2`` and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.schema.mapping import AgencyMapping, FieldSource, FlagColumns, TableMapping
from gbo.synth import labels as lab
from gbo.synth.geography import LA_CODES
from gbo.synth.nhs_numbers import format_nhs_numbers
from gbo.synth.records import AgencyRecords
from gbo.synth.settings import CorruptionSettings
from gbo.synth.world import World
from gbo.synth.writers import (
    XLSX_MAX_DATA_ROWS,
    fill_missing,
    format_dates,
    sheet_parts,
    text,
    timestamps,
    translate,
    yes_no,
)

DMY = "%d/%m/%Y"


@dataclass(frozen=True)
class SocialCareExport:
    sheets: dict[str, pa.Table]  # before splitting: Children, Contacts, Factors
    child_id: np.ndarray  # per social care record


def _dob_text(rng: np.random.Generator, dob: np.ndarray, cs: CorruptionSettings) -> pa.Array:
    """Dates of birth as text, some kept only as month and year or as a year."""
    u = rng.random(len(dob))
    month_only = pa.array(u < cs.partial_dob_rate / 2)
    year_only = pa.array((u >= cs.partial_dob_rate / 2) & (u < cs.partial_dob_rate))
    full = format_dates(dob, DMY)
    partial = pc.if_else(month_only, format_dates(dob, "%m/%Y"), full)
    return pc.if_else(year_only, format_dates(dob, "%Y"), partial)


def build_social_care(
    rng: np.random.Generator, world: World, records: AgencyRecords, cs: CorruptionSettings
) -> SocialCareExport:
    j = world.journeys
    child_id = "CH" + records.local_id.astype(str).astype(object)
    looked_after = np.zeros(world.plan.n_people, dtype=bool)
    looked_after[j.marker_person[j.marker_code == "LOOKED_AFTER"]] = True
    sex = translate(records.sex, lab.SOCIAL_CARE_SEX)
    ethnicity_16 = translate(records.ethnicity, lab.SDE_18_TO_16)
    children = pa.table(
        {
            "Child ID": text(child_id),
            "Forename": text(records.given),
            "Middle Name(s)": text(records.middle),
            "Surname": text(records.family),
            "Date of Birth": _dob_text(rng, records.dob, cs),
            "Gender": text(fill_missing(sex, lab.SOCIAL_CARE_SEX_UNKNOWN)),
            "Ethnicity": text(translate(ethnicity_16, lab.SOCIAL_CARE_SDE_16)),
            "Address": text(records.address),
            "Postcode": text(records.postcode),
            "NHS Number": format_nhs_numbers(records.nhs_number, " "),
            "Local Authority": text(LA_CODES[records.la_index]),
            "Looked After": text(yes_no(looked_after[records.person], "Yes", "No")),
        }
    )

    is_sc = np.flatnonzero(j.event_agency == "social_care")
    is_sc = is_sc[world.plan.presence["social_care"][j.event_person[is_sc]]]
    contact_record = records.pick_records(rng, j.event_person[is_sc])
    contacts = pa.table(
        {
            "Child ID": text(child_id[contact_record]),
            "Contact Date": timestamps(j.event_date[is_sc]),
            "Contact Type": text(translate(j.event_type[is_sc], lab.SOCIAL_CARE_CONTACTS)),
            "Reason": text(translate(j.event_reason[is_sc], lab.SOCIAL_CARE_REASONS)),
        }
    )

    assessed = np.flatnonzero(~np.isnat(j.assessment_date))
    factor_record = records.pick_records(rng, assessed)
    factors = {
        "Child ID": text(child_id[factor_record]),
        "Assessment Date": timestamps(j.assessment_date[assessed]),
    }
    for code, label in lab.SOCIAL_CARE_FACTORS.items():
        has = np.zeros(world.plan.n_people, dtype=bool)
        has[j.marker_person[j.marker_code == code]] = True
        factors[label] = text(yes_no(has[assessed], "Yes", "No"))
    return SocialCareExport(
        sheets={"Children": children, "Contacts": contacts, "Factors": pa.table(factors)},
        child_id=child_id,
    )


def split_sheets(
    sheets: dict[str, pa.Table], limit: int = XLSX_MAX_DATA_ROWS
) -> dict[str, pa.Table]:
    """The sheets as written: any longer than the row limit continued on further sheets."""
    written: dict[str, pa.Table] = {}
    for name, table in sheets.items():
        for part, rows in sheet_parts(name, table.num_rows, limit):
            written[part] = table.slice(rows.start, rows.stop - rows.start)
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
                        "nhs_number": "NHS Number",
                        "local_authority": "Local Authority",
                        "is_looked_after": "Looked After",
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
                        "event_reason": FieldSource(column="Reason", codes="event_reason"),
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
            "event_reason": lab.invert(lab.SOCIAL_CARE_REASONS),
        },
        tables=tables,
    )
