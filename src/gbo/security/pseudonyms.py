"""Keyed HMAC pseudonyms.

A pseudonym is ``<prefix>_`` followed by the first 16 hex digits of
HMAC-SHA256(pseudonym key, namespace + NUL + value). The same value under the same key and
namespace always gives the same pseudonym; without the key a pseudonym cannot be reversed or
recomputed from a guessed value.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from gbo.security.keys import KeyRing

PSEUDONYM_HEX_DIGITS = 16


def pseudonymise(keys: KeyRing, namespace: str, value: str, prefix: str = "") -> str:
    """The pseudonym of one value within a namespace (e.g. ``record``, ``offence``)."""
    digest = hmac.new(
        keys.pseudonym_key, namespace.encode() + b"\x00" + value.encode(), hashlib.sha256
    ).hexdigest()[:PSEUDONYM_HEX_DIGITS]
    return f"{prefix or namespace[:3]}_{digest}"


def pseudonymise_column(
    keys: KeyRing, namespace: str, values: Iterable[str | None], prefix: str = ""
) -> list[str | None]:
    """Pseudonymise many values; ``None`` stays ``None``. The same as :func:`pseudonymise`
    value by value, with the keyed hash of the namespace computed once."""
    start = hmac.new(keys.pseudonym_key, namespace.encode() + b"\x00", hashlib.sha256)
    head = f"{prefix or namespace[:3]}_"
    out: list[str | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        digest = start.copy()
        digest.update(value.encode())
        out.append(head + digest.hexdigest()[:PSEUDONYM_HEX_DIGITS])
    return out
