"""Declared generator profiles: the held-out ones differ from the default where it matters."""

from __future__ import annotations

import pytest

from gbo.errors import GboError
from gbo.synth.profiles import profile_settings


@pytest.mark.parametrize("name", ["heldout", "sealed"])
def test_held_out_profiles_carry_no_nhs_numbers_or_address_lines(name: str) -> None:
    settings, seed = profile_settings(name)
    default, default_seed = profile_settings("default")
    assert seed != default_seed
    assert settings.nhs_numbers.share("police") == settings.nhs_numbers.share("health") == 0.0
    assert settings.corruption.missing_address_line_rate == 1.0
    assert settings.people.name_frequency_seed != default.people.name_frequency_seed
    assert settings.people.twin_share > default.people.twin_share


def test_an_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(GboError, match="unknown synthetic data profile"):
        profile_settings("nope")
