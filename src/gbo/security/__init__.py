"""Keys, pseudonyms and encrypted files shared by every stage that touches identifiers."""

from gbo.security.encrypted_files import (
    is_encrypted_file,
    read_encrypted_bytes,
    read_encrypted_table,
    write_encrypted_bytes,
    write_encrypted_table,
)
from gbo.security.keys import KeyRing, load_key_ring, make_throwaway_key
from gbo.security.pseudonyms import pseudonymise, pseudonymise_column

__all__ = [
    "KeyRing",
    "is_encrypted_file",
    "load_key_ring",
    "make_throwaway_key",
    "pseudonymise",
    "pseudonymise_column",
    "read_encrypted_bytes",
    "read_encrypted_table",
    "write_encrypted_bytes",
    "write_encrypted_table",
]
