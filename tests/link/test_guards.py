"""Model checks: degenerate m values are floored and flagged; unseen levels handled."""

from __future__ import annotations

from typing import Any

import pytest

from gbo.link.guards import check_model, renormalise_fixed_m


def _model(levels: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "comparisons": [
            {
                "output_column_name": "address",
                "comparison_levels": [{"label_for_charts": "null", "is_null_level": True}, *levels],
            }
        ]
    }


def test_near_zero_m_is_floored_and_the_rest_rescaled() -> None:
    model = _model(
        [
            {"label_for_charts": "same", "m_probability": 0.9999999, "u_probability": 0.01},
            {"label_for_charts": "different", "m_probability": 1e-7, "u_probability": 0.99},
        ]
    )
    fixed, findings = check_model(model, m_floor=0.01)
    levels = fixed["comparisons"][0]["comparison_levels"][1:]
    assert levels[1]["m_probability"] == 0.01
    assert sum(lv["m_probability"] for lv in levels) == pytest.approx(1.0)
    assert [f.check for f in findings] == ["m_degenerate_low"]
    assert model["comparisons"][0]["comparison_levels"][2]["m_probability"] == 1e-7  # copy


def test_unseen_u_becomes_rare_and_untrained_m_neutral() -> None:
    model = _model(
        [
            {"label_for_charts": "swapped", "m_probability": 0.01, "u_probability": None},
            {"label_for_charts": "initial", "m_probability": None, "u_probability": 0.02},
            {"label_for_charts": "else", "m_probability": 0.99, "u_probability": 0.98},
        ]
    )
    fixed, findings = check_model(model, m_floor=0.001, u_unseen=1e-7)
    levels = fixed["comparisons"][0]["comparison_levels"][1:]
    assert levels[0]["u_probability"] == 1e-7
    assert levels[1]["m_probability"] == levels[1]["u_probability"] == 0.02
    assert {f.check for f in findings} == {"u_not_observed", "m_not_trained"}


def test_inverted_weights_are_flagged() -> None:
    model = _model(
        [
            {"label_for_charts": "exact", "m_probability": 0.1, "u_probability": 0.5},
            {"label_for_charts": "else", "m_probability": 0.9, "u_probability": 0.5},
        ]
    )
    _, findings = check_model(model, m_floor=0.001)
    assert "weight_inverted" in {f.check for f in findings}


def test_fixed_m_is_kept_and_others_sum_to_one() -> None:
    model = _model(
        [
            {"label_for_charts": "same", "m_probability": 0.8, "u_probability": 0.01},
            {
                "label_for_charts": "moved",
                "m_probability": 0.3,
                "u_probability": 0.99,
                "fix_m_probability": True,
            },  # fmt: skip
        ]
    )
    levels = renormalise_fixed_m(model)["comparisons"][0]["comparison_levels"][1:]
    assert levels[1]["m_probability"] == 0.3
    assert levels[0]["m_probability"] == pytest.approx(0.7)


def test_a_neutral_level_below_the_floor_stays_neutral() -> None:
    model = _model(
        [
            {
                "label_for_charts": "swapped (scored elsewhere)",
                "m_probability": 1e-4,
                "u_probability": 1e-4,
                "fix_m_probability": True,
            },
            {"label_for_charts": "exact", "m_probability": 0.9, "u_probability": 0.01},
            {"label_for_charts": "else", "m_probability": 0.0999, "u_probability": 0.9899},
        ]
    )
    fixed, findings = check_model(model, m_floor=0.001)
    neutral = fixed["comparisons"][0]["comparison_levels"][1]
    assert neutral["m_probability"] == neutral["u_probability"] == 1e-4
    assert "m_degenerate_low" not in {f.check for f in findings}
