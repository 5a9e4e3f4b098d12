from __future__ import annotations

import base64
import re
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.errors import VaultError
from gbo.security import (
    KeyRing,
    is_encrypted_file,
    pseudonymise,
    pseudonymise_column,
    read_encrypted_table,
    write_encrypted_bytes,
    write_encrypted_table,
)
from gbo.security.encrypted_files import read_encrypted_bytes
from gbo.security.keys import KEY_ENV_VAR, key_ring_from_master, load_key_ring

KEY_A = key_ring_from_master(b"a" * 32)
KEY_B = key_ring_from_master(b"b" * 32)


@given(st.text(max_size=40), st.text(max_size=40))
def test_pseudonyms_are_deterministic_keyed_and_opaque(a: str, b: str) -> None:
    first = pseudonymise(KEY_A, "record", a, "rec")
    assert first == pseudonymise(KEY_A, "record", a, "rec")
    assert re.fullmatch(r"rec_[0-9a-f]{16}", first)
    assert first != pseudonymise(KEY_B, "record", a, "rec")
    assert first != pseudonymise(KEY_A, "offence", a, "rec")
    if a != b:
        assert first != pseudonymise(KEY_A, "record", b, "rec")


def test_derived_keys_differ_from_each_other_and_the_master() -> None:
    assert KEY_A.encryption_key != KEY_A.pseudonym_key
    assert b"a" * 32 not in (KEY_A.encryption_key, KEY_A.pseudonym_key)
    assert "encryption_key" not in repr(KEY_A) and KEY_A.fingerprint in repr(KEY_A)


def test_tables_round_trip_and_only_the_right_key_opens_them(tmp_path: Path) -> None:
    table = pa.table({"family_name": ["Quenton", "Oxtoby"], "n": [1, 2]})
    path = tmp_path / "identity.parquet.enc"
    write_encrypted_table(KEY_A, path, table)
    assert is_encrypted_file(path) and b"Quenton" not in path.read_bytes()
    assert read_encrypted_table(KEY_A, path).equals(table)
    with pytest.raises(VaultError, match="wrong key"):
        read_encrypted_table(KEY_B, path)


def test_a_changed_or_renamed_vault_file_does_not_decrypt(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet.enc"
    write_encrypted_bytes(KEY_A, path, b"identifiers")
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1
    tampered = tmp_path / "b.parquet.enc"
    tampered.write_bytes(bytes(blob))
    renamed = tmp_path / "c.parquet.enc"
    renamed.write_bytes(path.read_bytes())
    for bad in (tampered, renamed):
        with pytest.raises(VaultError, match="does not decrypt"):
            read_encrypted_bytes(KEY_A, bad)
    with pytest.raises(VaultError, match="end in .enc"):
        write_encrypted_bytes(KEY_A, tmp_path / "plain.parquet", b"x")


def test_key_comes_from_the_environment_or_a_file_outside_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: KeyRing
) -> None:
    assert load_key_ring().fingerprint == keys.fingerprint
    monkeypatch.delenv(KEY_ENV_VAR)
    with pytest.raises(VaultError, match="no vault key"):
        load_key_ring()
    key_file = tmp_path / "outside.key"
    key_file.write_text(base64.urlsafe_b64encode(b"k" * 32).decode())
    assert load_key_ring(key_file).fingerprint == key_ring_from_master(b"k" * 32).fingerprint
    run_dir = tmp_path / "run"
    inside = run_dir / "gbo.key"
    run_dir.mkdir()
    inside.write_text(key_file.read_text())
    with pytest.raises(VaultError, match="inside the run folder"):
        load_key_ring(inside, run_dir)
    (tmp_path / "short.key").write_text(base64.urlsafe_b64encode(b"k" * 16).decode())
    with pytest.raises(VaultError, match="must be 32 bytes"):
        load_key_ring(tmp_path / "short.key")
    with pytest.raises(VaultError, match="not found"):
        load_key_ring(tmp_path / "absent.key")


@given(
    st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=20),
    st.sampled_from(["record", "offence"]),
)
def test_pseudonymising_a_column_is_pseudonymising_each_value(
    values: list[str | None], namespace: str
) -> None:
    keys = KEY_A
    column = pseudonymise_column(keys, namespace, values, "rec")
    assert column == [
        None if v is None else pseudonymise(keys, namespace, v, "rec") for v in values
    ]
