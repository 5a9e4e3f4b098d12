"""GSS shorthand symbols and the formatting of published figures.

Symbols are always in square brackets and always explained beside the table that uses them
(Government Statistical Service, *Using symbols and shorthand in tables*).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

DEFAULT_SYMBOLS: dict[str, str] = {
    "[c]": "confidential: suppressed to protect the people in the records",
    "[x]": "not available",
    "[z]": "not applicable",
    "[u]": "low reliability: the number behind the figure is too small to rely on",
    "[low]": "rounds to zero, but is not zero",
    "[w]": "none recorded",
}

PERCENT_FIGURES = ("pct_of_all", "pct_of_recorded", "ci_lower", "ci_upper")
COUNT_FIGURES = ("count", "denominator")
FIGURES = COUNT_FIGURES + PERCENT_FIGURES


def is_symbol(text: object) -> bool:
    """True for a shorthand symbol such as ``[c]``."""
    return isinstance(text, str) and text.startswith("[") and text.endswith("]")


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


def format_count(value: float | int | None) -> str:
    """A count with thousands separators, or ``[x]`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[x]"
    return f"{int(round(value)):,}"


def format_percent(value: float | None, places: int = 1) -> str:
    """A percentage to ``places`` decimal places (no % sign: the unit is in the header)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[x]"
    return f"{value:.{places}f}"


def format_figure(figure: str, value: float | None) -> str:
    """Format one figure by its kind."""
    if figure in COUNT_FIGURES:
        return format_count(value)
    return format_percent(value)


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
