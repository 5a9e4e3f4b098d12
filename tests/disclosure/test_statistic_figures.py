"""Counts of people published as statistics, controlled as figures of the tables' system.

The eighth red team of stop 62 read the journeys sensitivity table's broader identification
(its identified, as the n of its medians, and its known but never identified) among the same
victims as the configured counts, and the victims without contacts the same under both rules:
with the configured counts it pinned the identification table's withheld complements. The
counts now join the tables' system with what the definitions say of them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.statistic_figures import figure_table_id
from gbo.profile.journey_base import (
    IDENTIFIED_AFTER_CONTACTS,
    IDENTIFIED_AT_FIRST,
    KNOWN_NOT_IDENTIFIED,
    NO_CONTACTS,
)
from gbo.profile.journey_sensitivity import CONFIGURED, TABLE, declare_sensitivity
from gbo.profile.tidy import ALL, Statistic
from tests.profile.declared_tables import controlled_rows, tidy_table

JOURNEYS, PRIOR = "journeys_identification", "journeys_prior_contacts"
BROADER = "Broader identification (adding concern about exploitation)"
COUNTS = {
    CONFIGURED: (523, 443, 442, 1, 80),
    BROADER: (523, 485, 404, 81, 38),
}
NAMES = (
    "victims",
    "identified",
    "identified_after_contacts",
    "identified_at_first_contact",
    "known_not_identified",
)


def _release() -> tuple[DisclosureResult, dict[str, dict[str, Any]]]:
    journeys = tidy_table(
        JOURNEYS,
        {
            (ALL, IDENTIFIED_AFTER_CONTACTS): 442,
            (ALL, IDENTIFIED_AT_FIRST): 1,
            (ALL, KNOWN_NOT_IDENTIFIED): 80,
            (ALL, NO_CONTACTS): 0,
        },
    )
    prior = tidy_table(PRIOR, {(ALL, "None"): 1, (ALL, "1 or more"): 442})
    by_id = {JOURNEYS: journeys, PRIOR: prior}
    stats = [
        Statistic(TABLE, b, name, float(v), v)
        for b, values in COUNTS.items()
        for name, v in zip(NAMES, values, strict=True)
    ] + [
        Statistic(TABLE, CONFIGURED, "median_days_to_identification", 1443.0, 443),
        Statistic(TABLE, BROADER, "median_days_to_identification", 846.0, 485),
    ]
    metadata: dict[str, Any] = {TABLE: {"title": TABLE, "margin_key": "victims", "notes": []}}
    declare_sensitivity(metadata, stats, by_id)
    rows, meta = controlled_rows(by_id, {})
    meta[TABLE] = metadata[TABLE]
    frame = pd.DataFrame(
        [
            {"table_id": s.table_id, "breakdown": s.breakdown, "statistic": s.statistic}
            | {"value": s.value, "n": s.n}
            for s in stats
        ]
    )
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5), frame)
    assert result.audit.passed
    return result, meta


def test_the_counts_are_figures_with_the_relations_of_their_definitions() -> None:
    result, meta = _release()
    spec = meta[TABLE]["statistics_figures"]
    assert spec["breakdowns"] == [CONFIGURED, BROADER]
    described = " ".join(r["description"] for r in spec["relations"])
    assert "the same of them without contacts" in described
    assert [CONFIGURED, "identified", PRIOR, ALL, None] in spec["same_figures"]
    # audited with the tables, never published as a table
    counted = figure_table_id(TABLE)
    assert counted in set(result.audited["table_id"])
    assert counted not in set(result.tables["table_id"])


def test_a_count_is_shown_only_where_its_figure_is_and_nothing_is_pinned() -> None:
    """The one withheld count of first contacts (1) takes complements in the system, and
    the statistics follow the figures; the victims without contacts can no longer be read
    as the victims less the broader rule's identified and known but never identified."""
    result, _ = _release()
    audited = result.audited.set_index(["table_id", "breakdown", "category"])["count_display"]
    shown = result.statistics.set_index(["breakdown", "statistic"])["value_display"]
    counted = figure_table_id(TABLE)
    for b in COUNTS:
        for name in NAMES:
            if audited[(counted, b, name)] == "[c]":
                assert shown[(b, name)] == "[c]", (b, name)
    assert audited[(JOURNEYS, ALL, IDENTIFIED_AT_FIRST)] == "[c]"
    reading = [
        shown[(CONFIGURED, "victims")],
        shown[(BROADER, "identified")],
        shown[(BROADER, "known_not_identified")],
    ]
    if audited[(JOURNEYS, ALL, NO_CONTACTS)] == "[c]":
        assert "[c]" in reading
