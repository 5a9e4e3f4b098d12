"""The tidy arithmetic: percentages, recorded shares and Wilson intervals."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from gbo.profile.tidy import TidyTable, wilson_interval


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=20))
def test_wilson_matches_statsmodels_one_by_one(pairs: list[tuple[int, int]]) -> None:
    counts = [min(k, n) for k, n in pairs]
    nobs = [n for _, n in pairs]
    lower, upper = wilson_interval(counts, nobs)
    for k, n, lo, hi in zip(counts, nobs, lower, upper, strict=True):
        if n == 0:
            assert math.isnan(lo) and math.isnan(hi)
            continue
        want_lo, want_hi = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert math.isclose(lo, np.clip(want_lo, 0, 1), abs_tol=1e-12)
        assert math.isclose(hi, np.clip(want_hi, 0, 1), abs_tol=1e-12)
        assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_rows_carry_percentages_and_exclude_unknown_from_recorded() -> None:
    table = TidyTable(
        table_id="t",
        breakdowns=["All"],
        categories=["A", "B", "Not stated", "Not recorded"],
        counts={
            ("All", "A"): 6,
            ("All", "B"): 2,
            ("All", "Not stated"): 1,
            ("All", "Not recorded"): 1,
        },
        denominators={"All": 10},
        unknown_categories=frozenset({"Not stated"}),
    )
    rows = {r["category"]: r for r in table.to_arrow().to_pylist()}
    assert rows["A"]["pct_of_all"] == 60.0
    assert rows["A"]["pct_of_recorded"] == 75.0  # 6 of the 8 known values
    assert rows["Not stated"]["pct_of_recorded"] is None
    assert rows["Not recorded"]["pct_of_recorded"] is None
    assert rows["Not recorded"]["is_not_recorded"] and not rows["A"]["is_not_recorded"]
    low, high = proportion_confint(6, 10, method="wilson")
    assert math.isclose(rows["A"]["ci_lower"], 100 * low)
    assert math.isclose(rows["A"]["ci_upper"], 100 * high)
    assert [r["category_order"] for r in table.to_arrow().to_pylist()] == [1, 2, 3, 4]


def test_empty_breakdown_has_no_percentages() -> None:
    table = TidyTable("t", ["All"], ["A", "Not recorded"], {}, {"All": 0})
    rows = table.to_arrow().to_pylist()
    assert all(r["count"] == 0 and r["pct_of_all"] is None and r["ci_lower"] is None for r in rows)
