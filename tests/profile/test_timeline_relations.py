"""The time to identification and the timeline of earlier contacts bound each other
(gbo.profile.timeline_relations): found by the third red team of stop 61."""

from __future__ import annotations

from typing import Any

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.profile.settings import DEFAULT_TIME_BEFORE_BANDS, DEFAULT_TIME_TO_IDENTIFICATION_BANDS
from gbo.profile.tidy import ALL, TidyTable
from gbo.profile.timeline_relations import TIMELINE, declare_timeline_bounds
from tests.profile.declared_tables import controlled_rows, tidy_table

TIME = "journeys_time_to_identification"
AGENCIES = ("Police", "Health services")
# every identified victim took 2 to under 5 years, and no agency had a contact 5 years or
# more before identification (seed 113, sparse, k = 5)
TIMES = {
    "Under 6 months": 0,
    "6 to 11 months": 0,
    "1 year to under 2 years": 0,
    "2 years to under 5 years": 30,
    "5 years or more": 0,
}
PERIODS = {
    "Under 1 month before": 10,
    "1 to 5 months before": 12,
    "6 to 11 months before": 15,
    "1 year to under 2 years before": 20,
    "2 years to under 5 years before": 18,
    "5 years or more before": 0,
}


def _tables() -> tuple[dict[str, TidyTable], dict[str, Any]]:
    time = tidy_table(TIME, {(ALL, band): n for band, n in TIMES.items()})
    timeline = tidy_table(
        TIMELINE,
        {(a, period): n for a in AGENCIES for period, n in PERIODS.items()},
        dict.fromkeys(AGENCIES, 25),  # victims with a contact with the agency
    )
    by_id = {TIME: time, TIMELINE: timeline}
    metadata: dict[str, Any] = {t: {} for t in by_id}
    declare_timeline_bounds(
        metadata, by_id, DEFAULT_TIME_TO_IDENTIFICATION_BANDS, DEFAULT_TIME_BEFORE_BANDS
    )
    return by_id, metadata


def test_each_band_of_time_is_bounded_by_the_timeline_and_back() -> None:
    by_id, metadata = _tables()
    relations = metadata[TIME]["relations"]
    for relation in relations:
        total = sum(by_id[t].count(b, c) * k for t, b, c, k in relation["terms"])
        assert total <= relation["at_most"], relation["description"]
    longest = next(r for r in relations if r["terms"][0][2] == "5 years or more")
    assert {(t, c) for t, _b, c, _k in longest["terms"][1:]} == {
        (TIMELINE, "5 years or more before")
    }
    # a contact a month before identification: the victim took at least that long, any band
    soon = [
        r for r in relations if r["terms"][0][:3] == [TIMELINE, "Police", "Under 1 month before"]
    ]
    assert len(soon) == 1 and len(soon[0]["terms"]) == 1 + len(TIMES)


def test_the_withheld_zero_of_the_longest_band_is_protected() -> None:
    """'5 years or more' is a zero withheld to hide that everyone took 2 to 5 years; the
    timeline's zeros of that period would give it back, so one of them is withheld too."""
    by_id, metadata = _tables()
    result = control_disclosure(
        *controlled_rows(by_id, metadata, multi_response={TIMELINE}),
        DisclosureSettings(threshold=5),
    )
    assert result.audit.passed
    shown = result.tables.set_index(["table_id", "breakdown", "category"])["count_display"]
    assert shown[(TIME, ALL, "5 years or more")] == "[c]"
    assert "[c]" in {shown[(TIMELINE, a, "5 years or more before")] for a in AGENCIES}
    bare = control_disclosure(
        *controlled_rows(by_id, {}, multi_response={TIMELINE}), DisclosureSettings(threshold=5)
    )
    shown = bare.tables.set_index(["table_id", "breakdown", "category"])["count_display"]
    assert {shown[(TIMELINE, a, "5 years or more before")] for a in AGENCIES} == {"0"}
