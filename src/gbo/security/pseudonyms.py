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
    value by value, each with one call of the one-shot HMAC."""
    key = keys.pseudonym_key
    space = namespace.encode() + b"\x00"
    head = f"{prefix or namespace[:3]}_"
    digest = hmac.digest
    return [
        None
        if value is None
        else head + digest(key, space + value.encode(), "sha256").hex()[:PSEUDONYM_HEX_DIGITS]
        for value in values
    ]
