"""Reading population baselines: the shipped census figures and an analyst's own file."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.errors import ProfileError
from gbo.profile.baseline import SHIPPED, ethnic_group_population, read_baseline
from gbo.profile.settings import Band, ProfileSettings
from gbo.schema import codes

DATA = Path(__file__).parents[2] / "src" / "gbo" / "profile" / "data"
FIVE_YEAR = DATA / "census2021_age_five_year_england_wales.csv"
# Published totals of usual residents, England and Wales, Census Day 2021 (ONS bulletins
# "Population and household estimates, England and Wales: Census 2021": unrounded and rounded).
PUBLISHED_TOTAL = 59_597_542
PUBLISHED_TOTAL_ROUNDED = 59_597_300
OPEN_TOP = 200  # the top of the open-ended age group and of the "and over" bands


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _five_year_groups() -> list[tuple[int, int | None, int]]:
    return [
        (int(r["age_from"]), int(r["age_to"]) if r["age_to"] else None, int(r["population"]))
        for r in _rows(FIVE_YEAR)
    ]


def _age_table_bands() -> dict[str, Band]:
    """Every band of the offender and victim age tables, by label."""
    s = ProfileSettings()
    return {label: (label, low, high) for label, low, high in (
        *s.offender_age_bands, *s.victim_age_bands)}  # fmt: skip


def _sum_of_whole_groups(band: Band) -> int | None:
    """The band's population as a sum of whole five-year groups, or None if it cuts one."""
    _, low, high = band
    covered: set[int]
    total, covered = 0, set()
    for start, end, population in _five_year_groups():
        top = end if end is not None else OPEN_TOP
        if low <= start and top <= high:
            total += population
            covered.update(range(start, top + 1))
        elif start <= high and top >= low:  # overlaps the band without lying inside it
            return None
    return total if covered == set(range(low, high + 1)) else None


def test_shipped_file_parses_with_its_checked_column() -> None:
    baseline = read_baseline(None)
    assert set(baseline.figures) == {"ethnicity_19", "age_band"}
    rows = _rows(DATA / SHIPPED)
    assert {r["variable"] for r in rows} == set(baseline.figures)
    # every figure not confirmed to the unit is flagged, and only those
    flagged = {(r["variable"], r["category"]) for r in rows if r["checked"].startswith("recheck")}
    assert flagged == {(v, c) for v, cs in baseline.to_recheck.items() for c in cs}
    assert all(r["checked"] for r in rows)
    # each status used is explained in the header
    notes = " ".join(baseline.source_notes)
    for status in {r["checked"] for r in rows}:
        assert f"{status} =" in notes or status == "five_year_groups"


def test_shipped_ethnic_groups_add_to_the_published_total() -> None:
    figures = read_baseline(None).figures["ethnicity_19"]
    assert abs(sum(figures.values()) - PUBLISHED_TOTAL) <= 100


def test_five_year_groups_add_to_the_published_total_within_rounding() -> None:
    groups = _five_year_groups()
    # contiguous from 0, one open-ended group at the top
    assert groups[0][0] == 0 and groups[-1][1] is None
    for (_, end, _), (start, _, _) in zip(groups, groups[1:], strict=False):
        assert end is not None and start == end + 1
    total = sum(p for _, _, p in groups)
    slack = 50 * len(groups)  # each value is rounded to the nearest 100
    assert abs(total - PUBLISHED_TOTAL_ROUNDED) <= slack
    assert abs(total - PUBLISHED_TOTAL) <= slack + 50


def test_shipped_age_bands_are_the_sums_of_five_year_groups() -> None:
    shipped = read_baseline(None).figures["age_band"]
    bands = _age_table_bands()
    assert set(shipped) <= set(bands)  # only labels the age tables use
    buildable = {label: _sum_of_whole_groups(b) for label, b in bands.items()}
    buildable = {label: n for label, n in buildable.items() if n is not None}
    # exactly the bands whole groups can build are shipped, each with the groups' sum
    assert shipped == buildable
    # the shipped bands never overlap
    ages = [a for label in shipped for a in range(bands[label][1], bands[label][2] + 1)]
    assert len(ages) == len(set(ages))


def test_age_bands_not_shipped_are_named_in_the_header() -> None:
    baseline = read_baseline(None)
    missing = set(_age_table_bands()) - set(baseline.figures["age_band"])
    assert missing  # single years of age were not available: see the file header
    header = " ".join(baseline.source_notes)
    line = next(n for n in baseline.source_notes if n.startswith("Not shipped"))
    for label in missing:
        assert label in line, label
    assert "five-year" in header


def test_shipped_census_has_all_19_categories_and_its_source() -> None:
    baseline = read_baseline(None)
    assert set(baseline.figures["ethnicity_19"]) == set(codes.ONS_19)
    assert any("TS021" in note for note in baseline.source_notes[:2])
    assert any("P02" in note for note in baseline.source_notes[:2])
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
    assert (rr.ci_lower, rr.ci_upper) == pytest.approx((low, high))
    assert stats[("All", "pct_not_recorded")].value == pytest.approx(100 * 30 / 80)
    assert stats[("All", "pct_not_recorded_comparison")].value == pytest.approx(100 * 20 / 80)


def test_methodology_names_every_age_band_and_check_status() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "methodology" / "characteristics.md").read_text(
        encoding="utf-8"
    )
    for label in _age_table_bands():
        assert f"*{label}*" in doc, label
    for status in {r["checked"] for r in _rows(DATA / SHIPPED) if r["variable"] == "ethnicity_19"}:
        assert f"`{status}`" in doc, status
