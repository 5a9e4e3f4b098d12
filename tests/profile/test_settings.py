"""Profile settings: bands are checked when the configuration is read."""

from __future__ import annotations

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
