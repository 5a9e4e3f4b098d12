"""Dates of birth: placeholders, partial dates, swaps and ages treated for what they are."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, timedelta
from typing import Any

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from gbo.link.dates import standardise_dates_of_birth


def _one(dob: date | None, precision: str | None, age: int | None = None,
         on: date | None = None) -> dict[Hashable, Any]:  # fmt: skip
    out = standardise_dates_of_birth(
        pd.Series([dob]), pd.Series([precision]), pd.Series([age]), pd.Series([on])
    )
    return {k: (None if pd.isna(v) else v) for k, v in out.iloc[0].to_dict().items()}


def test_1900_placeholder_is_no_date() -> None:
    row = _one(date(1900, 1, 1), "day")
    assert row["dob_iso"] is None and row["birth_year"] is None and row["birth_year_min"] is None
    assert row["has_placeholder_dob"] is True
    assert row["dob_basis"] == "none"


def test_first_of_january_is_only_a_year() -> None:
    row = _one(date(1999, 1, 1), "day")
    assert row["dob_iso"] is None and row["dob_ym"] is None
    assert row["birth_year"] == 1999
    assert row["dob_basis"] == "year"


def test_partial_dates_keep_what_is_known() -> None:
    month = _one(date(2004, 7, 1), "month")
    assert month["dob_iso"] is None and month["dob_ym"] == "2004-07"
    year = _one(date(2004, 1, 1), "year")
    assert year["dob_ym"] is None and year["birth_year"] == 2004


def test_day_month_swap_is_offered_only_when_valid() -> None:
    assert _one(date(2001, 3, 7), "day")["dob_swap"] == "2001-07-03"
    assert _one(date(2001, 3, 25), "day")["dob_swap"] is None
    assert _one(date(2001, 5, 5), "day")["dob_swap"] is None


def test_age_on_a_date_gives_a_two_year_range() -> None:
    row = _one(None, None, age=14, on=date(2020, 6, 1))
    assert (row["birth_year_min"], row["birth_year_max"]) == (2005, 2006)
    assert row["birth_year"] is None and row["dob_basis"] == "age"


@given(st.dates(min_value=date(1901, 1, 2), max_value=date(2099, 12, 31)))
def test_full_dates_round_trip(day: date) -> None:
    row = _one(day, "day")
    if (day.month, day.day) == (1, 1):
        return
    assert row["dob_iso"] == day.isoformat()
    assert row["birth_year_min"] == row["birth_year_max"] == day.year


@given(st.integers(0, 119), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)))
def test_age_ranges_contain_the_true_year(age: int, on: date) -> None:
    row = _one(None, None, age=age, on=on)
    born = on - timedelta(days=int(age * 365.25) + 100)
    assert row["birth_year_min"] <= born.year + 1 and row["birth_year_max"] >= born.year - 1
