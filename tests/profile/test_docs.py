"""The methodology page defines every table in the registry and every setting."""

from __future__ import annotations

from pathlib import Path

from gbo.profile.registry import REGISTRY, SECTIONS
from gbo.profile.settings import ProfileSettings

DOC = Path(__file__).parents[2] / "docs" / "methodology" / "characteristics.md"


def test_every_table_is_defined_in_the_methodology() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [t for t in REGISTRY if f"`{t}`" not in text]
    assert not missing


def test_every_profile_setting_that_shapes_a_table_is_mentioned() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("period_start", "period_end", "offender_age_bands", "baseline_file",
                 "baseline_name", "journey_window_days", "health_event_types",
                 "contacts", "identification", "time_before_identification_bands",
                 "ethnicity_detail_min_recorded"):  # fmt: skip
        assert name in ProfileSettings.model_fields
        assert f"profile.{name}" in text, name


def test_registry_sections_are_known() -> None:
    assert {t.section for t in REGISTRY.values()} <= set(SECTIONS)
