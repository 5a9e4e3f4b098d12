"""Writing each agency's export, keeping only what the ground truth needs; and the mappings.

Each function builds one agency's records and export (of one shard), spoils a few rows on
purpose, appends them to the agency's file (:mod:`gbo.synth.sinks`), and lets the export's
tables go before the next agency is built. The bad rows are logged with their line (or sheet
row) in the finished file, below the rows of earlier shards.
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
from gbo.synth.sinks import CsvSink, NdjsonSink, WorkbookSink
from gbo.synth.social_care import build_social_care, social_care_mapping
from gbo.synth.truth import AgencyTruth, role_lists
from gbo.synth.world import World

FILE_NAMES = {
    "police": "police_nominals.csv",
    "social_care": "social_care_children.xlsx",
    "health": "health_attendances.ndjson",
}


@dataclass(frozen=True)
class ExportTarget:
    """Where one agency's export goes (a sink), and the bad-row log of the shard."""

    name: str
    log: BadRowLog


def write_mappings(mappings: dict[str, Path], encoding: str, social_care_sheets: list[str]) -> None:
    """The mapping file of each agency's finished export."""
    write_mapping(police_mapping(encoding), mappings["police"], "Police export (CSV) to gbo.")
    write_mapping(
        social_care_mapping(social_care_sheets),
        mappings["social_care"],
        "Children's social care export (XLSX) to gbo.",
    )
    write_mapping(health_mapping(), mappings["health"], "Health export (NDJSON) to gbo.")


def write_police(
    streams: list[np.random.Generator],
    world: World,
    settings: SynthSettings,
    target: ExportTarget,
    sink: CsvSink,
) -> tuple[AgencyTruth, np.ndarray]:
    """The police CSV; returns its truth and the crime reference of each true offence."""
    records = make_agency_records(streams[0], world, "police", settings)
    police = build_police(streams[1], world, records)
    table = plant_bad_rows(
        streams[2], police.table,
        BadRowSpec("CommittedFrom", DMY, "HOOffenceCode", "99Z"),
        settings.bad_rows, settings.world.extract_date, target.log,
        agency="police", source_file=target.name, rows_before=sink.rows,
    )  # fmt: skip
    sink.append(table)
    roles = role_lists(len(records), police.involvement_record, police.involvement_role)
    return AgencyTruth(records, police.nominal_ref, roles), police.crime_ref


def write_social_care(
    streams: list[np.random.Generator],
    world: World,
    settings: SynthSettings,
    target: ExportTarget,
    sink: WorkbookSink,
) -> AgencyTruth:
    """The social care workbook's sheets (split to fit the row limit when it is closed)."""
    records = make_agency_records(streams[0], world, "social_care", settings)
    sc = build_social_care(streams[1], world, records, settings.corruption)
    sheets = dict(sc.sheets)
    sheets["Children"] = plant_bad_rows(
        streams[2], sheets["Children"],
        BadRowSpec("Date of Birth", DMY, "Ethnicity", "Other (code 99)"),
        settings.bad_rows, settings.world.extract_date, target.log,
        agency="social_care", source_file=target.name, sheet="Children",
        sheet_limit=sink.limit, rows_before=sink.rows.get("Children", 0),
    )  # fmt: skip
    sink.append(sheets)
    return AgencyTruth(records, sc.child_id)


def write_health(
    streams: list[np.random.Generator],
    world: World,
    settings: SynthSettings,
    target: ExportTarget,
    sink: NdjsonSink,
) -> AgencyTruth:
    """The health NDJSON's rows."""
    records = make_agency_records(streams[0], world, "health", settings)
    health = build_health(streams[1], world, records)
    table = plant_bad_rows(
        streams[2], health.table,
        BadRowSpec("birth_date", ISO_DATE, "service", "XX"),
        settings.bad_rows, settings.world.extract_date, target.log,
        agency="health", source_file=target.name, header_lines=0, rows_before=sink.rows,
    )  # fmt: skip
    sink.append(table)
    return AgencyTruth(records, health.patient_id)
