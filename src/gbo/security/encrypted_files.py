"""AES-GCM encrypted files: the only form in which identifiers are written to disk.

File layout: the 8-byte magic ``GBOVLT01``, a 12-byte random nonce, then the AES-256-GCM
ciphertext with its tag. The file's base name is bound in as associated data, so a vault file
renamed or swapped for another does not decrypt. Writes go to a temporary name and are
renamed when complete.
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gbo.errors import VaultError
from gbo.security.keys import KeyRing

MAGIC = b"GBOVLT01"
ENCRYPTED_SUFFIX = ".enc"


def _associated_data(path: Path) -> bytes:
    return path.name.encode()


def write_encrypted_bytes(keys: KeyRing, path: Path, data: bytes) -> None:
    """Encrypt ``data`` and write it atomically to ``path`` (which must end in ``.enc``)."""
    if path.suffix != ENCRYPTED_SUFFIX:
        raise VaultError(f"vault file names end in {ENCRYPTED_SUFFIX}", path=path)
    nonce = secrets.token_bytes(12)
    blob = MAGIC + nonce + AESGCM(keys.encryption_key).encrypt(nonce, data, _associated_data(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(blob)
    os.replace(tmp, path)


def read_encrypted_bytes(keys: KeyRing, path: Path) -> bytes:
    """Decrypt a vault file; a wrong key or a damaged file is a :class:`VaultError`."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError as exc:
        raise VaultError("vault file not found", path=path) from exc
    if not blob.startswith(MAGIC):
        raise VaultError("not a gbo vault file", path=path)
    nonce, ciphertext = blob[len(MAGIC) : len(MAGIC) + 12], blob[len(MAGIC) + 12 :]
    try:
        return AESGCM(keys.encryption_key).decrypt(nonce, ciphertext, _associated_data(path))
    except InvalidTag as exc:
        raise VaultError(
            "vault file does not decrypt: wrong key, or the file was changed",
            hint="use the key this run was made with (GBO_VAULT_KEY or the key file)",
            path=path,
        ) from exc


def write_encrypted_table(keys: KeyRing, path: Path, table: pa.Table) -> None:
    """Write an Arrow table as encrypted Parquet."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    write_encrypted_bytes(keys, path, sink.getvalue())


def read_encrypted_table(keys: KeyRing, path: Path) -> pa.Table:
    """Read an Arrow table written by :func:`write_encrypted_table`."""
    return pq.read_table(io.BytesIO(read_encrypted_bytes(keys, path)))


def is_encrypted_file(path: Path) -> bool:
    """True for a gbo vault file (checked by its magic bytes, not only its name)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False
