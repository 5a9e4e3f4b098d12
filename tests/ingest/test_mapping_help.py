"""Help where users look: grouped ``mapping check`` output that never hides a code value,
closest codes in errors, code enums in the schema, and header rows below a banner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.errors import IngestError, MappingError
from gbo.ingest.code_hints import closest_codes, unknown_code_hint
from gbo.ingest.csv_reader import read_csv
from gbo.ingest.mapping_files import load_mapping
from gbo.ingest.spreadsheet_reader import read_spreadsheet
from gbo.ingest.text_table import ROW_COLUMN
from tests.ingest.exports import police_row

runner = CliRunner()


def _check(mapping: Path, data: Path) -> str:
    result = runner.invoke(
        app,
        ["mapping", "check", str(mapping), str(data), "--reference-date", "2025-06-30"],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_check_groups_by_rule_and_lists_every_code_value(
    police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    row = police_row("P1")
    # 60 exact repeats, 70 distinct unmapped sexes, 3 unknown roles.
    rows = [row] * 61
    rows += [police_row(f"Q{i}", sex=f"Sx{i:02d}") for i in range(70)]
    rows += [police_row(f"W{i}", role="Witness") for i in range(3)]
    out = _check(police_mapping, write_police(rows))
    duplicate_lines = [line for line in out.splitlines() if "duplicate_row" in line]
    assert len(duplicate_lines) == 1 and "60" in duplicate_lines[0]
    for i in range(70):
        assert f"Sx{i:02d}" in out
    assert "Witness" in out


def test_unknown_code_in_a_mapping_names_the_closest_codes(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        'agency = "police"\n[codes.role]\nVictim = "VICTM"\n[[tables]]\n'
        'target = "involvement"\ncolumns = { record_key = "p", offence_key = "c", role = "r" }\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match="closest gbo codes: VICTIM"):
        load_mapping(path)


def test_closest_codes_use_codes_and_labels() -> None:
    assert closest_codes("Suspected", "role")[0] == "SUSPECT"
    assert closest_codes("Missing from home", "event_type")[0] == "MISSING_EPISODE"
    assert closest_codes("Witness", "role") == []
    assert "valid codes: ACCUSED, CONVICTED, SUSPECT, VICTIM" in unknown_code_hint("x", "role")
    assert "docs/codes.md" in unknown_code_hint("x", "nationality")


def test_schema_lists_the_codes() -> None:
    result = runner.invoke(app, ["mapping", "schema"])
    schema = json.loads(result.stdout)
    roles = schema["properties"]["codes"]["properties"]["role"]["additionalProperties"]
    assert {"VICTIM", "SUSPECT", ""} <= set(roles["anyOf"][0]["enum"])


def test_csv_header_row_skip_rows_blank_lines_and_multiline_values(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        'Report title\n\nid,note\nA,"two\nlines"\n\nB,x\n', encoding="utf-8", newline=""
    )
    for kwargs in ({"header_row": 3}, {"skip_rows": 1}):
        sheet, _ = read_csv(path, ",", "auto", **kwargs)
        assert sheet.table.column("id").to_pylist() == ["A", "B"]
        assert sheet.table.column(ROW_COLUMN).to_pylist() == [4, 7]
        assert sheet.blank_lines == [6]
    plain = tmp_path / "plain.csv"
    plain.write_text("id,note\nA,x\nB,y\n", encoding="utf-8")
    sheet, _ = read_csv(plain, ",", "auto")
    assert sheet.table.column(ROW_COLUMN).to_pylist() == [2, 3]


def test_xlsx_header_row_below_a_banner(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["B2"] = "Extract"
    sheet.append(["id", "born"])
    sheet.append(["K1", "2001"])
    sheet.append([])
    sheet.append(["K2", "2002"])
    path = tmp_path / "x.xlsx"
    workbook.save(path)
    # Without header_row the banner would be the header: refused, naming the row to use.
    with pytest.raises(IngestError, match="looks like a title") as caught:
        read_spreadsheet(path, "xlsx", [None])
    assert "header_row = 3" in str(caught.value.hint)
    for kwargs in ({"header_row": 3}, {"skip_rows": 2}):
        found = read_spreadsheet(path, "xlsx", [None], **kwargs)[None]
        assert found.table.column("id").to_pylist() == ["K1", "K2"]
        assert found.table.column(ROW_COLUMN).to_pylist() == [4, 6]
        assert found.blank_lines == [5]


def test_a_csv_banner_is_refused_with_the_header_row_to_set(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Crime extract,,,\n\nid,a,b,c\n1,2,3,4\n", encoding="utf-8")
    with pytest.raises(IngestError, match="looks like a title") as caught:
        read_csv(path, ",", "auto")
    assert "header_row = 3" in str(caught.value.hint)
