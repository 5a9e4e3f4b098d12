"""The conflict guards act only on attributes the trained model says are reliable."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbo.link.clusters import distant_births, find_weak_links
from gbo.link.reliability import reliability
from gbo.link.settings import LinkSettings


def _model(date_else_m: float, sex_different_m: float) -> dict[str, Any]:
    def comparison(name: str, label: str, m: float) -> dict[str, Any]:
        levels = [
            {"label_for_charts": "null", "is_null_level": True},
            {"label_for_charts": "exact", "m_probability": 1 - m},
            {"label_for_charts": label, "m_probability": m},
        ]
        return {"output_column_name": name, "comparison_levels": levels}

    return {
        "comparisons": [
            comparison("dob", "else", date_else_m),
            comparison("sex", "different", sex_different_m),
        ]
    }


def test_the_shares_come_from_the_trained_m_values() -> None:
    found = reliability(_model(0.004, 0.001), max_disagreement=0.02)
    assert (found.date_disagreement, found.sex_disagreement) == (0.004, 0.001)
    assert found.dates_reliable and found.sex_reliable
    wrong_dates = reliability(_model(0.08, 0.001), max_disagreement=0.02)
    assert not wrong_dates.dates_reliable and wrong_dates.sex_reliable
    assert wrong_dates.as_dict()["date_guards_active"] is False


def test_a_model_without_the_level_trusts_nothing() -> None:
    found = reliability({"comparisons": []}, max_disagreement=0.02)
    assert not found.dates_reliable and not found.sex_reliable


def _records() -> pd.DataFrame:
    return pd.DataFrame(
        {"unique_id": ["a", "b"], "sex": ["F", "M"], "birth_year_min": [1950, 1990]}
    ).assign(birth_year_max=lambda d: d["birth_year_min"])


def test_weak_links_are_cut_only_on_reliable_conflicts() -> None:
    links = pd.DataFrame({"unique_id_l": ["a"], "unique_id_r": ["b"], "match_probability": [0.99]})
    settings = LinkSettings()
    both = reliability(_model(0.004, 0.001), 0.02)
    dates_only = reliability(_model(0.004, 0.2), 0.02)
    neither = reliability(_model(0.08, 0.2), 0.02)
    assert find_weak_links(links, _records(), settings, both)["conflict"].tolist() == ["sex"]
    assert find_weak_links(links, _records(), settings, dates_only)["conflict"].tolist() == ["dob"]
    loose = find_weak_links(links, _records(), settings, neither)
    assert loose["conflict"].tolist() == [""] and not loose["is_cut"].any()


def test_the_distant_birth_veto_follows_the_gap_it_is_given() -> None:
    links = pd.DataFrame(
        {"unique_id_l": ["a"], "unique_id_r": ["b"], "dob_shares_nothing": [True]}
    ).assign(nhs_number_agrees=False, basis="model")
    assert distant_births(links, _records(), 3).tolist() == [True]
    assert distant_births(links, _records(), None).tolist() == [False]


def test_forenames_are_reliable_when_true_matches_rarely_carry_unrelated_ones() -> None:
    def with_forename(m: float) -> dict[str, Any]:
        model = _model(0.004, 0.001)
        levels = [
            {"label_for_charts": "null", "is_null_level": True},
            {"label_for_charts": "exact", "m_probability": 1 - m},
            {"label_for_charts": "else", "m_probability": m},
        ]
        model["comparisons"].append({"output_column_name": "forename", "comparison_levels": levels})
        return model

    assert reliability(with_forename(0.012), 0.02).forenames_reliable
    assert not reliability(with_forename(0.086), 0.02).forenames_reliable  # FEBRL-like
    assert not reliability(_model(0.004, 0.001), 0.02).forenames_reliable
