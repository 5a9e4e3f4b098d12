"""Small agency exports and mapping files, built in each test's own folder."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from gbo.ingest.ingest_run import IngestRun, ingest_sources
from gbo.ingest.settings import IngestSettings, SourceSettings

REFERENCE_DATE = date(2025, 6, 30)

POLICE_MAPPING = """
agency = "police"
date_formats = ["%d/%m/%Y"]
partial_date_formats = ["%m/%Y", "%Y"]

[codes.sex]
Male = "M"
Female = "F"
"Not known" = ""

[codes.role]
Victim = "VICTIM"
Suspect = "SUSPECT"

[[tables]]
target = "person_record"
[tables.columns]
local_id = "PersonID"
given_name = "Forename"
family_name = "Surname"
dob = "DOB"
sex = "Sex"
ethnicity_self = "SDE"

[[tables]]
target = "offence"
[tables.columns]
crime_ref = "CrimeRef"
ho_offence_code = "HOCode"
first_date = "OffenceDate"

[[tables]]
target = "involvement"
[tables.columns]
offence_key = "CrimeRef"
record_key = "PersonID"
role = "Role"
"""

POLICE_HEADER = [
    "PersonID",
    "Forename",
    "Surname",
    "DOB",
    "Sex",
    "SDE",
    "CrimeRef",
    "HOCode",
    "OffenceDate",
    "Role",
]


def police_row(
    person: str,
    *,
    dob: str = "01/02/2005",
    sex: str = "Female",
    sde: str = "W1",
    crime: str = "C1",
    ho: str = "71",
    offence_date: str = "03/2019",
    role: str = "Victim",
    forename: str = "Ann",
) -> list[str]:
    return [person, forename, "Smith", dob, sex, sde, crime, ho, offence_date, role]


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def ingest(
    tmp_path: Path, sources: Sequence[tuple[str, Path, Path]], **settings: object
) -> tuple[IngestRun, list[str]]:
    """Run ingest over (agency, data file, mapping file) sources; returns the warnings too."""
    warnings: list[str] = []
    run = ingest_sources(
        [SourceSettings(agency=a, path=p, mapping=m) for a, p, m in sources],
        IngestSettings(reference_date=REFERENCE_DATE, **settings),
        warn=warnings.append,
    )
    return run, warnings


def assert_reconciled(run: IngestRun) -> None:
    """Every row read is accepted or rejected, and every rejected row has its raw values."""
    for record in run.files:
        assert record.rows_read == (
            record.rows_accepted + record.rows_rejected + record.rows_left_out
        )
    source_file = run.source_file_table().to_pylist()
    for row in source_file:
        assert row["rows_read"] == (
            row["rows_accepted"] + row["rows_rejected"] + row["rows_left_out"]
        )
    assert run.output.rejected_raw.num_rows == sum(f.rows_rejected for f in run.files)
    rejected = {(r["source_file"], r["source_row"]) for r in run.output.rejected_row.to_pylist()}
    assert len(rejected) == sum(f.rows_rejected for f in run.files)
    for table in run.output.tables.values():
        for row in table.select(["source_file", "source_row"]).to_pylist():
            assert (row["source_file"], row["source_row"]) not in rejected


@pytest.fixture
def police_mapping(tmp_path: Path) -> Path:
    path = tmp_path / "police.toml"
    path.write_text(POLICE_MAPPING, encoding="utf-8")
    return path


@pytest.fixture
def write_police(tmp_path: Path) -> Callable[..., Path]:
    """Write a police CSV of the given rows (a header first) and return its path."""

    def write(
        rows: Sequence[Sequence[str]],
        name: str = "police.csv",
        encoding: str = "utf-8",
        header: Sequence[str] = POLICE_HEADER,
    ) -> Path:
        path = tmp_path / name
        path.write_bytes(csv_text(header, rows).encode(encoding))
        return path

    return write


def write_ods(path: Path, rows: list[list[str]], sheet: str = "Sheet1") -> None:
    """An ODS workbook of one sheet of text cells (an empty value is an empty cell)."""
    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for row in rows:
        table_row = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            if value:
                cell.addElement(P(text=value))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
