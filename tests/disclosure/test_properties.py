"""Hypothesis properties of disclosure control on random additive and linked tables.

After control, no count of 1 to threshold - 1 is shown, every percentage of a hidden count
is hidden, and no withheld figure can be narrowed below the protection interval. The last
is checked twice: by the stage's own audit, and by an independent linear programme written
here straight from the table's rows and columns.
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import is_symbol
from tests.disclosure.factories import metadata_for, tabulate
from tests.disclosure.tables import one_table, two_way

SETTINGS = settings(
    max_examples=int(os.environ.get("GBO_DISCLOSURE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
small_counts = st.one_of(st.integers(0, 6), st.integers(0, 40))
disclosure_settings = st.builds(
    DisclosureSettings,
    threshold=st.sampled_from([5, 10]),
    rounding=st.sampled_from(["none", "none", "base5", "base10"]),
    protection_interval=st.sampled_from([None, None, 3, 12]),
    dominance_share=st.sampled_from([1.0, 0.9]),
)


@st.composite
def two_way_tables(draw: st.DrawFn) -> dict[str, dict[str, int]]:
    n_parts = draw(st.integers(1, 3))
    n_categories = draw(st.integers(2, 5))
    categories = [f"C{i}" for i in range(n_categories - 1)] + ["Not recorded"]
    parts = {f"B{j}": {c: draw(small_counts) for c in categories} for j in range(n_parts)}
    return two_way(parts) if n_parts > 1 else {"All": parts["B0"]}


def symbolic(texts: pd.Series) -> pd.Series:
    return pd.Series([is_symbol(t) for t in texts], index=texts.index, dtype=bool)


def check_published(result: Any, controls: DisclosureSettings) -> None:
    rows = result.tables
    shown = rows[~symbolic(rows["count_display"])]
    counts = shown["count"].astype(int)
    assert not ((counts > 0) & (counts < controls.threshold)).any()
    totals = rows[~symbolic(rows["denominator_display"])]["denominator"].astype(int)
    assert not ((totals > 0) & (totals < controls.threshold)).any()
    hidden = (rows["count_display"] == "[c]") | (rows["denominator_display"] == "[c]")
    for column in ("pct_of_all", "pct_of_recorded", "ci_lower", "ci_upper"):
        assert rows.loc[hidden, column].isna().all()
        assert symbolic(rows.loc[hidden, f"{column}_display"]).all()
    if controls.rounding_base > 1:
        assert (counts % controls.rounding_base == 0).all()
    assert result.audit.passed, result.audit.summary()


def independent_ranges(
    published: pd.DataFrame, controls: DisclosureSettings
) -> list[tuple[float, float]]:
    """Ranges of hidden figures of one additive table, from its rows and columns alone."""
    # keyed by the frame's labels: str, which pandas-stubs type as any scalar
    names: dict[tuple[Hashable, Hashable], int] = {}
    for b, c in zip(published["breakdown"], published["category"], strict=True):
        names.setdefault((b, c), len(names))
        names.setdefault((b, None), len(names))
    n = len(names)
    bounds: list[tuple[float, float | None]] = [(0.0, None)] * n
    base = controls.rounding_base
    # a row's columns as pandas-stubs cannot know them (and "count" is a tuple method there)
    row: Any
    for row in published.itertuples(index=False):
        for key, value, display in (
            ((row.breakdown, row.category), row.count, row.count_display),
            ((row.breakdown, None), row.denominator, row.denominator_display),
        ):
            if is_symbol(display):
                continue
            value = int(value)
            low = max(value - base // 2, 0) if base > 1 else value
            high = value + (base + 1) // 2 - 1 if base > 1 else value
            bounds[names[key]] = (float(low), float(high if value else 0))
    a_eq: list[np.ndarray] = []
    breakdowns = list(dict.fromkeys(published["breakdown"]))
    categories = list(dict.fromkeys(published["category"]))
    for b in breakdowns:
        row_eq = np.zeros(n)
        for c in categories:
            row_eq[names[(b, c)]] = 1
        row_eq[names[(b, None)]] = -1
        a_eq.append(row_eq)
    parts = [b for b in breakdowns if b != "All"]
    if parts:
        for c in [*categories, None]:
            col_eq = np.zeros(n)
            for b in parts:
                col_eq[names[(b, c)]] = 1
            col_eq[names[("All", c)]] = -1
            a_eq.append(col_eq)
    out = []
    hidden = [
        names[key]
        for row in published.itertuples(index=False)
        for key, display in (
            ((row.breakdown, row.category), row.count_display),
            ((row.breakdown, None), row.denominator_display),
        )
        if display == "[c]"
    ]
    for index in dict.fromkeys(hidden):
        ends = []
        for sense in (1.0, -1.0):
            c = np.zeros(n)
            c[index] = sense
            res = linprog(
                c, A_eq=np.array(a_eq), b_eq=np.zeros(len(a_eq)), bounds=bounds, method="highs"
            )
            ends.append(math.inf if res.status == 3 else sense * res.fun)
        out.append((ends[0], ends[1]))
    return out


@SETTINGS
@given(cells=two_way_tables(), controls=disclosure_settings)
def test_random_additive_table_is_protected(
    cells: dict[str, dict[str, int]], controls: DisclosureSettings
) -> None:
    rows, meta = one_table("t", cells)
    result = control_disclosure(rows, meta, controls)
    check_published(result, controls)
    for low, high in independent_ranges(result.tables, controls):
        assert high - low >= controls.protection - 1e-6


@st.composite
def people(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 70))
    groups = st.sampled_from(["In a group", "Alone"])
    sex = st.sampled_from(["Female", "Male", None])
    age = st.sampled_from(["Under 18", "18 to 29", "30 and over", None])
    rows = draw(st.lists(st.tuples(groups, sex, age), min_size=n, max_size=n))
    return pd.DataFrame(rows, columns=["group_status", "sex", "age"])


@SETTINGS
@given(persons=people(), controls=disclosure_settings)
def test_linked_tables_sharing_margins_are_protected(
    persons: pd.DataFrame, controls: DisclosureSettings
) -> None:
    split = ("In a group", "Alone")
    rows = pd.concat(
        [
            tabulate(persons, "status", "group_status", split, has_not_recorded=False),
            tabulate(
                persons,
                "sex",
                "sex",
                ("Female", "Male"),
                breakdown="group_status",
                breakdowns=split,
            ),
            tabulate(
                persons,
                "age",
                "age",
                ("Under 18", "18 to 29", "30 and over"),
                breakdown="group_status",
                breakdowns=split,
            ),
        ],
        ignore_index=True,
    )
    meta = {t: metadata_for(t, margin_key="offenders") for t in ("status", "sex", "age")}
    result = control_disclosure(rows, meta, controls)
    check_published(result, controls)
    # the same population total is shown (or hidden) alike in every table
    totals = result.tables[result.tables["breakdown"] == "All"]["denominator_display"]
    assert totals.nunique() == 1
