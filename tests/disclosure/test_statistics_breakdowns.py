"""A statistic of one breakdown is never left alone to be worked out from All and the other
breakdowns of its table (gbo.disclosure.statistics_control.breakdown_complements): where
the breakdowns split All's people, their n add up to All's, and so do n times their means."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from gbo.disclosure.statistics_control import breakdown_complements


def _stats(ns: list[int], statistics: tuple[str, ...] = ("median", "mean")) -> pd.DataFrame:
    """All and one breakdown per n, each with the given statistics."""
    rows = [
        {"table_id": "t", "breakdown": b, "statistic": s, "value": 1.0, "n": n}
        for b, n in [("All", sum(ns)), *((f"part {i}", n) for i, n in enumerate(ns))]
        for s in statistics
    ]
    return pd.DataFrame(rows)


def _unknown_n(stats: pd.DataFrame, gone: set[int]) -> set[str]:
    """Breakdowns none of whose statistics is shown (so their n is not read off one)."""
    shown = {str(stats.iloc[i]["breakdown"]) for i in range(len(stats)) if i not in gone}
    return set(stats["breakdown"]) - shown


def test_a_breakdown_withheld_alone_takes_the_smallest_other_with_it() -> None:
    stats = _stats([40, 12, 30])
    withheld = {4, 5}  # both statistics of part 1 (n 12)
    added = breakdown_complements(stats, withheld)
    assert {str(stats.iloc[i]["breakdown"]) for i in added} == {"part 2"}
    assert added == {6, 7}  # every statistic of part 2, so its n is not read off either


def test_a_mean_withheld_alone_is_protected_although_its_n_is_shown() -> None:
    stats = _stats([40, 12, 30])
    added = breakdown_complements(stats, {5})  # part 1's mean; its median (and n) shown
    assert added == {7}  # part 2's mean: part 1's sum is no longer All's less the others'


def test_breakdowns_that_do_not_split_all_are_left_alone() -> None:
    stats = _stats([40, 12, 30])
    stats.loc[stats["breakdown"] == "All", "n"] = 90  # not 82: the breakdowns overlap
    assert breakdown_complements(stats, {4, 5}) == set()


def test_nothing_added_when_nothing_is_withheld() -> None:
    assert breakdown_complements(_stats([40, 12, 30]), set()) == set()


@given(
    st.lists(st.integers(1, 60), min_size=2, max_size=5),
    st.sets(st.integers(0, 11), max_size=4),
)
def test_no_breakdown_is_ever_the_only_one_unknown(ns: list[int], first: set[int]) -> None:
    stats = _stats(ns)
    withheld = {i for i in first if i < len(stats)}
    gone = withheld | breakdown_complements(stats, withheld)
    assert len(_unknown_n(stats, gone)) != 1
    for statistic in ("median", "mean"):
        rows = stats.index[stats["statistic"] == statistic]
        assert sum(i in gone for i in rows) != 1
