"""GSS shorthand symbols used in published tables, and how figures are written out.

Symbols are always in square brackets (Government Statistical Service guidance on symbols
and shorthand in tables) and every table's notes explain the ones it uses.
"""

from __future__ import annotations

from collections.abc import Iterable

CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
LOW_RELIABILITY = "[u]"
ROUNDS_TO_ZERO = "[low]"

LEGEND: dict[str, str] = {
    CONFIDENTIAL: "confidential: withheld to protect the people in the records (a small "
    "number, or a figure that would let a small number be worked out)",
    NOT_AVAILABLE: "not available: the figure could not be calculated from the records",
    NOT_APPLICABLE: "not applicable: no figure can exist here (for example a percentage of "
    "nobody, or a category that cannot hold anyone)",
    LOW_RELIABILITY: "low reliability: the percentage rests on few people, so treat it with "
    "caution",
    ROUNDS_TO_ZERO: "rounds to zero at the precision shown, but is not zero",
}


def is_symbol(text: object) -> bool:
    return isinstance(text, str) and text.startswith("[") and text.endswith("]")


def symbols_in(texts: Iterable[object]) -> list[str]:
    """Symbols appearing in display texts (alone or after a figure), in legend order."""
    found: set[str] = set()
    for text in texts:
        if not isinstance(text, str):
            continue
        for symbol in LEGEND:
            if symbol in text:
                found.add(symbol)
    return [s for s in LEGEND if s in found]


def format_count(value: int) -> str:
    """A count as published: plain digits (publish adds thousands separators)."""
    return str(int(value))


def format_percent(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"
