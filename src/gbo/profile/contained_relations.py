"""Categories that are a case of another table's category, declared to disclosure control.

Some tables count, in the same breakdowns, people or offences of whom one category is by
definition a part of another table's category. In every breakdown the part is then at most
the whole, and where the two ``All`` figures are equal a reader knows each breakdown's are.
Outside readers used each of these (December 2026, docs/methodology/disclosure-history.md):

* a victim with the looked-after marker (``victims_vulnerability``) is counted as looked
  after (``victims_looked_after``);
* an offence located online (``context_location``) has an online element
  (``context_online``), which with the additivity of both tables pinned lone and
  no-offender totals;
* a victim with an A&E, sexual health or GP contact before identification
  (``journeys_contacts_event_type``, the settings' ``health_event_types``), or with the
  "Health contact" signal (``journeys_signals``), had a contact with health services
  (``journeys_contacts_agency``), which narrowed a count of people below the threshold.

Each is declared as a ``relations`` entry (gbo.disclosure.declared) and used only where it
holds on the true figures (a health event recorded by another agency, say). Where the part
and the whole are equal in every breakdown (health's only contacts are the health event
types, as in the synthetic data), they are one figure to a reader who knows that, and are
declared so (``same_figures``): shown or withheld alike (the eighth red team of stop 62
found the agency withheld beside the same figure shown as the signal).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gbo.profile import categories as cat
from gbo.profile.settings import ProfileSettings
from gbo.profile.tidy import TidyTable
from gbo.schema import codes

Figure = tuple[str, str]  # (table, category)


def containments(settings: ProfileSettings) -> list[tuple[Figure, Figure, str]]:
    """(part, whole, why) for every containment of the module docstring."""
    health = ("journeys_contacts_agency", settings.contacts.agency_label("health"))
    out: list[tuple[Figure, Figure, str]] = [
        (
            ("victims_vulnerability", codes.VULNERABILITY_MARKERS["LOOKED_AFTER"]),
            ("victims_looked_after", "Looked after"),
            "a victim with the looked-after marker is counted as looked after",
        ),
        (
            ("context_location", "Online"),
            ("context_online", cat.YES),
            "an offence located online has an online element",
        ),
        (
            ("journeys_signals", cat.HEALTH_CONTACT),
            health,
            "a health contact is a contact with health services",
        ),
    ]
    out += [
        (
            ("journeys_contacts_event_type", codes.EVENT_TYPES[code]),
            health,
            f"{codes.EVENT_TYPES[code]} is a contact with health services",
        )
        for code in settings.health_event_types
    ]
    return out


Cell = tuple[str, str, str]  # (table, breakdown, category)


def declare_at_most(
    metadata: dict[str, Any], owner: str, part: Cell, whole: Cell, description: str
) -> None:
    """Declare ``part`` at most ``whole`` (a ``relations`` entry of ``owner``'s metadata)."""
    metadata[owner].setdefault("relations", []).append(
        {"terms": [[*part, 1], [*whole, -1]], "at_most": 0, "description": description}
    )


def declare_contained(
    metadata: dict[str, Any], by_id: Mapping[str, TidyTable], settings: ProfileSettings
) -> None:
    """Each part at most its whole, in every breakdown the two tables share."""
    for (part_id, part), (whole_id, whole), why in containments(settings):
        part_table, whole_table = by_id.get(part_id), by_id.get(whole_id)
        if part_table is None or whole_table is None or whole_id not in metadata:
            continue
        if part not in part_table.categories or whole not in whole_table.categories:
            continue
        shared = [b for b in whole_table.breakdowns if b in part_table.breakdowns]
        for breakdown in shared:
            declare_at_most(
                metadata,
                whole_id,
                (part_id, breakdown, part),
                (whole_id, breakdown, whole),
                f"'{breakdown}': {why}",
            )
        if all(part_table.count(b, part) == whole_table.count(b, whole) for b in shared):
            for breakdown in shared:
                metadata[whole_id].setdefault("same_figures", []).append(
                    [breakdown, whole, part_id, breakdown, part]
                )
