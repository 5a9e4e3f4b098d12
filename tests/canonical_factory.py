"""Building small canonical (ingest-output) tables by hand for tests of later stages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa

from gbo.config import RunConfig
from gbo.runfolder import RunContext
from gbo.schema.tables import CANONICAL_TABLES
from gbo.security import KeyRing, write_encrypted_table
from gbo.stages import stage_folder_name


def canonical_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """A canonical table from partial rows: missing columns are null, provenance filled in."""
    spec = CANONICAL_TABLES[name]
    full = []
    for i, row in enumerate(rows, start=1):
        base: dict[str, Any] = {"agency": "police", "source_file": "test.csv", "source_row": i}
        full.append({c: row.get(c, base.get(c)) for c in spec.column_names})
    return pa.Table.from_pylist(full, schema=spec.schema)


PEOPLE: list[dict[str, Any]] = [
    {
        "record_key": "police:P10001",
        "local_id": "P10001",
        "given_name": "Avery",
        "family_name": "Quenton",
        "aliases": ["Avery Q Smithers"],
        "dob": dt.date(2008, 5, 17),
        "dob_precision": "day",
        "sex": "F",
        "ethnicity_self": "W1",
        "address": "14 Larchmont Terrace",
        "postcode": "ZZ1 4QT",
        "postcode_district": "ZZ1",
    },
    {
        "record_key": "police:P10002",
        "local_id": "P10002",
        "given_name": "Bramwell",
        "family_name": "Oxtoby",
        "age_recorded": 31,
        "age_recorded_on": dt.date(2020, 6, 1),
        "sex": "M",
        "postcode": "ZZ2 7PL",
        "postcode_district": "ZZ2",
    },
    {
        "record_key": "social_care:C77",
        "agency": "social_care",
        "local_id": "C77",
        "given_name": "Avery",
        "family_name": "Quenton",
        "dob": dt.date(2008, 1, 1),
        "dob_precision": "year",
        "sex": "F",
        "nhs_number": "9991234500",  # the range NHS England reserves for testing
    },
]


def write_ingest_outputs(run_dir: Path, keys: KeyRing) -> None:
    """A complete fake ``01_ingest`` folder with three people and one offence."""
    folder = run_dir / stage_folder_name("ingest")
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "person_record": canonical_table("person_record", PEOPLE),
        "offence": canonical_table(
            "offence",
            [
                {
                    "offence_key": "police:CR/2020/000123",
                    "crime_ref": "CR/2020/000123",
                    "ho_offence_code": "71",
                    "first_date": dt.date(2020, 3, 2),
                }
            ],
        ),
        "involvement": canonical_table(
            "involvement",
            [
                {
                    "offence_key": "police:CR/2020/000123",
                    "record_key": "police:P10001",
                    "role": "VICTIM",
                },
                {
                    "offence_key": "police:CR/2020/000123",
                    "record_key": "police:P10002",
                    "role": "SUSPECT",
                },
            ],
        ),
        "event": canonical_table(
            "event",
            [
                {
                    "record_key": "social_care:C77",
                    "event_type": "MISSING_EPISODE",
                    "event_date": dt.date(2019, 11, 5),
                    "agency": "social_care",
                }
            ],
        ),
        "vulnerability": canonical_table(
            "vulnerability",
            [{"record_key": "social_care:C77", "marker": "LOOKED_AFTER", "agency": "social_care"}],
        ),
        "association": canonical_table("association", []),
    }
    for name, table in tables.items():
        write_encrypted_table(keys, folder / f"{name}.parquet.enc", table)


def context(run_dir: Path, keys: KeyRing, stage: str) -> RunContext:
    return RunContext(run_dir=run_dir, config=RunConfig(), stage=stage, key_loader=lambda: keys)
