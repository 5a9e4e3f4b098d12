"""The group sensitivity table against a reader who differences its rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from gbo.disclosure.sensitivity_control import control_group_sensitivity
from gbo.disclosure.symbols import CONFIDENTIAL

K = 5


def _row(
    name: str, groups: int, in_groups: int, total: int, split: int, configured: bool
) -> dict[str, Any]:
    return {
        "rule_name": name,
        "is_configured_rule": configured,
        "rule_hash": "c2d9819519a5",
        "n_groups": groups,
        "n_offenders_in_groups": in_groups,
        "n_offenders_not_in_groups": total - in_groups,
        "n_components_split": split,
        "largest_group": 28,
        "mean_group_size": in_groups / groups,
        "median_group_size": 4.0,
        "n_groups_size_2": 3,
    }


def _shown(value: object) -> bool:
    return value != CONFIDENTIAL


def test_internal_columns_never_published_and_small_counts_withheld() -> None:
    frame = pd.DataFrame(
        [_row("a", 106, 694, 1068, 0, False), _row("a_split", 106, 694, 1068, 4, True)]
    )
    out = control_group_sensitivity(frame, K)
    assert not {"rule_hash", "largest_group", "n_groups_size_2"} & set(out.columns)
    assert out.loc[1, "n_components_split"] == CONFIDENTIAL
    assert out.loc[0, "n_components_split"] == 0
    # a mean beside a withheld count of its row is withheld
    assert out.loc[1, "mean_group_size"] == CONFIDENTIAL


def test_rows_that_differ_by_a_few_offenders_are_not_both_shown() -> None:
    frame = pd.DataFrame(
        [_row("offence", 40, 300, 500, 0, False), _row("victim", 40, 303, 500, 0, True)]
    )
    out = control_group_sensitivity(frame, K)
    assert out.loc[1, "n_offenders_in_groups"] == 303  # the configured rule is kept
    assert out.loc[0, "n_offenders_in_groups"] == CONFIDENTIAL
    # its complement goes with it: 500 - not-in-groups would give the count back
    assert out.loc[0, "n_offenders_not_in_groups"] == CONFIDENTIAL


@given(
    st.lists(
        st.tuples(st.integers(2, 60), st.integers(0, 200), st.integers(0, 9)),
        min_size=2,
        max_size=6,
    ),
    st.integers(2, 10),
)
def test_no_small_count_or_small_difference_is_shown(
    rows: list[tuple[int, int, int]], k: int
) -> None:
    total = 400
    frame = pd.DataFrame(
        [
            _row(f"r{i}", g, min(n, total), total, split, i == 0)
            for i, (g, n, split) in enumerate(rows)
        ]
    )
    out = control_group_sensitivity(frame, k)
    for column in ("n_groups", "n_offenders_in_groups", "n_offenders_not_in_groups"):
        shown = [int(v) for v in out[column] if _shown(v)]
        assert all(v == 0 or v >= k for v in shown)
        assert all(a == b or abs(a - b) >= k for a in shown for b in shown)
        if len(shown) < len(out):  # a withheld count cannot be pinned between shown ones
            assert len(shown) < 2 or max(shown) - min(shown) >= k
