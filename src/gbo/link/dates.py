"""Dates of birth treated for what they are: full, partial, placeholder or only an age.

Agencies record dates of birth as a full date, a month and year, a year, a placeholder
(``1900-01-01``, or ``01/01/yyyy`` when only the year was known), or not at all but with the
person's age on a given date. Linkage compares what is really known:

* ``dob_iso`` - the full date, only when the day is known and the date is not a placeholder;
* ``dob_swap`` - the same date with day and month swapped (only when that is a valid, different
  date), to catch the commonest keying error;
* ``dob_ym`` - year and month, when the month is known;
* ``birth_year`` - the year, when known (a recorded age gives a range, not a year);
* ``birth_year_min`` / ``birth_year_max`` - the range of possible birth years: one year for a
  recorded date, two for an age on a date (a 14-year-old on 2020-06-01 was born 2005 or 2006);
* ``dob_basis`` - ``day``, ``month``, ``year``, ``age`` or ``none``, for the audit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DOB_COLUMNS = (
    "dob_iso",
    "dob_swap",
    "dob_ym",
    "birth_year",
    "birth_year_min",
    "birth_year_max",
    "dob_basis",
)


@dataclass(frozen=True)
class DateRules:
    """How placeholder and partial dates of birth are read."""

    placeholder_dates: tuple[str, ...] = ("1900-01-01", "1901-01-01", "1899-12-31")
    first_of_january_is_year_only: bool = True
    earliest_year: int = 1901
    latest_year: int = 2100


def _as_datetime(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce")


def standardise_dates_of_birth(
    dob: pd.Series,
    precision: pd.Series,
    age_recorded: pd.Series,
    age_recorded_on: pd.Series,
    rules: DateRules | None = None,
) -> pd.DataFrame:
    """The comparison columns of :data:`DOB_COLUMNS` for each record (index kept)."""
    rules = rules or DateRules()
    when = _as_datetime(dob)
    prec = precision.astype("object").where(precision.notna(), None)
    prec = prec.map(lambda p: str(p).strip().lower() if p is not None else None)
    # A date with no stated precision is taken as a full date.
    prec = prec.where(prec.isin(["day", "month", "year"]) | when.isna(), "day")

    placeholders = pd.to_datetime(pd.Series(list(rules.placeholder_dates)), errors="coerce")
    is_placeholder = when.isin(set(placeholders.dropna()))
    out_of_range = (when.dt.year < rules.earliest_year) | (when.dt.year > rules.latest_year)
    usable = when.notna() & ~is_placeholder & ~out_of_range.fillna(False)
    when = when.where(usable)

    if rules.first_of_january_is_year_only:
        jan_first = (when.dt.month == 1) & (when.dt.day == 1) & (prec == "day")
        prec = prec.where(~jan_first.fillna(False), "year")

    day_known = usable & (prec == "day")
    month_known = usable & prec.isin(["day", "month"])
    year = when.dt.year.astype("Int64")

    out = pd.DataFrame(index=dob.index)
    iso = pd.Series(
        np.datetime_as_string(when.to_numpy(dtype="datetime64[D]"), unit="D"),
        index=dob.index,
        dtype="object",
    )
    out["dob_iso"] = iso.where(day_known, None)
    out["dob_ym"] = iso.str[:7].where(month_known, None)
    day, month = when.dt.day, when.dt.month
    can_swap = day_known & (day <= 12) & (day != month)
    swapped = iso.str[:5] + iso.str[8:10] + "-" + iso.str[5:7]
    out["dob_swap"] = swapped.where(can_swap.fillna(False), None)
    out["birth_year"] = year.where(usable)

    age = pd.to_numeric(age_recorded, errors="coerce")
    on = _as_datetime(age_recorded_on)
    has_age = ~usable & age.notna() & on.notna() & (age >= 0) & (age < 120)
    age_max = (on.dt.year - age).astype("Int64")
    out["birth_year_min"] = out["birth_year"].where(usable, (age_max - 1).where(has_age))
    out["birth_year_max"] = out["birth_year"].where(usable, age_max.where(has_age))
    for col in ("birth_year", "birth_year_min", "birth_year_max"):
        out[col] = out[col].astype("Int64")

    basis = np.select(
        [day_known, month_known, usable, has_age.fillna(False)],
        ["day", "month", "year", "age"],
        default="none",
    )
    out["dob_basis"] = pd.Series(basis, index=dob.index, dtype="object")
    out["has_placeholder_dob"] = is_placeholder.fillna(False).astype(bool)
    return out
