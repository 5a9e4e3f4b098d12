"""Loading the vault key and deriving the encryption and pseudonymisation keys from it.

The master key is 32 random bytes, written as URL-safe base64. It comes from the
``GBO_VAULT_KEY`` environment variable or from a key file that must lie outside the run
folder. Two independent keys are derived from it with HKDF-SHA256: one for AES-GCM
encryption of vault files and one for the keyed HMAC pseudonyms.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gbo.errors import VaultError

KEY_ENV_VAR = "GBO_VAULT_KEY"
KEY_FILE_ENV_VAR = "GBO_VAULT_KEY_FILE"


@dataclass(frozen=True, repr=False)
class KeyRing:
    """The keys derived from one master key. Never printed, logged or written to a run."""

    encryption_key: bytes
    pseudonym_key: bytes
    fingerprint: str

    def __repr__(self) -> str:
        return f"KeyRing(fingerprint={self.fingerprint!r})"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gbo:" + purpose).derive(
        master
    )


def key_ring_from_master(master: bytes) -> KeyRing:
    """Derive the encryption and pseudonym keys from 32 bytes of master key."""
    if len(master) != 32:
        raise VaultError(
            f"the vault key must be 32 bytes, this one is {len(master)}",
            hint="make one with `gbo vault new-key`",
        )
    fingerprint = _derive(master, b"fingerprint")[:6].hex()
    return KeyRing(_derive(master, b"aes-gcm"), _derive(master, b"hmac-pseudonym"), fingerprint)


def decode_key_text(text: str, source: str) -> bytes:
    """Decode a key written as URL-safe base64 (as `gbo vault new-key` writes it)."""
    try:
        master = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise VaultError(
            f"the vault key in {source} is not valid base64",
            hint="make one with `gbo vault new-key`",
        ) from exc
    return master


def make_throwaway_key() -> str:
    """A new random master key as URL-safe base64 text."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def load_key_ring(key_file: Path | None = None, run_dir: Path | None = None) -> KeyRing:
    """Load the master key from ``GBO_VAULT_KEY``, else from a key file.

    A key file inside the run folder is refused: the key must never travel with the data.
    """
    text = os.environ.get(KEY_ENV_VAR)
    if text:
        return key_ring_from_master(decode_key_text(text, f"${KEY_ENV_VAR}"))
    if key_file is None and os.environ.get(KEY_FILE_ENV_VAR):
        key_file = Path(os.environ[KEY_FILE_ENV_VAR])
    if key_file is None:
        raise VaultError(
            "no vault key: set GBO_VAULT_KEY or give a key file",
            hint="make one with `gbo vault new-key --out PATH` and keep it outside the run folder",
        )
    return read_key_file(key_file, run_dir)


def read_key_file(key_file: Path, run_dir: Path | None = None) -> KeyRing:
    """The key ring of a key file (never one inside the run folder)."""
    key_file = key_file.expanduser().resolve()
    if run_dir is not None and key_file.is_relative_to(run_dir.resolve()):
        raise VaultError(
            "the vault key file lies inside the run folder",
            hint="move it outside the run folder so the key never travels with the data",
            path=key_file,
        )
    try:
        text = key_file.read_text(encoding="ascii")
    except FileNotFoundError as exc:
        raise VaultError("vault key file not found", hint="check the path", path=key_file) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise VaultError("vault key file cannot be read", path=key_file) from exc
    return key_ring_from_master(decode_key_text(text, str(key_file)))
