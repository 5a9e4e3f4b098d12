"""The XLSX workbook against a golden file, and the Analysis Function rules it must keep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl

from tests.publish.conftest import compare_golden


def workbook_structure(path: Path) -> dict[str, Any]:
    """Every sheet's cells, table objects and merged ranges, as plain JSON."""
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        sheets.append(
            {
                "name": ws.title,
                "tables": {name: ref for name, ref in ws.tables.items()},
                "merged": [str(r) for r in ws.merged_cells.ranges],
                "rows": [list(row) for row in ws.iter_rows(values_only=True)],
            }
        )
    return {"sheets": sheets}


def test_workbook_matches_golden(publish_dir: Path) -> None:
    structure = workbook_structure(publish_dir / "tables.xlsx")
    text = json.dumps(structure, indent=1, ensure_ascii=False, default=str) + "\n"
    compare_golden("tables.xlsx.json", text)


def test_workbook_keeps_the_spreadsheet_guidance(publish_dir: Path) -> None:
    book = openpyxl.load_workbook(publish_dir / "tables.xlsx")
    names = book.sheetnames
    assert names[:3] == ["Cover", "Contents", "Notes"]
    cover = [c for (c,) in book["Cover"].iter_rows(values_only=True, max_col=1) if c]
    assert any("Run id: run-fixture" in c for c in cover)
    assert any("Code version: 0.1.0+gfixture" in c for c in cover)
    assert any("synthetic" in c.lower() for c in cover)
    for ws in book.worksheets[1:]:
        assert len(ws.tables) == 1, f"{ws.title} must hold exactly one table"
        assert not ws.merged_cells.ranges
        assert ws["A1"].value, f"{ws.title} has no title in A1"
        assert len(ws.title) <= 31
        (ref,) = [t.ref for t in ws.tables.values()]
        first, last = ref.split(":")
        for row in ws[first:last]:
            assert all(cell.value is not None for cell in row), f"blank cell in {ws.title}"


def test_notes_are_referenced_in_titles_or_headers_never_in_cells(publish_dir: Path) -> None:
    book = openpyxl.load_workbook(publish_dir / "tables.xlsx")
    referenced: set[str] = set()
    for ws in book.worksheets[3:]:
        (table,) = ws.tables.values()
        first, last = table.ref.split(":")
        rows = list(ws[first:last])
        header_and_title = [str(ws["A1"].value)] + [str(c.value) for c in rows[0]]
        referenced |= {t for t in header_and_title if "[note" in t}
        for row in rows[1:]:
            assert not any("[note" in str(c.value) for c in row)
    notes = [r for r in book["Notes"].iter_rows(values_only=True)][3:]
    assert referenced and len(notes) == 4
    assert [n for n, _ in notes] == [1, 2, 3, 4]


def test_withheld_cells_hold_symbols_and_published_cells_numbers(publish_dir: Path) -> None:
    book = openpyxl.load_workbook(publish_dir / "tables.xlsx")
    ws = book["T2_offenders_sex"]
    (table,) = ws.tables.values()
    first, last = table.ref.split(":")
    rows = [[c.value for c in row] for row in ws[first:last]]
    body = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert body[("In a group", "Male")][0] == 181
    assert body[("In a group", "Female")] == ["[c]"] * 5
    # a flagged percentage on a small base stays text with its symbol
    assert body[("Alone", "Male")][1] == "75.0 [u]"
    legend = [ws.cell(row=i, column=1).value for i in range(1, ws.max_row + 1)]
    assert any(str(v).startswith("[c] = ") for v in legend)
    assert any(str(v).startswith("[u] = ") for v in legend)


def test_no_filters_frozen_panes_hidden_content_or_images(publish_dir: Path) -> None:
    book = openpyxl.load_workbook(publish_dir / "tables.xlsx")
    assert book.active is not None and book.active.title == "Cover"
    assert book.properties.title and book.properties.creator
    for ws in book.worksheets:
        assert ws.freeze_panes is None
        assert ws.auto_filter.ref is None
        assert not any(d.hidden for d in ws.column_dimensions.values())
        assert not any(d.hidden for d in ws.row_dimensions.values())
        assert not ws._images  # noqa: SLF001 - openpyxl keeps images only here
        assert ws.sheet_state == "visible"
