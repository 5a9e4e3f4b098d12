"""Counting themes against labels: per theme, pooled, and document by document."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gbo.lessons.scores import Scores, document_scores, pooled, score_sets
from tests.lessons.csv_files import THEMES

theme_sets = st.frozensets(st.sampled_from(THEMES), max_size=6)
Pairs = list[tuple[frozenset[str], frozenset[str]]]
documents = st.lists(st.tuples(theme_sets, theme_sets), min_size=1, max_size=20)


@given(documents)
def test_each_documents_counts_sum_to_the_pooled_counts(
    pairs: list[tuple[frozenset[str], frozenset[str]]],
) -> None:
    gold, predicted = [g for g, _ in pairs], [p for _, p in pairs]
    _, micro = score_sets(THEMES, gold, predicted)
    each = document_scores(THEMES, gold, predicted)
    assert len(each) == len(pairs)
    assert pooled(each) == micro
    assert pooled([]) == Scores(0, 0, 0)
    for (g, p), one in zip(pairs, each, strict=True):
        assert one == Scores(len(g & p), len(p - g), len(g - p))


def test_figures_of_counts_with_nothing_wanted_or_found() -> None:
    assert Scores(0, 0, 0).f1 == 1.0  # nothing to find, and nothing found
    assert Scores(0, 2, 0).f1 == 0.0
    assert Scores(0, 0, 3).f1 == 0.0
    assert Scores(2, 1, 1).f1 == 2 / 3
