"""Rounding to base 5 or 10, and what a rounded figure tells a reader."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.rounding import round_counts, rounding_interval
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import is_symbol
from tests.disclosure.tables import cell, one_table, two_way  # noqa: F401


def test_round_half_up() -> None:
    values = np.array([0, 2, 3, 7, 8, 12, 13, 15, 1234])
    assert round_counts(values, 5).tolist() == [0, 0, 5, 5, 10, 10, 15, 15, 1235]
    assert round_counts(values, 10).tolist() == [0, 0, 0, 10, 10, 10, 10, 20, 1230]
    assert round_counts(values, 1).tolist() == values.tolist()


@given(
    value=st.integers(0, 100_000),
    base=st.sampled_from([1, 5, 10]),
    threshold=st.sampled_from([5, 10]),
)
def test_interval_holds_the_true_count(value: int, base: int, threshold: int) -> None:
    if 0 < value < threshold:
        return  # never published
    rounded = round_counts(np.array([value]), base)
    is_low = (rounded == 0) & (value > 0)
    low, high = rounding_interval(rounded, base, threshold, is_low)
    assert low[0] <= value <= high[0]
    assert high[0] - low[0] <= max(base - 1, 0)


def test_rounded_tables_pass_the_audit_and_say_so() -> None:
    parts = {"X": {"A": 13, "B": 4, "Not recorded": 22}, "Y": {"A": 57, "B": 31, "Not recorded": 8}}
    rows, meta = one_table("t", two_way(parts))
    settings = DisclosureSettings(rounding="base5")
    result = control_disclosure(rows, meta, settings)
    assert result.audit.passed
    shown = result.tables[[not is_symbol(t) for t in result.tables["count_display"]]]
    assert (shown["count"].astype(int) % 5 == 0).all()
    truth = rows.set_index(["breakdown", "category"])["count"]
    # a row's columns as pandas-stubs cannot know them (and "count" is a tuple method there)
    row: Any
    for row in shown.itertuples(index=False):
        expected = int(round_counts(np.array([truth[(row.breakdown, row.category)]]), 5)[0])
        assert int(row.count) == expected
    assert len(shown) > 0
    notes = " ".join(result.metadata["t"]["notes"])
    assert "rounded to the nearest 5" in notes and "may not add up" in notes
    assert result.metadata["disclosure"]["rounding_base"] == 5


def test_percentages_are_worked_from_rounded_figures() -> None:
    rows, meta = one_table("t", {"All": {"A": 12, "B": 88, "Not recorded": 0}})
    result = control_disclosure(rows, meta, DisclosureSettings(rounding="base10"))
    a = cell(result.tables, "t", "All", "A")
    assert a["count"] == 10 and a["denominator"] == 100
    assert a["pct_of_all_display"] == "10.0"
    assert float(a["ci_lower"]) < 10.0 < float(a["ci_upper"])


def test_nothing_worked_from_true_counts_undoes_the_rounding() -> None:
    """The settings round of December 2026: with counts rounded, the share recorded was
    worked from the true counts ("45.5%" beside a shown 130 and 15 + 60 not recorded fits
    only 60 of 132), and a mean to full precision gave its true n back (1137.615... times 13
    is whole). Both are now worked from, or shown no finer than, the rounded figures."""
    rows, meta = one_table(
        "t",
        {"All": {"A": 31, "B": 29, "Unknown": 60, "Not recorded": 12}},
        completeness=60 / 132,
    )
    rows.loc[rows["category"] == "Unknown", "is_not_recorded"] = True
    stats = pd.DataFrame(
        [{"table_id": "t", "breakdown": "All", "statistic": "mean", "value": 14789 / 13,
          "n": 13}]
    )  # fmt: skip
    result = control_disclosure(rows, meta, DisclosureSettings(rounding="base5"), stats)
    assert result.audit.passed
    shown = result.tables.set_index("category")["count"]
    total = int(result.tables["denominator"].iloc[0])
    assert (
        result.metadata["t"]["completeness"]
        == (total - int(shown["Unknown"]) - int(shown["Not recorded"])) / total
    )
    mean = result.statistics.iloc[0]
    assert float(mean["value"]) == round(14789 / 13) and mean["value_display"] == "1138"
    assert int(mean["n"]) == 15


def test_counts_published_as_statistics_are_rounded_like_counts() -> None:
    """The journeys sensitivity table publishes counts of people as statistics (victims
    104, identified 81): with counts rounded, each was shown exact beside its rounded n, so
    104 beside 105 undid the rounding and 23 beside its 25 gave a difference of 2."""
    rows, meta = one_table("victims", {"All": {"Identified": 81, "Not identified": 23}})
    stats = pd.DataFrame(
        [
            {"table_id": "sensitivity", "breakdown": "As configured", "statistic": name}
            | {"value": float(n), "n": n}
            for name, n in [("victims", 104), ("identified", 81), ("known_not_identified", 23)]
        ]
    )
    result = control_disclosure(rows, meta, DisclosureSettings(rounding="base5"), stats)
    assert result.audit.passed
    shown = result.statistics.set_index("statistic")
    assert shown["value_display"].tolist() == shown["n_display"].tolist() == ["105", "80", "25"]


def test_tables_of_documents_are_rounded_and_say_so() -> None:
    """A table of case reviews is rounded like a table of people, and its metadata says so,
    so that its share recorded is worked from the rounded figures too (from the true ones,
    44 of 66, it would give them back beside a shown 15, 30 and 20)."""
    rows, meta = one_table(
        "t", {"All": {"A": 13, "B": 31, "Not recorded": 22}}, personal=False, completeness=44 / 66
    )
    result = control_disclosure(rows, meta, DisclosureSettings(rounding="base5"))
    assert result.audit.passed
    assert result.metadata["t"]["disclosure"]["rounding_base"] == 5
    assert result.tables["count_display"].tolist() == ["15", "30", "20"]
    assert result.metadata["t"]["completeness"] == 45 / 65
