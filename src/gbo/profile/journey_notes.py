"""The declared journeys rules in words, quoted in the notes of every journeys table."""

from __future__ import annotations

from gbo.profile.journey_settings import VICTIM_RECORD_LABEL
from gbo.profile.settings import ProfileSettings
from gbo.schema import codes


def journey_rule_notes(s: ProfileSettings) -> list[str]:
    """What counted as a contact and as identification in this run."""
    rule = s.contacts
    kinds = [f"'{codes.EVENT_TYPES[t]}'" for t in rule.event_types]
    if rule.victim_records:
        kinds.append(
            f"'{VICTIM_RECORD_LABEL}' (dated when the offence was recorded, or by its first date)"
        )
    notes = [
        "Contacts: records of " + ", ".join(kinds) + ", from every agency that supplied them.",
        f"Identification: the earliest dated {s.identification.describe()}.",
        f"Broader identification (sensitivity table only): {s.identification.describe_broader()}.",
    ]
    if s.journey_window_days:
        notes.append(
            f"Only contacts within {s.journey_window_days} days before identification count "
            "as earlier contacts."
        )
    return notes
