"""Disclosure settings: defaults, validation, and every setting documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.factories import make_tables

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "disclosure.md"


def test_defaults() -> None:
    settings = DisclosureSettings()
    assert settings.threshold == 5
    assert settings.protection == 5
    assert settings.rounding_base == 1
    assert DisclosureSettings(threshold=10).protection == 10
    assert DisclosureSettings(rounding="base10").rounding_base == 10
    assert DisclosureSettings(protection_interval=3).protection == 3


@pytest.mark.parametrize(
    "bad",
    [
        {"threshold": 1},
        {"rounding": "base7"},
        {"dominance_share": 0.4},
        {"unknown_setting": 1},
        {"small_denominator_action": "hide"},
        {"protection_interval": 0},
    ],
)
def test_invalid_settings_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DisclosureSettings.model_validate(bad)


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, field in DisclosureSettings.model_fields.items():
        assert f"`{name}`" in text, name
        assert field.description


def test_empty_inputs_give_empty_outputs() -> None:
    rows, _, _ = make_tables(50, seed=2)
    result = control_disclosure(rows.iloc[0:0], {}, DisclosureSettings())
    assert result.audit.passed
    assert result.tables.empty and result.log.empty and result.statistics.empty
    assert "count_display" in result.tables.columns


def test_integer_audit_passes_controlled_tables() -> None:
    rows, meta, stats = make_tables(400, seed=8)
    result = control_disclosure(rows, meta, DisclosureSettings(audit_integer=True), stats)
    assert result.audit.passed
    assert "integrality" in result.audit.to_json()["solver"]
