"""Drafted sentences quote only published figures of the table they name."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.bulletin.figures import PublishedFigures
from gbo.bulletin.sentences import draft, unquoted_numbers
from gbo.bulletin.specs import PointSpec, load_plan
from gbo.disclosure.symbols import is_symbol
from gbo.publish.plan import PublicationPlan
from tests.bulletin.tables import category_rows, make_plan, statistic_rows

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _printed(plan: PublicationPlan, table_id: str) -> set[str]:
    """What a reader sees in one table: displayed figures that are not symbols, and labels.

    Written independently of gbo.bulletin: the test's own reading of the published frame.
    """
    seen: set[str] = {"95"}
    for entry in plan.for_table(table_id):
        for column in entry.frame.columns:
            if str(column).endswith("_display") or column in ("category", "breakdown"):
                for text in entry.frame[column].dropna().astype(str):
                    if not is_symbol(text):
                        seen.update(n.replace(",", "") for n in NUMBER.findall(text))
    return seen


def _numbers(text: str) -> set[str]:
    return {n.rstrip(",").replace(",", "") for n in NUMBER.findall(text)}


SPECS = [
    PointSpec(kind="majority", table="sex", subject="offenders", field="sex", is_main_point=True),
    PointSpec(kind="share", table="sex", category="Male", subject="offenders"),
    PointSpec(
        kind="majority",
        table="ethnicity",
        subject="offenders",
        field="ethnicity",
        needs_completeness=True,
    ),
    PointSpec(kind="top", table="ethnicity", subject="recorded ethnic groups", top=3),
    PointSpec(
        kind="compare",
        table="sex",
        category="Male",
        breakdown="All",
        other_breakdown="In a group",
        subject="all offenders",
        other_subject="offenders in groups",
    ),
    PointSpec(kind="statistic", table="age", subject="age", unit="years"),
]

counts = st.integers(min_value=0, max_value=400)
hidden = st.booleans()


@settings(max_examples=150, deadline=None)
@given(
    sex=st.tuples(counts, counts, counts),
    sex_group=st.tuples(counts, counts, counts),
    ethnicity=st.lists(counts, min_size=6, max_size=6),
    hide=st.lists(hidden, min_size=12, max_size=12),
    median=st.integers(min_value=10, max_value=70),
)
def test_drafted_sentences_quote_only_published_figures_of_their_table(
    sex: tuple[int, int, int],
    sex_group: tuple[int, int, int],
    ethnicity: list[int],
    hide: list[bool],
    median: int,
) -> None:
    sex_labels = ["Female", "Male", "Not recorded"]
    eth_labels = ["White", "Mixed", "Asian", "Black", "Other", "Not recorded"]
    rows = category_rows(
        "sex",
        "All",
        dict(zip(sex_labels, sex, strict=True)),
        withheld={c for c, h in zip(sex_labels, hide[:3], strict=True) if h},
    )
    rows += category_rows(
        "sex",
        "In a group",
        dict(zip(sex_labels, sex_group, strict=True)),
        withheld={c for c, h in zip(sex_labels, hide[3:6], strict=True) if h},
    )
    rows += category_rows(
        "ethnicity",
        "All",
        dict(zip(eth_labels, ethnicity, strict=True)),
        withheld={c for c, h in zip(eth_labels, hide[6:], strict=True) if h},
    )
    rows += category_rows("age", "All", {"Under 18": 3, "18 and over": 40})
    stats = statistic_rows(
        "age",
        "All",
        {"lower_quartile": median - 5, "median": median, "upper_quartile": median + 9},
        43,
    )
    plan = make_plan(rows, stats)
    figures = PublishedFigures(plan)
    for spec in SPECS:
        sentence = draft(spec, figures)
        if sentence is None:
            continue
        assert _numbers(sentence.text) <= _printed(plan, spec.table), sentence.text
        assert unquoted_numbers(sentence, plan) == []
        if spec.needs_completeness:
            assert "not recorded" in sentence.text or "recorded for all" in sentence.text


def test_a_withheld_figure_stops_the_sentence() -> None:
    rows = category_rows(
        "sex",
        "All",
        {"Female": 3, "Male": 90, "Not recorded": 2},
        withheld={"Female", "Not recorded"},
    )
    plan = make_plan(rows)
    figures = PublishedFigures(plan)
    majority = PointSpec(kind="majority", table="sex", subject="offenders", field="sex")
    share = PointSpec(kind="share", table="sex", category="Female", subject="offenders")
    ethnicity_like = PointSpec(
        kind="majority", table="sex", subject="offenders", field="sex", needs_completeness=True
    )
    assert draft(share, figures) is None
    assert draft(ethnicity_like, figures) is None  # the share not recorded is withheld
    sentence = draft(majority, figures)
    assert sentence is not None and sentence.text.startswith("Most offenders (94.7%")
    assert "2" not in _numbers(sentence.text) and "3" not in _numbers(sentence.text)


def test_no_difference_is_claimed_when_intervals_overlap() -> None:
    rows = category_rows("sex", "All", {"Female": 50, "Male": 50})
    rows += category_rows("sex", "In a group", {"Female": 45, "Male": 55})
    rows += category_rows("sex", "Alone", {"Female": 10, "Male": 90})
    plan = make_plan(rows)
    figures = PublishedFigures(plan)
    close = PointSpec(
        kind="compare",
        table="sex",
        category="Male",
        breakdown="All",
        other_breakdown="In a group",
        subject="all",
        other_subject="in groups",
    )
    apart = close.model_copy(update={"other_breakdown": "Alone"})
    close_text = draft(close, figures)
    apart_text = draft(apart, figures)
    assert close_text is not None and "no clear difference" in close_text.text
    assert apart_text is not None and "do not overlap" in apart_text.text


def test_ranking_says_when_some_categories_are_withheld() -> None:
    rows = category_rows("place", "All", {"A": 40, "B": 30, "C": 20, "D": 2}, withheld={"D"})
    plan = make_plan(rows)
    spec = PointSpec(kind="top", table="place", subject="places", top=2)
    sentence = draft(spec, PublishedFigures(plan))
    assert sentence is not None
    assert sentence.text.startswith("Of the categories with a published count")
    assert "a (40) and b (30)" in sentence.text


def test_the_shipped_plan_is_valid_and_ethnicity_points_need_completeness() -> None:
    plan = load_plan()
    assert len(plan.sections) >= 8
    ids = [s.id for s in plan.sections]
    assert len(ids) == len(set(ids))
    for section in plan.sections:
        for point in section.points:
            if "ethnic" in point.table:
                assert point.needs_completeness, point
