"""A statistic of one breakdown is never left alone to be worked out from All and the other
breakdowns of its table (gbo.disclosure.statistics_relations.breakdown_complements): where
the breakdowns split All's people, their n add up to All's, and so do n times their means."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from gbo.disclosure.audit import AuditReport, check_statistics
from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.statistics_relations import (
    breakdown_complements,
    mean_of_all_complements,
    same_statistic_complements,
)
from tests.disclosure.factories import ALL
from tests.disclosure.tables import one_table


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


def test_a_mean_withheld_in_any_breakdown_takes_alls_mean_with_it() -> None:
    """All's mean times its n bounds the withheld breakdowns' sums from above (values are
    never negative), whether or not the breakdowns split All."""
    stats = _stats([40, 12, 30])
    assert mean_of_all_complements(stats, {5, 7}) == {1}  # parts 1 and 2's means
    assert mean_of_all_complements(stats, {4}) == set()  # a median only
    assert mean_of_all_complements(stats, {1, 5}) == set()  # All's already withheld
    overlapping = stats.copy()
    overlapping.loc[overlapping["breakdown"] == "All", "n"] = 90
    assert mean_of_all_complements(overlapping, {5}) == {1}


def _known_victims(threshold: int = 10) -> tuple[DisclosureResult, dict[str, dict[str, Any]]]:
    """The known victims by number of contacts (identified or not), with the mean contacts
    of each column: the never-identified victims (8) are too few for a mean."""
    bands = ["None", "1", "2 to 4", "5 to 9", "10 or more"]
    counts = {
        ALL: dict(zip(bands, [3, 4, 14, 21, 2], strict=True)),
        "Identified": dict(zip(bands, [3, 2, 12, 17, 2], strict=True)),
        "Known, not identified": dict(zip(bands, [0, 2, 2, 4, 0], strict=True)),
    }
    rows, meta = one_table("journeys_known_contacts", counts, margin_key="known")
    stats = pd.DataFrame(
        [
            {"table_id": "journeys_known_contacts", "breakdown": b, "statistic": s}
            | {"value": v, "n": n}
            for b, n, mean in [(ALL, 44, 5.45), ("Identified", 36, 5.6), (KNOWN, 8, 4.8)]
            for s, v in [("contacts_median", 6.0), ("contacts_mean", mean)]
        ]
    )
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=threshold), stats)
    return result, meta


KNOWN = "Known, not identified"


def test_the_known_victims_mean_is_withheld_with_the_never_identified_victims() -> None:
    """The second red team of stop 60 read the never-identified victims with 10 or more
    contacts as 0 to 6 from All's mean times its n, less the identified victims' earlier
    contacts: All's mean is withheld, and the audit fails a release that shows it."""
    result, meta = _known_victims()
    assert result.audit.passed
    shown = result.statistics.set_index(["breakdown", "statistic"])["value_display"]
    assert shown[(KNOWN, "contacts_mean")] == "[c]"
    assert shown[(ALL, "contacts_mean")] == "[c]"
    log = result.log.set_index(["breakdown", "category"])["rule"]
    assert log[(ALL, "contacts_mean")] == "statistic_mean_of_parts"
    tampered = result.statistics.copy()
    at = (tampered["breakdown"] == ALL) & (tampered["statistic"] == "contacts_mean")
    tampered.loc[at, "value_display"] = "5.45"
    report = AuditReport(protection=10, threshold=10, rounding_base=1, integer=True)
    check_statistics(tampered, meta, 10, report)
    assert any("bounds that breakdown's sum" in p for p in report.problems), report.problems


def test_a_statistic_published_twice_is_withheld_in_both_places() -> None:
    """The identified victims' mean days known is their mean time to identification (the
    fifth red team of stop 61 read the withheld one off the other)."""
    stats = pd.DataFrame(
        [
            {"table_id": "time", "breakdown": ALL, "statistic": "mean", "value": 1165.18, "n": 733},
            {"table_id": "known", "breakdown": "Identified"}
            | {"statistic": "days_known_mean", "value": 1165.18, "n": 733},
            {"table_id": "known", "breakdown": "Identified"}
            | {"statistic": "days_known_median", "value": 1262.0, "n": 733},
        ]
    )
    assert same_statistic_complements(stats, {0}) == {1}
    assert same_statistic_complements(stats, {2}) == set()
    assert same_statistic_complements(stats, set()) == set()
