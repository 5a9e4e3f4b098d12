"""GSS shorthand symbols used in published tables, and how figures are written out.

The one legend of the project: the disclosure stage writes figures and symbols with it and
the publish stage shows them with it. Symbols are always in square brackets (Government
Statistical Service guidance on symbols and shorthand in tables) and every table's notes
explain the ones it uses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

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
NONE_RECORDED = "[w]"
# what publish shows when the disclosure stage wrote no legend of its own
DEFAULT_SYMBOLS: dict[str, str] = {**LEGEND, NONE_RECORDED: "none recorded"}

PERCENT_FIGURES = ("pct_of_all", "pct_of_recorded", "ci_lower", "ci_upper")
COUNT_FIGURES = ("count", "denominator")
FIGURES = COUNT_FIGURES + PERCENT_FIGURES


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


def merge_symbols(extra: Mapping[str, str] | Iterable[Mapping[str, str]] | None) -> dict[str, str]:
    """The default legend, overridden by the legend the disclosure stage wrote."""
    legend = dict(DEFAULT_SYMBOLS)
    if isinstance(extra, Mapping):
        for symbol, meaning in extra.items():
            legend[_bracket(str(symbol))] = str(meaning)
    elif extra is not None:
        for item in extra:
            symbol = item.get("symbol") or item.get("code")
            meaning = item.get("meaning") or item.get("description") or item.get("label")
            if symbol and meaning:
                legend[_bracket(str(symbol))] = str(meaning)
    return legend


def _bracket(symbol: str) -> str:
    symbol = symbol.strip()
    return symbol if symbol.startswith("[") else f"[{symbol}]"


def display_count(value: float | int | None) -> str:
    """A count as shown to readers: thousands separators, or ``[x]`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[x]"
    return f"{int(round(value)):,}"


def display_percent(value: float | None, places: int = 1) -> str:
    """A percentage to ``places`` decimal places (no % sign: the unit is in the header)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[x]"
    return f"{value:.{places}f}"


def display_figure(figure: str, value: float | None) -> str:
    """Format one figure by its kind."""
    if figure in COUNT_FIGURES:
        return display_count(value)
    return display_percent(value)


SYMBOL_PATTERN = re.compile(r"\[[a-z]+\]")


def symbols_used(texts: Iterable[object]) -> list[str]:
    """The distinct symbols among displayed texts (alone or after a figure, as in
    ``12.5 [u]``), in order of first use."""
    seen: dict[str, None] = {}
    for text in texts:
        if isinstance(text, str):
            for symbol in SYMBOL_PATTERN.findall(text):
                seen.setdefault(symbol, None)
    return list(seen)
