"""Helping a user find the right gbo code: the closest codes to a value, and short lists.

Closeness is judged on both the code (``SUSPECT``) and its label ("Suspect"), with
``difflib``'s ratio, so that ``Suspct``, ``suspected`` and ``Offender - suspect`` all point
at ``SUSPECT``.
"""

from __future__ import annotations

import difflib
import re

from gbo.schema import codes

CODES_DOC = "docs/codes.md"
MAX_LISTED = 12


def _labels(column: str) -> dict[str, str]:
    if column == "nationality":
        return codes.nationalities()
    return codes.CODE_LISTS.get(column, {})


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def closest_codes(
    value: str, column: str, known: set[str] | None = None, n: int = 3, cutoff: float = 0.5
) -> list[str]:
    """Up to ``n`` gbo codes of ``column`` closest to ``value`` (best first)."""
    labels = _labels(column)
    candidates = sorted(known if known is not None else labels)
    target = _words(value)
    if not target or not candidates:
        return []
    scored: list[tuple[float, str]] = []
    for code in candidates:
        texts = [_words(code), _words(labels.get(code, ""))]
        score = max(
            difflib.SequenceMatcher(None, target, t).ratio()
            + (0.3 if t in target or target in t else 0)
            for t in texts
            if t
        )
        scored.append((score, code))
    scored.sort(key=lambda sc: (-sc[0], sc[1]))
    return [code for score, code in scored[:n] if score >= cutoff]


def valid_codes_hint(column: str, known: set[str] | None = None) -> str:
    """The valid codes of a column, or where to find them when there are many."""
    candidates = sorted(known if known is not None else _labels(column))
    if 0 < len(candidates) <= MAX_LISTED:
        return f"valid codes: {', '.join(candidates)}"
    return f"the {len(candidates)} valid codes are listed in {CODES_DOC}"


def unknown_code_hint(value: str, column: str, known: set[str] | None = None) -> str:
    """'closest: X, Y' when something is close, else the list of valid codes."""
    close = closest_codes(value, column, known)
    if close:
        return f"closest gbo codes: {', '.join(close)} ({valid_codes_hint(column, known)})"
    return valid_codes_hint(column, known)
