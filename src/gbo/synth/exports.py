"""Writing each agency's export and mapping file, keeping only what the ground truth needs.

Each function builds one agency's records and export, spoils a few rows on purpose, writes
the file and its mapping, and lets the export's tables go before the next agency is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gbo.synth.badrows import BadRowLog, BadRowSpec, plant_bad_rows
from gbo.synth.health import ISO_DATE, build_health, health_mapping
from gbo.synth.mapping_files import write_mapping
from gbo.synth.police import DMY, build_police, police_mapping
from gbo.synth.records import make_agency_records
from gbo.synth.settings import SynthSettings
from gbo.synth.social_care import build_social_care, social_care_mapping, split_sheets
from gbo.synth.truth import AgencyTruth, role_lists
from gbo.synth.world import World
from gbo.synth.writers import write_csv, write_ndjson, write_xlsx

FILE_NAMES = {
    "police": "police_nominals.csv",
    "social_care": "social_care_children.xlsx",
    "health": "health_attendances.ndjson",
}


@dataclass(frozen=True)
class ExportTarget:
    """Where one agency's export and mapping go, and the shared bad-row log."""

    data: Path
    mapping: Path
    log: BadRowLog


def write_police(
    streams: list[np.random.Generator],
    world: World,
    settings: SynthSettings,
    target: ExportTarget,
    encoding: str,
) -> tuple[AgencyTruth, np.ndarray]:
    """The police CSV; returns its truth and the crime reference of each true offence."""
    records = make_agency_records(streams[0], world, "police", settings)
    police = build_police(streams[1], world, records)
    table = plant_bad_rows(
        streams[2], police.table,
        BadRowSpec("CommittedFrom", DMY, "HOOffenceCode", "99Z"),
        settings.bad_rows, settings.world.extract_date, target.log,
        agency="police", source_file=target.data.name,
    )  # fmt: skip
    write_csv(table, target.data, encoding)
    write_mapping(police_mapping(encoding), target.mapping, "Police export (CSV) to gbo.")
    roles = role_lists(len(records), police.involvement_record, police.involvement_role)
    return AgencyTruth(records, police.nominal_ref, roles), police.crime_ref


def write_social_care(
    streams: list[np.random.Generator], world: World, settings: SynthSettings, target: ExportTarget
) -> AgencyTruth:
    """The social care workbook (sheets split to fit the row limit) and its mapping."""
    records = make_agency_records(streams[0], world, "social_care", settings)
    sc = build_social_care(streams[1], world, records, settings.corruption)
    sheets = dict(sc.sheets)
    sheets["Children"] = plant_bad_rows(
        streams[2], sheets["Children"],
        BadRowSpec("Date of Birth", DMY, "Ethnicity", "Other (code 99)"),
        settings.bad_rows, settings.world.extract_date, target.log,
        agency="social_care", source_file=target.data.name, sheet="Children",
    )  # fmt: skip
    written = split_sheets(sheets)
    write_xlsx(written, target.data)
    write_mapping(
        social_care_mapping(list(written)),
        target.mapping,
        "Children's social care export (XLSX) to gbo.",
    )
    return AgencyTruth(records, sc.child_id)


def write_health(
    streams: list[np.random.Generator], world: World, settings: SynthSettings, target: ExportTarget
) -> AgencyTruth:
    """The health NDJSON and its mapping."""
    records = make_agency_records(streams[0], world, "health", settings)
    health = build_health(streams[1], world, records)
    table = plant_bad_rows(
        streams[2], health.table,
        BadRowSpec("birth_date", ISO_DATE, "service", "XX"),
        settings.bad_rows, settings.world.extract_date, target.log,
        agency="health", source_file=target.data.name, header_lines=0,
    )  # fmt: skip
    write_ndjson(table, target.data)
    write_mapping(health_mapping(), target.mapping, "Health export (NDJSON) to gbo.")
    return AgencyTruth(records, health.patient_id)
