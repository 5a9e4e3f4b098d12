"""95% intervals for the coder's figures: micro-F1 resampling whole documents, a paired gain
between two coders, Wilson's interval for a share, and for a share pooled over documents the
same on the documents' effective sample size."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from gbo.lessons.scores import Scores, pooled
from gbo.lessons.uncertainty import (
    clustered_share_interval,
    micro_f1_interval,
    paired_gain_interval,
    share_interval,
)

document = st.builds(Scores, st.integers(0, 8), st.integers(0, 5), st.integers(0, 5))


@settings(max_examples=60, deadline=None)
@given(st.lists(document, min_size=2, max_size=30))
def test_the_interval_holds_the_figure_and_is_reproducible(per_document: list[Scores]) -> None:
    interval = micro_f1_interval(per_document)
    assert interval is not None
    assert 0.0 <= interval.low <= interval.high <= 1.0
    assert interval.low - 1e-9 <= pooled(per_document).f1 <= interval.high + 1e-9
    assert micro_f1_interval(per_document) == interval  # the seed is fixed


def test_more_documents_narrow_the_interval() -> None:
    """The same mix of documents, four times over: the figure is the same, the interval
    narrower; identical documents leave nothing to resample."""
    mix = [Scores(4, 1, 2), Scores(2, 2, 1), Scores(5, 0, 0), Scores(1, 1, 3), Scores(3, 1, 1)]
    few, many = micro_f1_interval(mix), micro_f1_interval(mix * 4)
    assert few is not None and many is not None
    assert pooled(mix).f1 == pooled(mix * 4).f1
    assert many.high - many.low < few.high - few.low
    assert micro_f1_interval([Scores(3, 1, 0)] * 6) == micro_f1_interval([Scores(6, 2, 0)] * 3)
    same = micro_f1_interval([Scores(3, 1, 0)] * 6)
    assert same is not None and same.low == same.high == Scores(3, 1, 0).f1
    assert micro_f1_interval([Scores(3, 1, 0)]) is None


def test_a_paired_gain_is_read_on_the_same_documents() -> None:
    before = [Scores(3, 2, 2), Scores(2, 1, 3), Scores(4, 2, 1), Scores(1, 0, 2), Scores(5, 1, 1)]
    better = [
        Scores(s.true_positives + 1, s.false_positives, s.false_negatives - 1) for s in before
    ]
    same = paired_gain_interval(before, before)
    assert same is not None and same.low == same.high == 0.0
    gain = paired_gain_interval(before, better)
    # one more theme found in every document: a gain on every resample
    assert gain is not None and 0.0 < gain.low <= pooled(better).f1 - pooled(before).f1 <= gain.high
    loss = paired_gain_interval(better, before)
    assert loss is not None and loss.high < 0.0


def test_a_paired_gain_needs_the_same_documents() -> None:
    with pytest.raises(ValueError, match="pair them"):
        paired_gain_interval([Scores(1, 0, 0)] * 3, [Scores(1, 0, 0)] * 2)


@given(st.integers(0, 200), st.integers(1, 200))
def test_the_share_of_denied_themes_is_wilsons_interval(count: int, total: int) -> None:
    count = min(count, total)
    interval = share_interval(count, total)
    low, high = proportion_confint(count, total, alpha=0.05, method="wilson")
    assert interval is not None
    assert (interval.low, interval.high) == pytest.approx((low, high), abs=1e-12)
    assert interval.low - 1e-12 <= count / total <= interval.high + 1e-12
    # none given out of n is still not a proof that none ever will be
    assert count > 0 or interval.high > 0


def test_no_denied_themes_no_share() -> None:
    assert share_interval(0, 0) is None


denied_counts = st.integers(1, 6).flatmap(
    lambda total: st.tuples(st.integers(0, total), st.just(total))
)


@settings(max_examples=80, deadline=None)
@given(st.lists(denied_counts, min_size=1, max_size=30))
def test_a_share_over_documents_is_never_surer_than_wilsons(counts: list[tuple[int, int]]) -> None:
    count, total = sum(c for c, _ in counts), sum(t for _, t in counts)
    clustered, plain = clustered_share_interval(counts), share_interval(count, total)
    assert clustered is not None and plain is not None
    assert clustered.low - 1e-9 <= count / total <= clustered.high + 1e-9
    assert clustered.low <= plain.low + 1e-9 and plain.high <= clustered.high + 1e-9
    # documents with nothing to deny change nothing
    assert clustered_share_interval([*counts, (0, 0)]) == clustered


def test_denied_themes_in_few_documents_widen_the_interval() -> None:
    """Eight of forty: spread over ten documents, about Wilson's interval (exactly, when the
    documents are alike); all in two documents, a much wider one; none given, Wilson's
    interval, which still allows some."""
    even = clustered_share_interval([(1, 5), (1, 3)] * 4 + [(0, 4)] * 2)
    plain = share_interval(8, 40)
    assert even is not None and plain is not None
    assert even.high - even.low < 1.1 * (plain.high - plain.low)
    alike = clustered_share_interval([(2, 10)] * 4)
    assert alike == share_interval(8, 40)
    bunched = clustered_share_interval([(4, 4), (4, 4)] + [(0, 4)] * 8)
    assert bunched is not None
    assert bunched.high - bunched.low > 1.5 * (plain.high - plain.low)
    none = clustered_share_interval([(0, 4)] * 10)
    assert none == share_interval(0, 40) and none is not None and none.high > 0.05
    assert clustered_share_interval([(0, 0)]) is None


def test_a_count_above_its_total_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and its total"):
        clustered_share_interval([(3, 2), (0, 1)])
