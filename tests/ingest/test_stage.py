"""The real stage, through the pipeline: outputs, encryption, reconciliation, the key."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gbo.config import RunConfig, RunSettings
from gbo.errors import VaultError
from gbo.ingest.settings import IngestSettings, SourceSettings
from gbo.ingest.stage import external_inputs
from gbo.pipeline import run_pipeline
from gbo.schema.tables import CANONICAL_TABLES
from gbo.security import KeyRing, read_encrypted_table
from gbo.security.keys import KEY_ENV_VAR
from gbo.stages import stage_folder_name
from tests.ingest.exports import REFERENCE_DATE, police_row


def _config(tmp_path: Path, sources: list[SourceSettings]) -> RunConfig:
    return RunConfig(
        run=RunSettings(runs_dir=tmp_path / "runs", is_synthetic=True),
        sources=sources,
        ingest=IngestSettings(reference_date=REFERENCE_DATE),
    )


@pytest.fixture
def two_sources(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> list[SourceSettings]:
    police = write_police(
        [
            police_row("P1", forename="Zebedee"),
            police_row("P2", dob="31/02/2001", forename="Quentina"),
            police_row("P3", role="Witness"),
        ]
    )
    broken = tmp_path / "care.csv"
    broken.write_text("child,born\nC1,2001-01-01\n", encoding="utf-8")
    care_mapping = tmp_path / "care.toml"
    care_mapping.write_text(
        'agency = "care"\n[[tables]]\ntarget = "person_record"\n'
        'columns = { local_id = "ChildID", dob = "born" }\n',
        encoding="utf-8",
    )
    return [
        SourceSettings(agency="police", path=police, mapping=police_mapping),
        SourceSettings(agency="care", path=broken, mapping=care_mapping),
    ]


def test_stage_writes_encrypted_tables_and_reconciles(
    tmp_path: Path, two_sources: list[SourceSettings], keys: KeyRing
) -> None:
    config = _config(tmp_path, two_sources)
    run_dir = run_pipeline(config, until="ingest")
    stage_dir = run_dir / stage_folder_name("ingest")
    for name, spec in CANONICAL_TABLES.items():
        table = read_encrypted_table(keys, stage_dir / f"{name}.parquet.enc")
        assert table.schema == spec.schema
        assert not (stage_dir / f"{name}.parquet").exists()
    people = read_encrypted_table(keys, stage_dir / "person_record.parquet.enc").to_pylist()
    assert [p["record_key"] for p in people] == ["police:P1"]

    source_file = pq.read_table(stage_dir / "source_file.parquet").to_pylist()
    assert [
        (s["source_file"], s["rows_read"], s["rows_accepted"], s["rows_rejected"])
        for s in source_file
    ] == [("police.csv", 3, 1, 2), ("care.csv", 0, 0, 0)]
    assert "ChildID" in source_file[1]["error"]
    rejected = pq.read_table(stage_dir / "rejected_row.parquet").to_pylist()
    assert {(r["source_row"], r["rule"]) for r in rejected} == {
        (3, "impossible_date"),
        (4, "unknown_code"),
    }
    raw = read_encrypted_table(keys, stage_dir / "rejected_raw.parquet.enc").to_pylist()
    assert sorted(r["source_row"] for r in raw) == [3, 4]
    assert "Quentina" in raw[0]["raw_values"]

    for path in stage_dir.iterdir():
        if not path.name.endswith(".enc"):
            data = path.read_bytes()
            assert b"Zebedee" not in data and b"Quentina" not in data, path.name

    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    stage = manifest["stages"]["ingest"]
    assert stage["metrics"]["files"]["police.csv"]["rows_rejected"] == 2
    assert stage["metrics"]["rows_read"] == 3
    assert stage["metrics"]["files_not_ingested"] == 1
    assert len(stage["warnings"]) == 1 and "care.csv" in stage["warnings"][0]
    assert {i["path"] for i in stage["inputs"]} == {str(p) for p in external_inputs(config)}


def test_missing_vault_key_is_a_clear_error(
    tmp_path: Path, two_sources: list[SourceSettings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV_VAR)
    monkeypatch.delenv("GBO_VAULT_KEY_FILE", raising=False)
    with pytest.raises(VaultError, match="no vault key"):
        run_pipeline(_config(tmp_path, two_sources), until="ingest")
    runs = tmp_path / "runs"
    assert not any(runs.glob(f"*/{stage_folder_name('ingest')}"))


def test_no_sources_gives_empty_tables_and_a_warning(tmp_path: Path) -> None:
    run_dir = run_pipeline(_config(tmp_path, []), until="ingest")
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stages"]["ingest"]["warnings"]
    assert (
        pq.read_table(run_dir / stage_folder_name("ingest") / "source_file.parquet").num_rows == 0
    )
