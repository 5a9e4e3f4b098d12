"""The declared rules of victims' journeys: which records are contacts, what is identification.

Both rules are run settings (``[profile.contacts]`` and ``[profile.identification]`` in the
run configuration), so a reader of the published notes and of the methodology sees exactly
which records counted. Nothing about them is decided in code.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from gbo.schema import codes
from gbo.settings_base import Settings

VICTIM_RECORD = "VICTIM_OF_OFFENCE"
"""The contact type of a record of the child as the victim of an offence."""
VICTIM_RECORD_LABEL = "Recorded as the victim of an offence"

DEFAULT_AGENCY_LABELS: dict[str, str] = {
    "police": "Police",
    "social_care": "Children's social care",
    "health": "Health services",
    "education": "Education",
    "charity": "Voluntary sector",
    "youth_justice": "Youth justice",
}


class ContactRule(Settings):
    """Which canonical records count as an agency contact with a victim."""

    event_types: tuple[str, ...] = Field(
        tuple(codes.EVENT_TYPES),
        description="Event types that are contacts: missing-person and concern records, "
        "referrals and assessments, health attendances, education and voluntary sector "
        "contacts (every event type by default).",
    )
    victim_records: bool = Field(
        True,
        description="A record of the child as the victim of an offence is a contact of the "
        "agency that recorded it, dated by the offence's recorded date (its first date when "
        "no recorded date is given).",
    )
    missing_event_types: tuple[str, ...] = Field(
        ("MISSING_EPISODE",),
        description="Event types that are missing episodes (the missing signal).",
    )
    agency_labels: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_AGENCY_LABELS),
        description="How each agency (the mapping file's agency name) is named in tables; an "
        "agency not listed is shown as its name with underscores as spaces, capitalised.",
    )

    @model_validator(mode="after")
    def _check(self) -> ContactRule:
        for name in ("event_types", "missing_event_types"):
            unknown = set(getattr(self, name)) - set(codes.EVENT_TYPES)
            if unknown:
                raise ValueError(f"contacts.{name}: unknown event types {sorted(unknown)}")
        if not self.event_types and not self.victim_records:
            raise ValueError("contacts: no record would count as a contact")
        return self

    def agency_label(self, agency: str) -> str:
        if agency in self.agency_labels:
            return self.agency_labels[agency]
        text = agency.replace("_", " ").strip()
        return text[:1].upper() + text[1:]


class IdentificationRule(Settings):
    """Which records mark the identification of exploitation, and a broader alternative."""

    event_types: tuple[str, ...] = Field(
        tuple(sorted(codes.IDENTIFICATION_EVENTS)),
        description="Event types that record that exploitation was identified.",
    )
    reasons: tuple[str, ...] = Field(
        ("CSE",),
        description="Recorded reasons (codes.EVENT_REASONS) that make any event an "
        "identification, e.g. a referral whose reason is child sexual exploitation.",
    )
    broader_event_types: tuple[str, ...] = Field(
        ("CSE_IDENTIFIED", "CSE_RISK_ASSESSMENT"),
        description="Event types of the broader definition shown in the sensitivity table.",
    )
    broader_reasons: tuple[str, ...] = Field(
        ("CSE", "CSE_RISK", "CSE_CONCERN"),
        description="Reasons of the broader definition shown in the sensitivity table.",
    )
    broader_name: str = Field(
        "adding risk of and concern about exploitation",
        description="How the broader definition is described in the sensitivity table.",
    )

    @model_validator(mode="after")
    def _check(self) -> IdentificationRule:
        problems = []
        for name in ("event_types", "broader_event_types"):
            unknown = set(getattr(self, name)) - set(codes.EVENT_TYPES)
            if unknown:
                problems.append(f"identification.{name}: unknown event types {sorted(unknown)}")
        for name in ("reasons", "broader_reasons"):
            unknown = set(getattr(self, name)) - set(codes.EVENT_REASONS)
            if unknown:
                problems.append(f"identification.{name}: unknown reasons {sorted(unknown)}")
        if not self.event_types and not self.reasons:
            problems.append("identification: no event type or reason counts as identification")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def describe(self) -> str:
        """The rule in words, for the published notes."""
        return _describe(self.event_types, self.reasons)

    def describe_broader(self) -> str:
        return _describe(self.broader_event_types, self.broader_reasons)


def _describe(event_types: tuple[str, ...], reasons: tuple[str, ...]) -> str:
    parts = []
    if event_types:
        names = ", ".join(f"'{codes.EVENT_TYPES[t]}'" for t in event_types)
        parts.append(f"an event of type {names}")
    if reasons:
        names = ", ".join(f"'{codes.EVENT_REASONS[r]}'" for r in reasons)
        parts.append(f"any event whose recorded reason is {names}")
    return " or ".join(parts)
