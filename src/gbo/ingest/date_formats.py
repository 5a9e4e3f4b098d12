"""Date formats of mapping files: checking them, their precision, and the shape they match.

Formats are strptime patterns (the directives DuckDB's ``strptime`` shares with Python's).
A full date format gives a day; a partial one gives a month (``%m/%Y``) or a year (``%Y``),
and the date is kept as the first day of that period with its precision. The *shape* of a
format (``31/02/2009`` has the shape of ``%d/%m/%Y``) tells an impossible date, which has
the right shape but no such day, from text that is not a date at all.

A format is only tried on text of its shape, so ``%Y`` reads four digits and nothing else
(DuckDB's own ``%Y`` would read ``04`` as the year 4) and ``%y`` reads exactly two. A
two-digit year is placed in the century that puts the date on or before a *limit*: the
reference date for a date of birth (never in the future), the reference date plus the
allowed days for any other date (an event is never after the extract). So with a reference
date in 2026, ``17/1/68`` is 1968 and ``06/06/04`` is 2004.
"""

from __future__ import annotations

import re
from datetime import date, datetime
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
# numbers of one or two (or three) digits, and their full width where nothing separates them
# from the next number
_NUMERIC = frozenset("dmYyHMSj")
_FIXED_WIDTH = {"d": r"\d{2}", "m": r"\d{2}", "H": r"\d{2}", "M": r"\d{2}", "S": r"\d{2}",
                "j": r"\d{3}"}  # fmt: skip

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
    """A regular expression matching the shape of text that ``fmt`` reads.

    A number that runs into another with nothing between them (``%Y%m%d``) has its full
    width: ``2008031`` is not of the shape of ``%Y%m%d``, whose month and day could be split
    two ways."""
    matches = list(_DIRECTIVE.finditer(fmt))
    parts: list[str] = []
    position = 0
    for i, match in enumerate(matches):
        parts.append(re.escape(fmt[position : match.start()]))
        neighbours = (
            matches[i - 1] if i else None,
            matches[i + 1] if i + 1 < len(matches) else None,
        )
        touching = [
            other.group(1)
            for other in neighbours
            if other is not None and match.start() <= other.end() and other.start() <= match.end()
        ]
        directive = match.group(1)
        if directive in _FIXED_WIDTH and any(t in _NUMERIC for t in touching):
            parts.append(_FIXED_WIDTH[directive])
        else:
            parts.append(_DIRECTIVES.get(directive, ".+"))
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


def has_two_digit_year(fmt: str) -> bool:
    return "y" in _DIRECTIVE.findall(fmt)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def resolve_century(d: date, limit: date) -> date | None:
    """The date with the same day, month and last two digits of the year that is on or
    before ``limit`` and less than a hundred years before it (None if no such day)."""
    year = limit.year // 100 * 100 + d.year % 100
    for candidate_year in (year, year - 100):
        try:
            candidate = d.replace(year=candidate_year)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def format_parse_sql(fmt: str, limit: date) -> str:
    """SQL (over ``{raw}``) of the date ``fmt`` reads from text of its shape, else NULL."""
    parsed = f"CAST(try_strptime({{raw}}, {_quote(fmt)}) AS DATE)"
    if has_two_digit_year(fmt):
        base = f"({limit.year // 100 * 100} + year({parsed}) % 100)"
        moved = f"try(make_date({base}, month({parsed}), day({parsed})))"
        earlier = f"try(make_date({base} - 100, month({parsed}), day({parsed})))"
        limit_sql = f"DATE {_quote(limit.isoformat())}"
        parsed = f"CASE WHEN {moved} <= {limit_sql} THEN {moved} ELSE {earlier} END"
    return f"CASE WHEN regexp_full_match({{raw}}, {_quote(format_shape(fmt))}) THEN {parsed} END"


def formats_parse_sql(formats: list[str], limit: date) -> str:
    """SQL of the date read by the first of ``formats`` that reads the text, else NULL."""
    parts = [format_parse_sql(f, limit) for f in formats]
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"
