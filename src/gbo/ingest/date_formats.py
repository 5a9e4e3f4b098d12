"""Date formats of mapping files: checking them, their precision, and the shape they match.

Formats are strptime patterns (the directives DuckDB's ``strptime`` shares with Python's).
A full date format gives a day; a partial one gives a month (``%m/%Y``) or a year (``%Y``),
and the date is kept as the first day of that period with its precision. The *shape* of a
format (``31/02/2009`` has the shape of ``%d/%m/%Y``) tells an impossible date, which has
the right shape but no such day, from text that is not a date at all.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

Precision = Literal["day", "month", "year"]

# Directive -> regular expression of the text it matches.
_DIRECTIVES: dict[str, str] = {
    "d": r"\d{1,2}",
    "m": r"\d{1,2}",
    "Y": r"\d{4}",
    "y": r"\d{2}",
    "b": r"[A-Za-z]{3}",
    "B": r"[A-Za-z]+",
    "H": r"\d{1,2}",
    "M": r"\d{1,2}",
    "S": r"\d{1,2}",
    "j": r"\d{1,3}",
    "%": "%",
}
_DIRECTIVE = re.compile(r"%(.)")

# Full dates in ISO form are always accepted: spreadsheet date cells and Parquet dates are
# read as ISO text.
ISO_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def format_precision(fmt: str) -> Precision:
    """The precision of dates read with ``fmt``."""
    directives = set(_DIRECTIVE.findall(fmt))
    if directives & {"d", "j"}:
        return "day"
    if directives & {"m", "b", "B"}:
        return "month"
    return "year"


def format_shape(fmt: str) -> str:
    """A regular expression matching the shape of text that ``fmt`` reads."""
    parts: list[str] = []
    position = 0
    for match in _DIRECTIVE.finditer(fmt):
        parts.append(re.escape(fmt[position : match.start()]))
        parts.append(_DIRECTIVES.get(match.group(1), ".+"))
        position = match.end()
    parts.append(re.escape(fmt[position:]))
    return "".join(parts)


def check_date_format(fmt: str, *, partial: bool) -> list[str]:
    """Problems with one date format (an empty list when it is usable)."""
    unknown = sorted(set(_DIRECTIVE.findall(fmt)) - set(_DIRECTIVES))
    if unknown:
        return [f"{fmt!r} uses directives gbo cannot read: {', '.join('%' + d for d in unknown)}"]
    directives = set(_DIRECTIVE.findall(fmt))
    if not directives & {"Y", "y"}:
        return [f"{fmt!r} has no year (%Y or %y)"]
    try:
        sample = datetime(2009, 3, 14).strftime(fmt)
        datetime.strptime(sample, fmt)
    except ValueError as exc:
        return [f"{fmt!r} is not a usable strptime format: {exc}"]
    precision = format_precision(fmt)
    if partial and precision == "day":
        return [f"{fmt!r} gives a whole date; put it in date_formats"]
    if not partial and precision != "day":
        return [f"{fmt!r} gives a partial date; put it in partial_date_formats"]
    return []
