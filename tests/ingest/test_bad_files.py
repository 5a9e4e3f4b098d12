"""Files that cannot be read fail alone, with a one-line message; other files go on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.ingest.exports import (
    POLICE_HEADER,
    POLICE_MAPPING,
    assert_reconciled,
    ingest,
    police_row,
)


def _good_source(tmp_path: Path) -> tuple[str, Path, Path]:
    """A second, healthy agency export that must be unaffected by a broken one."""
    data = tmp_path / "health.csv"
    data.write_text("nhs_id,visit\nH1,2015-03-04\nH2,2016-05-06\n", encoding="utf-8")
    mapping = tmp_path / "health.toml"
    mapping.write_text(
        'agency = "health"\n[[tables]]\ntarget = "person_record"\ncolumns = { local_id = '
        '"nhs_id" }\n[[tables]]\ntarget = "event"\ncolumns = { record_key = "nhs_id", '
        'event_type = { value = "AE_ATTENDANCE" }, event_date = "visit" }\n',
        encoding="utf-8",
    )
    return ("health", data, mapping)


def _run_with_broken(
    tmp_path: Path, broken: Path, mapping: Path | None = None
) -> tuple[object, list[str]]:
    if mapping is None:
        mapping = tmp_path / "police.toml"
        mapping.write_text(POLICE_MAPPING, encoding="utf-8")
    run, warnings = ingest(tmp_path, [("police", broken, mapping), _good_source(tmp_path)])
    assert_reconciled(run)
    assert run.files[1].error is None
    assert run.files[1].rows_read == 2 and run.files[1].rows_accepted == 2
    assert run.output.tables["event"].num_rows == 2
    assert all(r["agency"] == "health" for r in run.output.tables["person_record"].to_pylist())
    return run, warnings


def _assert_one_line_warning(warnings: list[str], *fragments: str) -> None:
    assert len(warnings) == 1
    assert "\n" not in warnings[0]
    for fragment in fragments:
        assert fragment in warnings[0]


def test_empty_file(tmp_path: Path) -> None:
    broken = tmp_path / "police.csv"
    broken.write_bytes(b"")
    run, warnings = _run_with_broken(tmp_path, broken)
    _assert_one_line_warning(warnings, "police.csv", "empty", "export it again")
    record = run.files[0]  # type: ignore[attr-defined]
    assert record.error and "empty" in record.error
    assert (record.rows_read, record.rows_accepted, record.rows_rejected) == (0, 0, 0)


def test_header_only_file_is_fine(tmp_path: Path, write_police: Callable[..., Path]) -> None:
    run, warnings = _run_with_broken(tmp_path, write_police([]))
    assert warnings == []
    record = run.files[0]  # type: ignore[attr-defined]
    assert record.error is None and record.rows_read == 0


def test_wrong_delimiter(tmp_path: Path) -> None:
    broken = tmp_path / "police.csv"
    broken.write_text(
        ";".join(POLICE_HEADER) + "\n" + ";".join(police_row("P1")) + "\n", encoding="utf-8"
    )
    run, warnings = _run_with_broken(tmp_path, broken)
    _assert_one_line_warning(warnings, "police.csv", "wrong delimiter", 'delimiter = ";"')


def test_truncated_xlsx(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(POLICE_HEADER)
    sheet.append(police_row("P1"))
    whole = tmp_path / "whole.xlsx"
    workbook.save(whole)
    broken = tmp_path / "police.xlsx"
    broken.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    run, warnings = _run_with_broken(tmp_path, broken)
    _assert_one_line_warning(warnings, "police.xlsx", "damaged or incomplete")


def test_unknown_format(tmp_path: Path) -> None:
    broken = tmp_path / "police.dat"
    broken.write_text("x\n1\n", encoding="utf-8")
    run, warnings = _run_with_broken(tmp_path, broken)
    _assert_one_line_warning(warnings, "police.dat", "unknown file format", ".csv")


def test_mapping_that_names_a_missing_column(
    tmp_path: Path, write_police: Callable[..., Path]
) -> None:
    header = [h for h in POLICE_HEADER if h != "DOB"]
    rows = [[v for h, v in zip(POLICE_HEADER, police_row("P1"), strict=True) if h != "DOB"]]
    broken = write_police(rows, header=header)
    run, warnings = _run_with_broken(tmp_path, broken)
    _assert_one_line_warning(warnings, "police.toml", "'DOB'", "police.csv", "PersonID, Forename")
    record = run.files[0]  # type: ignore[attr-defined]
    assert "tables.0.columns.dob" in record.error


def test_invalid_mapping_is_reported_whole(
    tmp_path: Path, write_police: Callable[..., Path]
) -> None:
    mapping = tmp_path / "police.toml"
    mapping.write_text(
        POLICE_MAPPING.replace('Victim = "VICTIM"', 'Victim = "VICTUM"')
        .replace('dob = "DOB"', 'dob = "DOB"\nshoe_size = "Shoe"')
        .replace('date_formats = ["%d/%m/%Y"]', 'date_formats = ["%m/%Y"]'),
        encoding="utf-8",
    )
    run, warnings = _run_with_broken(tmp_path, write_police([police_row("P1")]), mapping)
    record = run.files[0]  # type: ignore[attr-defined]
    assert "3 problems" in record.error
    assert "VICTUM" in record.error and "shoe_size" in record.error and "%m/%Y" in record.error
    _assert_one_line_warning(warnings, "police.csv", "3 problems")


@pytest.mark.parametrize("agency", ["social_care"])
def test_agency_mismatch(tmp_path: Path, write_police: Callable[..., Path], agency: str) -> None:
    mapping = tmp_path / "police.toml"
    mapping.write_text(
        POLICE_MAPPING.replace('agency = "police"', f'agency = "{agency}"'), encoding="utf-8"
    )
    run, warnings = _run_with_broken(tmp_path, write_police([police_row("P1")]), mapping)
    _assert_one_line_warning(warnings, "social_care", "police")


def test_a_mapping_with_a_misspelt_translation_is_named_in_the_warning(
    tmp_path: Path, write_police: Callable[..., Path]
) -> None:
    mapping = tmp_path / "police_typo.toml"
    mapping.write_text(
        POLICE_MAPPING.replace(
            "[codes.role]", '[codes.ethnicty_self]\nWBRI = "W1"\n\n[codes.role]'
        ),
        encoding="utf-8",
    )
    run, warnings = _run_with_broken(tmp_path, write_police([police_row("P1")]), mapping)
    _assert_one_line_warning(
        warnings,
        "police.csv (police) was not ingested: police_typo.toml: invalid mapping file",
        "codes.ethnicty_self: no mapped column reads this translation; "
        "did you mean 'ethnicity_self'?",
    )
    assert run.files[0].error.startswith(f"{mapping}: ")  # type: ignore[attr-defined]
