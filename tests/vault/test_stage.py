from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gbo.errors import VaultError
from gbo.schema.tables import IDENTITY, PSEUDONYMISED_TABLES
from gbo.security import KeyRing, pseudonymise, read_encrypted_table
from gbo.security.keys import key_ring_from_master
from gbo.vault import stage
from tests.canonical_factory import context, write_ingest_outputs


def _run_vault(tmp_path: Path, keys: KeyRing) -> Path:
    write_ingest_outputs(tmp_path, keys)
    ctx = context(tmp_path, keys, "vault")
    stage.run(ctx)
    return ctx.stage_dir


def test_pseudonymised_tables_follow_the_schema_and_hold_no_identifiers(
    tmp_path: Path, keys: KeyRing
) -> None:
    out = _run_vault(tmp_path, keys)
    for name, spec in PSEUDONYMISED_TABLES.items():
        table = pq.read_table(out / f"{name}.parquet")
        assert table.schema.equals(spec.schema), name
    people = pq.read_table(out / "person_record.parquet").to_pylist()
    assert [p["birth_year"] for p in people] == [2008, 1989, 2008]
    assert [p["birth_year_is_estimated"] for p in people] == [False, True, False]
    flat = str(people)
    for identifier in (
        "Avery",
        "Quenton",
        "P10001",
        "ZZ1 4QT",
        "Larchmont",
        "2008-05-17",
        "9991234500",
    ):
        assert identifier not in flat
    assert "nhs_number" not in PSEUDONYMISED_TABLES["person_record"].column_names


def test_pseudonyms_are_keyed_hmacs_of_the_agency_keys(tmp_path: Path, keys: KeyRing) -> None:
    out = _run_vault(tmp_path, keys)
    involvement = pq.read_table(out / "involvement.parquet").to_pylist()
    assert involvement[0]["record_pid"] == pseudonymise(keys, "record", "police:P10001", "rec")
    assert involvement[0]["offence_pid"] == pseudonymise(
        keys, "offence", "police:CR/2020/000123", "off"
    )
    other = key_ring_from_master(b"\x01" * 32)
    assert pseudonymise(other, "record", "police:P10001", "rec") != involvement[0]["record_pid"]


def test_identity_table_is_encrypted_and_keyed_by_pseudonym(tmp_path: Path, keys: KeyRing) -> None:
    out = _run_vault(tmp_path, keys)
    path = out / "identity.parquet.enc"
    assert b"Quenton" not in path.read_bytes()
    identity = read_encrypted_table(keys, path)
    assert identity.schema.equals(IDENTITY.schema)
    assert identity.column("family_name").to_pylist()[0] == "Quenton"
    assert identity.column("nhs_number").to_pylist() == [None, None, "9991234500"]
    with pytest.raises(VaultError, match="does not decrypt"):
        read_encrypted_table(key_ring_from_master(b"\x02" * 32), path)
