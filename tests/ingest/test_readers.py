"""Every reader format gives the same canonical rows; broken files fail alone and clearly."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.ingest.exports import (
    POLICE_HEADER,
    POLICE_MAPPING,
    assert_reconciled,
    ingest,
    police_row,
    write_ods,
)

ROWS = [
    police_row("P1", forename="Zoë"),
    police_row("P2", forename="Siân", role="Suspect", sex="Male", dob="1990"),
    police_row("P3", forename="Åsa", dob="31/02/2001"),
]


def people(run: object) -> list[tuple[object, ...]]:
    table = run.output.tables["person_record"]  # type: ignore[attr-defined]
    return [(p["local_id"], p["given_name"], p["dob"], p["sex"]) for p in table.to_pylist()]


EXPECTED = [
    ("P1", "Zoë", date(2005, 2, 1), "F"),
    ("P2", "Siân", date(1990, 1, 1), "M"),
]


def check(run: object) -> None:
    assert_reconciled(run)  # type: ignore[arg-type]
    assert people(run) == EXPECTED
    assert run.files[0].rows_read == 3  # type: ignore[attr-defined]
    assert run.files[0].rows_rejected == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path], encoding: str
) -> None:
    data = write_police(ROWS, encoding=encoding)
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    check(run)
    assert run.files[0].encoding == {"utf-8": "utf-8"}.get(encoding, encoding)


def test_mixed_encodings_are_decoded_line_by_line(tmp_path: Path, police_mapping: Path) -> None:
    header = ",".join(POLICE_HEADER) + "\r\n"
    lines = [",".join(r) + "\r\n" for r in ROWS]
    data = tmp_path / "police.csv"
    data.write_bytes(
        header.encode()
        + lines[0].encode("utf-8")
        + lines[1].encode("cp1252")
        + lines[2].encode("utf-8")
    )
    run, _ = ingest(tmp_path, [("police", data, police_mapping)])
    check(run)
    assert run.files[0].encoding == "utf-8+cp1252"
    notes = [f for f in run.output.findings.to_pylist() if f["rule"] == "mixed_encoding"]
    assert len(notes) == 1 and notes[0]["detail"].startswith("1 lines")


def _mapping_for(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(POLICE_MAPPING, encoding="utf-8")
    return path


def test_xlsx(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(POLICE_HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.append([None] * len(POLICE_HEADER))  # a blank row is not a data row
    data = tmp_path / "police.xlsx"
    workbook.save(data)
    run, _ = ingest(tmp_path, [("police", data, _mapping_for(tmp_path, "m.toml"))])
    check(run)
    assert run.files[0].format == "xlsx"


def test_xlsx_date_and_number_cells_read_as_text(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "People"
    sheet.append(["id", "born", "age", "note"])
    sheet.append([101, datetime(2004, 5, 6), 12.0, None])
    sheet.append([None, None, None, None])
    sheet.append([102, None, None, "x"])
    data = tmp_path / "care.xlsx"
    workbook.save(data)
    mapping = tmp_path / "care.toml"
    mapping.write_text(
        'agency = "care"\n[[tables]]\ntarget = "person_record"\nsheet = "People"\n'
        'columns = { local_id = "id", dob = "born", age_recorded = "age" }\n',
        encoding="utf-8",
    )
    run, _ = ingest(tmp_path, [("care", data, mapping)])
    assert_reconciled(run)
    person, other = run.output.tables["person_record"].to_pylist()
    assert (other["record_key"], other["source_row"], other["dob"]) == ("care:102", 4, None)
    assert person["record_key"] == "care:101"
    assert person["dob"] == date(2004, 5, 6)
    assert person["age_recorded"] == 12


def test_ods(tmp_path: Path) -> None:
    data = tmp_path / "police.ods"
    write_ods(data, [POLICE_HEADER, *ROWS])
    run, _ = ingest(tmp_path, [("police", data, _mapping_for(tmp_path, "m.toml"))])
    check(run)
    assert run.files[0].format == "ods"


def test_parquet(tmp_path: Path) -> None:
    data = tmp_path / "police.parquet"
    columns = list(zip(*ROWS, strict=True))
    pq.write_table(
        pa.table({n: list(c) for n, c in zip(POLICE_HEADER, columns, strict=True)}), data
    )
    run, _ = ingest(tmp_path, [("police", data, _mapping_for(tmp_path, "m.toml"))])
    check(run)


def test_json_and_ndjson(tmp_path: Path) -> None:
    records = [dict(zip(POLICE_HEADER, r, strict=True)) for r in ROWS]
    as_json = tmp_path / "police.json"
    as_json.write_text(json.dumps(records), encoding="utf-8")
    run, _ = ingest(tmp_path, [("police", as_json, _mapping_for(tmp_path, "m.toml"))])
    check(run)
    as_ndjson = tmp_path / "police.ndjson"
    as_ndjson.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    run, _ = ingest(tmp_path, [("police", as_ndjson, _mapping_for(tmp_path, "m.toml"))])
    check(run)


def test_ndjson_bad_line_is_quarantined_not_the_file(tmp_path: Path) -> None:
    records = [dict(zip(POLICE_HEADER, r, strict=True)) for r in ROWS[:2]]
    data = tmp_path / "police.ndjson"
    data.write_text(
        json.dumps(records[0]) + "\n{not json\n" + json.dumps(records[1]) + "\n", encoding="utf-8"
    )
    run, _ = ingest(tmp_path, [("police", data, _mapping_for(tmp_path, "m.toml"))])
    assert_reconciled(run)
    assert people(run) == EXPECTED
    assert [(r["source_row"], r["rule"]) for r in run.output.rejected_row.to_pylist()] == [
        (2, "malformed_row")
    ]
