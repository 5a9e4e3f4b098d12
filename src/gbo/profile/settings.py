"""Settings of the profile stage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field, model_validator

from gbo.profile.journey_settings import ContactRule, IdentificationRule
from gbo.schema import codes
from gbo.settings_base import Settings

Band = tuple[str, int, int]
"""A band: its label, the lowest and the highest value it holds (both inclusive)."""

DEFAULT_VICTIM_AGE_BANDS: tuple[Band, ...] = (
    ("Under 10", 0, 9),
    ("10 to 12", 10, 12),
    ("13 to 15", 13, 15),
    ("16 to 17", 16, 17),
    ("18 and over", 18, 200),
)
DEFAULT_GROUP_SIZE_BANDS: tuple[Band, ...] = (
    ("2", 2, 2),
    ("3 to 4", 3, 4),
    ("5 to 9", 5, 9),
    ("10 or more", 10, 1_000_000),
)
DEFAULT_DURATION_BANDS: tuple[Band, ...] = (
    ("Under 1 month", 0, 30),
    ("1 to 5 months", 31, 182),
    ("6 to 11 months", 183, 364),
    ("1 year to under 2 years", 365, 729),
    ("2 years or more", 730, 1_000_000),
)
DEFAULT_VICTIM_COUNT_BANDS: tuple[Band, ...] = (
    ("None recorded", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3 to 4", 3, 4),
    ("5 to 9", 5, 9),
    ("10 or more", 10, 1_000_000),
)
DEFAULT_CONTACT_BANDS: tuple[Band, ...] = (
    ("None", 0, 0),
    ("1", 1, 1),
    ("2 to 4", 2, 4),
    ("5 to 9", 5, 9),
    ("10 or more", 10, 1_000_000),
)
DEFAULT_TIME_TO_IDENTIFICATION_BANDS: tuple[Band, ...] = (
    ("Under 6 months", 1, 182),
    ("6 to 11 months", 183, 364),
    ("1 year to under 2 years", 365, 729),
    ("2 years to under 5 years", 730, 1825),
    ("5 years or more", 1826, 1_000_000),
)
DEFAULT_TIME_BEFORE_BANDS: tuple[Band, ...] = (
    ("Under 1 month before", 1, 30),
    ("1 to 5 months before", 31, 182),
    ("6 to 11 months before", 183, 364),
    ("1 year to under 2 years before", 365, 729),
    ("2 years to under 5 years before", 730, 1825),
    ("5 years or more before", 1826, 1_000_000),
)


class ProfileSettings(Settings):
    """How the characteristics tables and victims' journeys are built."""

    period_start: date | None = Field(
        None,
        description="First date of the period reported (offences by first date); none = all.",
    )
    period_end: date | None = Field(
        None,
        description="Last date of the period reported (inclusive); none = all.",
    )
    offender_age_bands: tuple[Band, ...] = Field(
        codes.AGE_BANDS_CHILD_AND_ADULT,
        description="Bands of offenders' age at first offence: (label, lowest, highest). "
        "Keep bands that show 10 to 17 year olds.",
    )
    victim_age_bands: tuple[Band, ...] = Field(
        DEFAULT_VICTIM_AGE_BANDS,
        description="Bands of victims' age at first offence: (label, lowest, highest).",
    )
    group_size_bands: tuple[Band, ...] = Field(
        DEFAULT_GROUP_SIZE_BANDS,
        description="Bands of the number of offenders in a group.",
    )
    group_duration_bands: tuple[Band, ...] = Field(
        DEFAULT_DURATION_BANDS,
        description="Bands of a group's active period in days (first to last offence).",
    )
    victims_per_group_bands: tuple[Band, ...] = Field(
        DEFAULT_VICTIM_COUNT_BANDS,
        description="Bands of the number of victims of a group.",
    )
    prior_contact_bands: tuple[Band, ...] = Field(
        DEFAULT_CONTACT_BANDS,
        description="Bands of the number of agency contacts before identification.",
    )
    time_to_identification_bands: tuple[Band, ...] = Field(
        DEFAULT_TIME_TO_IDENTIFICATION_BANDS,
        description="Bands of days from first agency contact to identification.",
    )
    ethnicity_detail_min_recorded: int = Field(
        50,
        ge=0,
        description="Publish the 19-category ethnicity tables only when at least this many "
        "people in the population have a recorded self-defined ethnicity.",
    )
    baseline_file: Path | None = Field(
        None,
        description="Local population baseline CSV (variable, category, population); none = "
        "the England and Wales Census 2021 figures shipped with gbo.",
    )
    baseline_name: str = Field(
        "",
        description="Name of the local baseline shown in notes (e.g. the area and year).",
    )
    journey_window_days: int | None = Field(
        None,
        ge=1,
        description="Count only agency contacts within this many days before "
        "identification; none = every earlier contact.",
    )
    health_event_types: tuple[str, ...] = Field(
        ("AE_ATTENDANCE", "SEXUAL_HEALTH_VISIT", "GP_CONTACT"),
        description="Event types that count as a health contact in victims' journeys.",
    )
    time_before_identification_bands: tuple[Band, ...] = Field(
        DEFAULT_TIME_BEFORE_BANDS,
        description="Bands of days before identification, for contacts by agency over time.",
    )
    contacts: ContactRule = Field(
        default_factory=ContactRule,
        description="Which records count as agency contacts in victims' journeys.",
    )
    identification: IdentificationRule = Field(
        default_factory=IdentificationRule,
        description="Which records count as the identification of exploitation.",
    )

    @model_validator(mode="after")
    def _check(self) -> ProfileSettings:
        problems: list[str] = []
        if self.period_start and self.period_end and self.period_start > self.period_end:
            problems.append("period_start is after period_end")
        for name in (
            "offender_age_bands",
            "victim_age_bands",
            "group_size_bands",
            "group_duration_bands",
            "victims_per_group_bands",
            "prior_contact_bands",
            "time_to_identification_bands",
            "time_before_identification_bands",
        ):
            bands: tuple[Band, ...] = getattr(self, name)
            if not bands:
                problems.append(f"{name} is empty")
            for (_, _, high), (label, low, _) in zip(bands, bands[1:], strict=False):
                if low <= high:
                    problems.append(f"{name}: band {label!r} overlaps the band before it")
            for label, low, high in bands:
                if low > high:
                    problems.append(f"{name}: band {label!r} has lowest above highest")
        unknown = set(self.health_event_types) - set(codes.EVENT_TYPES)
        if unknown:
            problems.append(f"health_event_types: unknown event types {sorted(unknown)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self
