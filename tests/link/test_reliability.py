"""The conflict guards act only on attributes the trained model says are reliable."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from gbo.link.clusters import distant_births, find_weak_links
from gbo.link.reliability import (
    MIN_ANCHOR_PAIRS,
    TRAINED,
    UNMEASURED_NHS,
    anchored_shares,
    guard_states,
    guard_warnings,
    reliability,
)
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


def _anchor_pairs(n_same: int, n_different: int, twins: int) -> tuple[pa.Table, dict[str, Any]]:
    """Scored pairs: anchors (same forename, family name and date of birth) that agree or
    differ on sex, and twin-like pairs (other forenames) that differ on sex."""
    labels = {
        "forename": {-1: "null", 0: "else", 1: "jaro-winkler >= 0.8", 2: "exact"},
        "surname": {-1: "null", 0: "else", 1: "exact"},
        "dob": {-1: "null", 0: "else", 1: "exact"},
        "sex": {-1: "null", 0: "different", 1: "same"},
        "nhs_number": {-1: "null", 0: "else", 1: "exact"},
    }
    n = n_same + n_different
    table = pa.table(
        {
            "gamma_forename": [2] * n + [1] * twins,
            "gamma_surname": [1] * (n + twins),
            "gamma_dob": [1] * (n + twins),
            "gamma_sex": [1] * n_same + [0] * (n_different + twins),
            "gamma_nhs_number": [-1] * (n + twins),
        }
    )
    return table, labels


def test_the_sex_share_is_counted_on_pairs_that_are_one_person_whatever_the_model_says() -> None:
    table, labels = _anchor_pairs(n_same=995, n_different=5, twins=40)
    anchored = anchored_shares(table, labels)
    assert anchored["sex"] == (0.005, 1000)  # the twins (other forenames) are not anchors
    # EM took the twins for matches and put the share at 5%: the anchors decide.
    found = reliability(_model(0.004, 0.05), 0.02, anchored)
    assert found.sex_reliable and found.sex_disagreement == 0.005
    assert found.as_dict()["measured"]["sex"]["trained"] == 0.05


def test_too_few_anchor_pairs_leave_the_trained_share_in_charge() -> None:
    few = reliability(_model(0.004, 0.05), 0.02, {"sex": (0.0, MIN_ANCHOR_PAIRS - 1)})
    assert not few.sex_reliable
    assert few.measured["sex"]["measured_from"] == TRAINED


def test_forenames_are_counted_on_pairs_that_share_an_nhs_number() -> None:
    table, labels = _anchor_pairs(n_same=0, n_different=0, twins=3)
    nhs = table.set_column(4, "gamma_nhs_number", pa.array([1, 1, -1]))
    nhs = nhs.set_column(0, "gamma_forename", pa.array([0, 2, 0]))
    anchored = anchored_shares(nhs, labels)
    # Two anchors by number; one of them has other forenames (and both differ on sex).
    assert anchored["forename"] == (0.5, 2) and anchored["sex"] == (1.0, 2)
    assert anchored_shares(table.drop(["gamma_sex"]), labels)["sex"] == (None, 0)


def test_a_guard_that_abstains_on_recorded_data_is_a_warning_and_a_row_on_the_page() -> None:
    reported = reliability(_model(0.004, 0.05), 0.02).as_dict()
    rows = {row["guard"]: row for row in guard_states(reported)}
    sex = next(row for name, row in rows.items() if name.startswith("Sex"))
    assert not sex["acting"] and sex["measured_from"] == "trained model"
    assert all(row["acting"] for name, row in rows.items() if name.startswith("Birth"))
    (warning,) = guard_warnings(reported)
    assert "5.0%" in warning and "twins and siblings of opposite sex" in warning
    # No sex recorded at all: nothing measured, nothing to warn about.
    assert guard_warnings(reliability({"comparisons": []}, 0.02).as_dict()) == []


def test_nhs_numbers_are_counted_on_pairs_with_the_same_names_and_date_of_birth() -> None:
    """Twins never share a forename, so pairs with the same forename, family name and date
    of birth say how often one person's records carry two NHS numbers; twins whose numbers
    differ (other forenames) are not among them."""
    table, labels = _anchor_pairs(n_same=60, n_different=0, twins=30)
    numbers = pa.array([1] * 59 + [0] + [0] * 30)  # one anchor with a stray number
    anchored = anchored_shares(table.set_column(4, "gamma_nhs_number", numbers), labels)
    assert anchored["nhs"] == (1 / 60, 60)
    found = reliability(_model(0.004, 0.001), 0.02, anchored)
    assert found.nhs_numbers_reliable and found.measured["nhs"]["anchor_pairs"] == 60
    # with too few anchors, the trained share (none in this model) leaves the guard off
    assert not reliability(_model(0.004, 0.001), 0.02, {"nhs": (0.0, 10)}).nhs_numbers_reliable


def test_nhs_numbers_count_as_one_per_person_until_anchor_pairs_say_otherwise() -> None:
    """An analyst's social care export: only that agency recorded NHS numbers, so no anchor
    pair had two, and EM learnt from twins that every match's numbers differ (100%)."""
    model = _model(0.004, 0.001)
    model["comparisons"].append(
        {
            "output_column_name": "nhs_number",
            "comparison_levels": [
                {"label_for_charts": "null", "is_null_level": True},
                {"label_for_charts": "exact", "m_probability": 0.0},
                {"label_for_charts": "else", "m_probability": 1.0},
            ],
        }
    )
    unmeasured = reliability(model, 0.02, {"nhs": (None, 0)})
    assert unmeasured.nhs_numbers_reliable
    assert unmeasured.measured["nhs"]["measured_from"] == UNMEASURED_NHS
    assert unmeasured.measured["nhs"]["trained"] == 1.0  # still reported
    # anchor pairs that show one person's numbers disagreeing switch the guard off
    counted = reliability(model, 0.02, {"nhs": (0.08, MIN_ANCHOR_PAIRS)})
    assert not counted.nhs_numbers_reliable
    # no NHS comparison at all (no agency records them): nothing to guard
    assert not reliability(_model(0.004, 0.001), 0.02).nhs_numbers_reliable
