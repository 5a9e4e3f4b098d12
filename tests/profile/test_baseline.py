"""Reading population baselines: the shipped census figures and an analyst's own file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.errors import ProfileError
from gbo.profile.baseline import ethnic_group_population, read_baseline
from gbo.schema import codes


def test_shipped_census_has_all_19_categories_and_its_source() -> None:
    baseline = read_baseline(None)
    assert set(baseline.figures["ethnicity_19"]) == set(codes.ONS_19)
    assert any("TS021" in note for note in baseline.source_notes)
    groups = ethnic_group_population(baseline)
    total = sum(groups.values())
    # the published high-level shares (Census 2021, England and Wales), to one decimal place
    published = {"WHITE": 81.7, "MIXED": 2.9, "ASIAN": 9.3, "BLACK": 4.0, "OTHER": 2.1}
    for code, pct in published.items():
        assert round(100 * groups[codes.ONS_GROUPS[code]] / total, 1) == pct


def test_local_baseline_problems_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "variable,category,population\nethnicity_19,NOPE,10\nage_band,18 to 24,x\nwhat,a,1\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as info:
        read_baseline(path)
    message = str(info.value)
    assert "row 1, column category" in message
    assert "row 2, column population" in message
    assert "row 3, column variable" in message


def test_missing_columns_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("variable,population\nage_band,1\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="no column"):
        read_baseline(path)
    with pytest.raises(ProfileError, match="cannot read"):
        read_baseline(tmp_path / "absent.csv")


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(codes.ONS_19)), st.integers(0, 10**7), min_size=1))
def test_group_totals_are_sums_of_categories(figures: dict[str, int]) -> None:
    rows = "".join(f"ethnicity_19,{k},{v}\n" for k, v in figures.items())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.csv"
        path.write_text("variable,category,population\n" + rows, encoding="utf-8")
        groups = ethnic_group_population(read_baseline(path))
    assert sum(groups.values()) == sum(figures.values())


def test_comparison_within_the_data_uses_the_score_interval_for_a_ratio() -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep

    from gbo.profile.baseline import compare_within
    from gbo.profile.tidy import TidyTable

    table = TidyTable(
        "t",
        ["All", "In a group", "Alone"],
        ["White", "Asian", "Not stated", "Not recorded"],
        {
            ("In a group", "White"): 10, ("In a group", "Asian"): 40,
            ("In a group", "Not recorded"): 30, ("Alone", "White"): 5, ("Alone", "Asian"): 55,
            ("Alone", "Not stated"): 20,
        },
        {"In a group": 80, "Alone": 80},
        unknown_categories=frozenset({"Not stated"}),
    )  # fmt: skip
    stats = {
        (s.breakdown, s.statistic): s for s in compare_within("x", table, "In a group", "Alone")
    }
    rr = stats[("White", "rate_ratio")]
    assert rr.value == pytest.approx((10 / 50) / (5 / 60))
    low, high = confint_proportions_2indep(10, 50, 5, 60, compare="ratio", method="score")
    assert (rr.ci_lower, rr.ci_upper) == (pytest.approx(low), pytest.approx(high))
    assert stats[("All", "pct_not_recorded")].value == pytest.approx(100 * 30 / 80)
    assert stats[("All", "pct_not_recorded_comparison")].value == pytest.approx(100 * 20 / 80)
