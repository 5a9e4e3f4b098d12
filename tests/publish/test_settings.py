"""Publish settings: defaults are valid and every field is described."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gbo.publish.settings import ChartSettings, PublishSettings


def test_every_setting_has_a_description() -> None:
    for model in (PublishSettings, ChartSettings):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


def test_unknown_and_invalid_settings_are_refused() -> None:
    with pytest.raises(ValidationError):
        PublishSettings.model_validate({"no_such_setting": True})
    with pytest.raises(ValidationError):
        PublishSettings.model_validate({"charts": {"colour": "blue"}})
    settings = PublishSettings.model_validate({"release_date": "2027-03-31", "write_ods": False})
    assert settings.release_date is not None and settings.release_date.year == 2027


def test_the_stage_reruns_when_govuk_frontend_changes() -> None:
    from gbo.config import RunConfig
    from gbo.publish.stage import external_inputs

    names = [p.name for p in external_inputs(RunConfig())]
    assert names == ["govuk-frontend.min.css", "all.bundle.js"]
