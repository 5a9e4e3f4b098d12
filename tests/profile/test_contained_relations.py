"""Categories that are a case of another table's category, declared to disclosure."""

from __future__ import annotations

from typing import Any

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.profile import categories as cat
from gbo.profile.contained_relations import declare_contained
from gbo.profile.population import VICTIM_GROUP, VICTIM_OTHER
from gbo.profile.settings import ProfileSettings
from gbo.profile.tidy import ALL, TidyTable
from tests.profile.declared_tables import controlled_rows, tidy_table

SIGNALS, AGENCIES = "journeys_signals", "journeys_contacts_agency"


def _signals_and_agencies(health: dict[str, int]) -> dict[str, TidyTable]:
    """Identified victims by signal and by agency of earlier contacts (both multi-response),
    the health contact signal 12 / 3 / 9 and the health services agency ``health``."""
    signal = {ALL: 12, VICTIM_GROUP: 3, VICTIM_OTHER: 9}
    police = {ALL: 30, VICTIM_GROUP: 12, VICTIM_OTHER: 18}
    label = ProfileSettings().contacts.agency_label("health")
    return {
        SIGNALS: tidy_table(
            SIGNALS,
            {(b, cat.HEALTH_CONTACT): n for b, n in signal.items()},
            {b: police[b] + 5 for b in signal},
        ),
        AGENCIES: tidy_table(
            AGENCIES,
            {
                **{(b, label): n for b, n in health.items()},
                **{(b, "Police"): n for b, n in police.items()},
            },
            {b: police[b] + 5 for b in signal},
        ),
    }


def test_a_part_equal_to_its_whole_everywhere_is_one_figure() -> None:
    """Where health's only contacts are the health event types, the health contact signal
    and the health services agency count the same victims: the eighth red team of stop 62
    found the agency withheld beside the same figure shown as the signal. Declared one
    figure, they are shown or withheld alike."""
    by_id = _signals_and_agencies({ALL: 12, VICTIM_GROUP: 3, VICTIM_OTHER: 9})
    metadata: dict[str, Any] = {t: {} for t in by_id}
    declare_contained(metadata, by_id, ProfileSettings())
    label = ProfileSettings().contacts.agency_label("health")
    same = metadata[AGENCIES]["same_figures"]
    assert sorted(same) == sorted(
        [b, label, SIGNALS, b, cat.HEALTH_CONTACT] for b in (ALL, VICTIM_GROUP, VICTIM_OTHER)
    )
    rows, meta = controlled_rows(by_id, metadata, multi_response=set(by_id))
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5))
    assert result.audit.passed
    shown = result.tables.set_index(["table_id", "breakdown", "category"])["count_display"]
    for breakdown in (ALL, VICTIM_GROUP, VICTIM_OTHER):
        assert (
            shown[(AGENCIES, breakdown, label)] == shown[(SIGNALS, breakdown, cat.HEALTH_CONTACT)]
        )
    assert shown[(SIGNALS, VICTIM_GROUP, cat.HEALTH_CONTACT)] == "[c]"


def test_a_part_smaller_than_its_whole_is_not_the_same_figure() -> None:
    """A health event recorded by another agency, or health contacts of other types: the
    part is at most the whole, and nothing more is declared."""
    by_id = _signals_and_agencies({ALL: 14, VICTIM_GROUP: 3, VICTIM_OTHER: 11})
    metadata: dict[str, Any] = {t: {} for t in by_id}
    declare_contained(metadata, by_id, ProfileSettings())
    assert "same_figures" not in metadata[AGENCIES]
    assert len(metadata[AGENCIES]["relations"]) == 3
