"""Dates read through the SQL ingest uses: every format round-trips, two-digit years land in
the right century for both limits, and ``%Y`` reads four digits only."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.ingest.date_formats import (
    format_precision,
    formats_parse_sql,
    has_two_digit_year,
    resolve_century,
)

FORMATS = [
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%Y-%m-%d",
    "%d.%m.%y",
    "%d %b %Y",
    "%d %B %y",
    "%d-%b-%y",
    "%m/%d/%Y",
    "%m/%Y",
    "%b %y",
    "%Y",
    "%Y%m%d",
    "%d%m%y",
]
REFERENCE = date(2026, 3, 14)
# The two limits a two-digit year is resolved against: a date of birth is never after the
# reference date; any other date is never after the reference date plus the days allowed.
LIMITS = [REFERENCE, REFERENCE + timedelta(days=400)]


def parse(values: list[str], formats: list[str], limit: date) -> list[date | None]:
    expr = formats_parse_sql(formats, limit).replace("{raw}", "v")
    rows = duckdb.execute(f"SELECT {expr} FROM unnest(?) AS t(v)", [values]).fetchall()
    return [row[0] for row in rows]


def truncated(d: date, fmt: str) -> date:
    precision = format_precision(fmt)
    if precision == "year":
        return date(d.year, 1, 1)
    if precision == "month":
        return date(d.year, d.month, 1)
    return d


@settings(max_examples=60, deadline=None)
@given(
    fmt=st.sampled_from(FORMATS),
    limit=st.sampled_from(LIMITS),
    days_back=st.integers(min_value=0, max_value=36500 - 367),
)
def test_every_format_round_trips(fmt: str, limit: date, days_back: int) -> None:
    # Any date within the hundred years up to the limit reads back as itself (to its
    # precision), whether the year is written with four digits or two.
    d = limit - timedelta(days=days_back)
    expected = truncated(d, fmt)
    assert parse([d.strftime(fmt)], [fmt], limit) == [expected]


@settings(max_examples=60, deadline=None)
@given(
    d=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    limit=st.sampled_from(LIMITS),
)
def test_two_digit_years_match_the_python_rule(d: date, limit: date) -> None:
    expected = resolve_century(d, limit)
    assert parse([d.strftime("%d/%m/%y")], ["%d/%m/%y"], limit) == [expected]
    if expected is not None:
        assert expected <= limit
        assert expected.year > limit.year - 101


def test_four_digit_year_first_reads_two_digits_with_the_next_format() -> None:
    formats = ["%d/%m/%Y", "%d/%m/%y"]
    values = ["06/06/04", "17/1/68", "06/06/2004", "1/2/0004"]
    assert parse(values, formats, REFERENCE) == [
        date(2004, 6, 6),
        date(1968, 1, 17),
        date(2004, 6, 6),
        date(4, 2, 1),  # four digits are a four-digit year, then rejected as implausible
    ]


def test_percent_capital_y_alone_refuses_two_digits() -> None:
    assert parse(["06/06/04", "6/6/104"], ["%d/%m/%Y"], REFERENCE) == [None, None]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("17/01/68", REFERENCE, date(1968, 1, 17)),  # a date of birth is never in the future
        ("14/03/26", REFERENCE, date(2026, 3, 14)),  # the reference day itself
        ("15/03/26", REFERENCE, date(1926, 3, 15)),  # a day later is a century earlier
        ("01/01/27", LIMITS[1], date(2027, 1, 1)),  # events may reach the allowed days
        ("29/02/00", REFERENCE, date(2000, 2, 29)),
    ],
)
def test_pivot_follows_the_limit(text: str, limit: date, expected: date) -> None:
    assert parse([text], ["%d/%m/%y"], limit) == [expected]


def test_two_digit_year_formats_are_recognised() -> None:
    assert has_two_digit_year("%d/%m/%y")
    assert not has_two_digit_year("%d/%m/%Y")


@pytest.mark.parametrize(
    ("text", "read"),
    [("20080301", date(2008, 3, 1)), ("2008031", None), ("200803", None), ("200831", None)],
)
def test_a_compact_date_is_read_only_at_its_full_width(text: str, read: date | None) -> None:
    """With nothing between its numbers, ``%Y%m%d`` reads eight digits: seven could be the
    1st of March or the 31st of January, and are no date of that format."""
    assert parse([text], ["%Y%m%d"], REFERENCE) == [read]


def test_numbers_with_separators_keep_their_short_forms() -> None:
    assert parse(["1/3/2008", "2008-3-1"], ["%d/%m/%Y", "%Y-%m-%d"], REFERENCE) == [
        date(2008, 3, 1),
        date(2008, 3, 1),
    ]
