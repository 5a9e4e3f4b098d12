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
    st.one_of(st.none(), st.tuples(st.booleans(), st.booleans())),
)
def test_no_small_count_or_small_difference_is_shown(
    rows: list[tuple[int, int, int]], k: int, tables_show: tuple[bool, bool] | None
) -> None:
    """Nor beside the configured rule's figures as the tables publish them, which the
    reader knows (``tables_show``: groups, offenders in and not in groups; None: not given)."""
    total = 400
    frame = pd.DataFrame(
        [
            _row(f"r{i}", g, min(n, total), total, split, i == 0)
            for i, (g, n, split) in enumerate(rows)
        ]
    )
    published = None
    if tables_show is not None:
        # the tables show no count of 1 to k - 1 either
        def shows(column: str, flag: bool) -> bool:
            value = int(frame[column].iloc[0])
            return flag and (value == 0 or value >= k)

        offenders = shows("n_offenders_in_groups", tables_show[1]) and shows(
            "n_offenders_not_in_groups", tables_show[1]
        )
        published = {
            "n_groups": shows("n_groups", tables_show[0]),
            "n_offenders_in_groups": offenders,
            "n_offenders_not_in_groups": offenders,
        }
    out = control_group_sensitivity(frame, k, published)
    for column in ("n_groups", "n_offenders_in_groups", "n_offenders_not_in_groups"):
        shown = [int(v) for v in out[column] if _shown(v)]
        assert all(v == 0 or v >= k for v in shown)
        assert all(a == b or abs(a - b) >= k for a in shown for b in shown)
        if len(shown) < len(out):  # a withheld count cannot be pinned between shown ones
            assert len(shown) < 2 or max(shown) - min(shown) >= k
        if published is not None:  # the configured rule's row says what the tables say
            assert _shown(out.loc[0, column]) == published[column]


def test_the_configured_rule_shows_what_the_tables_show() -> None:
    """An outside reader found the row withholding the offenders the tables print (600
    records, seed 61): two rules with 84 offenders in groups beside four with 83."""
    frame = pd.DataFrame(
        [_row(f"r{i}", 14, 84 if i >= 4 else 83, 128, 0, i == 3) for i in range(6)]
    )
    columns = ("n_offenders_in_groups", "n_offenders_not_in_groups")
    # Decided afresh, both columns go whole, the configured rule's 83 and 45 with them...
    alone = control_group_sensitivity(frame, K)
    assert all((alone[c] == CONFIDENTIAL).all() for c in columns)
    shown = dict.fromkeys(("n_groups", *columns), True)
    out = control_group_sensitivity(frame, K, shown)
    # ... but the tables print 83 in groups and 45 alone, and so does the row now.
    assert (out.loc[3, "n_offenders_in_groups"], out.loc[3, "n_offenders_not_in_groups"]) == (
        83,
        45,
    )
    # 84 lies 1 from the 83 a reader knows: withheld
    assert (out.loc[4:5, "n_offenders_in_groups"] == CONFIDENTIAL).all()


def test_with_counts_rounded_the_rows_are_rounded_as_the_tables_are() -> None:
    """The settings round of December 2026: under base-5 rounding the table showed 14 groups
    and 83 offenders in groups (true) where the tables showed 15 and 85 (rounded), and a
    mean of 5.929 (83 / 14) gave both back."""
    frame = pd.DataFrame([_row(f"r{i}", 14 + i, 83 + 7 * i, 128, 0, i == 0) for i in range(3)])
    out = control_group_sensitivity(frame, K, dict.fromkeys(("n_groups",), True), 5)
    assert out.loc[0, "n_groups"] == 15 and out.loc[0, "n_offenders_in_groups"] == 85
    for column in ("n_groups", "n_offenders_in_groups", "n_offenders_not_in_groups"):
        assert all(int(v) % 5 == 0 for v in out[column] if _shown(v))
    assert out.loc[0, "mean_group_size"] == round(85 / 15, 2)
    assert float(str(out.loc[0, "median_group_size"])).is_integer()


def test_a_withheld_count_keeps_the_protection_interval_between_shown_ones() -> None:
    """Offenders in groups only grow as a rule adds kinds of link, so a withheld count lies
    between the shown ones: shown 80 and 86 pin a withheld 81 to 80-86, wide enough at the
    threshold (5) but not for a protection interval of 8 (the settings round's reading of
    the code)."""
    frame = pd.DataFrame(
        [_row("r0", 14, 80, 128, 0, True), _row("r1", 14, 81, 128, 0, False),
         _row("r2", 15, 86, 128, 0, False)]
    )  # fmt: skip
    column = "n_offenders_in_groups"
    at_threshold = control_group_sensitivity(frame, K)
    assert list(at_threshold[column]) == [80, CONFIDENTIAL, 86]
    wider = control_group_sensitivity(frame, K, None, 1, 8)
    assert (wider[column] == CONFIDENTIAL).all()
