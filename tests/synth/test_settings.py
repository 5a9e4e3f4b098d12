"""SynthSettings: every invalid value is refused, every valid one accepted and hashed stably."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from gbo.schema.codes import SDE_18
from gbo.synth import SynthSettings

rates = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@settings(deadline=None)
@given(police=rates, social_care=rates)
def test_agency_shares_must_add_up_to_one(police: float, social_care: float) -> None:
    health = 1.0 - police - social_care
    shares = {"police": police, "social_care": social_care, "health": health}
    valid = all(0.0 < v < 1.0 for v in shares.values())
    if valid:
        assert (
            SynthSettings.model_validate({"agency_shares": shares}).agency_shares.police == police
        )
    else:
        with pytest.raises(ValidationError):
            SynthSettings.model_validate({"agency_shares": shares})


@settings(deadline=None)
@given(
    typo=st.floats(min_value=-1.0, max_value=2.0, allow_nan=False),
    missing=st.floats(min_value=-1.0, max_value=2.0, allow_nan=False),
)
def test_rates_outside_zero_to_one_are_refused(typo: float, missing: float) -> None:
    data = {"corruption": {"typo_rate": typo, "missing_dob_rate": missing}}
    if 0.0 <= typo <= 1.0 and 0.0 <= missing <= 1.0:
        settings = SynthSettings.model_validate(data)
        assert settings.corruption.typo_rate == typo
    else:
        with pytest.raises(ValidationError):
            SynthSettings.model_validate(data)


@settings(deadline=None)
@given(
    weights=st.dictionaries(
        st.sampled_from([*SDE_18, "XX", "W7"]),
        st.floats(min_value=-1.0, max_value=5.0, allow_nan=False),
        max_size=6,
    )
)
def test_ethnicity_weights_need_known_codes_and_a_positive_total(
    weights: dict[str, float],
) -> None:
    valid = (
        bool(weights)
        and set(weights) <= set(SDE_18)
        and min(weights.values()) >= 0
        and sum(weights.values()) > 0
    )
    data = {"people": {"ethnicity_weights": weights}}
    if valid:
        assert SynthSettings.model_validate(data).people.ethnicity_weights == weights
    else:
        with pytest.raises(ValidationError):
            SynthSettings.model_validate(data)


@settings(deadline=None)
@given(low=st.integers(min_value=2, max_value=60), high=st.integers(min_value=2, max_value=60))
def test_group_size_range_must_be_ordered(low: int, high: int) -> None:
    data = {"world": {"group_size_min": low, "group_size_max": high}}
    if low <= high:
        assert SynthSettings.model_validate(data).world.group_size_max == high
    else:
        with pytest.raises(ValidationError):
            SynthSettings.model_validate(data)


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(ValidationError):
        SynthSettings.model_validate({"corruption": {"typo_rat": 0.1}})


@settings(deadline=None)
@given(rate=rates)
def test_the_hash_changes_with_any_setting(rate: float) -> None:
    base = SynthSettings()
    changed = SynthSettings.model_validate({"bad_rows": {"impossible_date_rate": rate / 10}})
    assert base.settings_hash() == SynthSettings().settings_hash()
    assert (changed.settings_hash() == base.settings_hash()) == (
        changed.bad_rows.impossible_date_rate == base.bad_rows.impossible_date_rate
    )


def test_every_setting_has_a_description() -> None:
    def check(model: type) -> None:
        for name, field in model.model_fields.items():  # type: ignore[attr-defined]
            annotation = field.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
                check(annotation)
            else:
                assert field.description, f"{model.__name__}.{name}"

    check(SynthSettings)
