"""Profile settings: bands are checked when the configuration is read."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from gbo.profile.settings import ProfileSettings


def test_defaults_are_valid_and_include_children_among_offenders() -> None:
    s = ProfileSettings()
    assert ("10 to 12", 10, 12) in s.offender_age_bands
    assert s.baseline_file is None


def test_overlapping_bands_and_bad_periods_are_rejected() -> None:
    with pytest.raises(ValidationError, match="overlaps"):
        ProfileSettings(group_size_bands=(("2 to 3", 2, 3), ("3 to 9", 3, 9)))
    with pytest.raises(ValidationError, match="period_start is after"):
        ProfileSettings(period_start="2022-01-01", period_end="2021-01-01")
    with pytest.raises(ValidationError, match="unknown event types"):
        ProfileSettings(health_event_types=("DENTIST",))


def test_every_setting_is_described() -> None:
    for name, info in ProfileSettings.model_fields.items():
        assert info.description, name


def test_journey_rules_are_read_from_toml_and_checked() -> None:
    text = """
[contacts]
event_types = ["MISSING_EPISODE", "SOCIAL_CARE_REFERRAL", "CSE_IDENTIFIED"]
victim_records = false
agency_labels = { police = "Police force" }

[identification]
event_types = ["CSE_IDENTIFIED"]
reasons = ["CSE", "CSE_CONCERN"]
"""
    s = ProfileSettings.model_validate(tomllib.loads(text))
    assert s.contacts.victim_records is False
    assert s.contacts.agency_label("police") == "Police force"
    assert s.contacts.agency_label("youth_offending_team") == "Youth offending team"
    assert "'Concern about child sexual exploitation'" in s.identification.describe()
    with pytest.raises(ValidationError, match="unknown reasons"):
        ProfileSettings.model_validate({"identification": {"reasons": ["RISKY"]}})
    with pytest.raises(ValidationError, match="unknown event types"):
        ProfileSettings.model_validate({"contacts": {"event_types": ["DENTIST"]}})
    with pytest.raises(ValidationError, match="no event type or reason"):
        ProfileSettings.model_validate({"identification": {"event_types": [], "reasons": []}})
