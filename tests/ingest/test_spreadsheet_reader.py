"""Blank rows of XLSX and ODS workbooks: counted and reported with their spreadsheet row
numbers, among the data rows and after the last of them, and never renumbering a row."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import PatternFill

from gbo.ingest.ingest_run import ingest_sources
from gbo.ingest.settings import IngestSettings, SourceSettings
from gbo.ingest.spreadsheet_reader import read_spreadsheet
from gbo.ingest.text_table import ROW_COLUMN
from tests.ingest.exports import assert_reconciled, write_ods

HEADER = ["Child ID", "Forename", "Date of Birth"]
MAPPING = """
agency = "social_care"
header_row = 3
date_formats = ["%d/%m/%Y"]
[[tables]]
target = "person_record"
columns = { local_id = "Child ID", given_name = "Forename", dob = "Date of Birth" }
"""

# A row below the header: data, or blank (no cells at all, or cells of spaces only).
_DATA, _EMPTY, _SPACES = "data", "empty", "spaces"
_layout = st.lists(st.sampled_from([_DATA, _DATA, _EMPTY, _SPACES]), max_size=12)


def _write_xlsx(path: Path, layout: list[str], *, banner: bool) -> int:
    """A workbook of ``layout`` below its header; returns the header's row number."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if banner:
        sheet.append(["Children's services extract"])
        sheet.append([])
    sheet.append(HEADER)
    for i, kind in enumerate(layout):
        if kind == _DATA:
            sheet.append([f"C{i}", "Ava", "14/03/2009"])
        elif kind == _SPACES:
            sheet.append([" ", None, "  "])
        else:
            sheet.append([])
    workbook.save(path)
    return 3 if banner else 1


@settings(max_examples=30, deadline=None)
@given(layout=_layout, banner=st.booleans())
def test_rows_keep_their_numbers_and_blank_rows_are_listed(layout: list[str], banner: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "children.xlsx"
        header = _write_xlsx(path, layout, banner=banner)
        sheet = read_spreadsheet(path, "xlsx", [None], header_row=header if banner else None)[None]
    numbered = [(header + 1 + i, kind) for i, kind in enumerate(layout)]
    data_rows = [row for row, kind in numbered if kind == _DATA]
    # A row of no cells at all after the last row holding anything is not in the sheet's used
    # range: no reader sees it, so it cannot be reported. Rows of spaces are seen.
    seen_to = max((row for row, kind in numbered if kind != _EMPTY), default=header)
    blank = [row for row, kind in numbered if kind != _DATA and row <= seen_to]
    assert sheet.table.column(ROW_COLUMN).to_pylist() == data_rows
    assert sheet.table.column("Child ID").to_pylist() == [
        f"C{i}" for i, kind in enumerate(layout) if kind == _DATA
    ]
    assert sheet.blank_lines == blank


def _write_analyst_workbook(folder: Path) -> Path:
    """A title row, a blank row 2, the header in row 3, a blank row among the data, and
    trailing rows: formatted but empty, one of a space, one of an empty string."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Referrals"
    sheet.append(["Northshire Children's Services - CSE referrals extract"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(["CS1", "Lily", "30/09/2010"])  # row 4
    sheet.append(["CS2", "James", "25/12/2007"])  # row 5
    sheet.append([])  # row 6
    sheet.append(["CS3", "Amelia", "22/03/2004"])  # row 7
    for row in range(8, 12):  # rows 8 to 11: formatted cells holding nothing
        for column in range(1, 4):
            sheet.cell(row=row, column=column).fill = PatternFill("solid", fgColor="FFFFFF")
    sheet.cell(row=12, column=1).value = " "
    sheet.cell(row=13, column=2).value = ""  # an empty cell: past the sheet's used range
    path = folder / "cs_referrals.xlsx"
    workbook.save(path)
    return path


def test_an_xlsx_reports_blank_rows_among_and_after_its_data(tmp_path: Path) -> None:
    data = _write_analyst_workbook(tmp_path)
    mapping = tmp_path / "social_care.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    run = ingest_sources(
        [SourceSettings(agency="social_care", path=data, mapping=mapping)],
        IngestSettings(reference_date=date(2026, 12, 1)),
    )
    assert_reconciled(run)
    assert (run.files[0].rows_read, run.files[0].rows_accepted) == (3, 3)
    people = run.output.tables["person_record"].to_pylist()
    assert {p["local_id"]: p["source_row"] for p in people} == {"CS1": 4, "CS2": 5, "CS3": 7}
    (finding,) = [f for f in run.output.findings.to_pylist() if f["rule"] == "blank_lines"]
    # Row 2 is above the header, ignored with the title as a CSV's lines above it are.
    assert finding["source_row"] == 6
    assert finding["detail"] == (
        "6 blank lines of sheet Referrals skipped (not rows): 6, 8, 9, 10, 11, 12"
    )


def test_an_ods_reports_blank_rows_among_and_after_its_data(tmp_path: Path) -> None:
    path = tmp_path / "cs_referrals.ods"
    write_ods(
        path,
        [
            HEADER,
            ["CS1", "Lily", "30/09/2010"],
            ["", "", ""],
            ["CS2", "James", "25/12/2007"],
            ["", "", ""],
            [" ", "", ""],
        ],
    )
    sheet = read_spreadsheet(path, "ods", [None])[None]
    assert sheet.table.column(ROW_COLUMN).to_pylist() == [2, 4]
    assert sheet.blank_lines == [3, 5, 6]
