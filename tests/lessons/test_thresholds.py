"""Keyword cues count only where the polarity gate is sure (gbo.lessons.thresholds)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gbo.lessons.thresholds import KEYWORD_GATE, confident_cues

ROWS = st.integers(min_value=0, max_value=12)


@given(ROWS.flatmap(lambda n: st.tuples(
    arrays(bool, (n, 4)), arrays(float, n, elements=st.floats(0.0, 1.0))
)))  # fmt: skip
def test_confident_cues_keep_only_the_cues_of_sure_rows(
    case: tuple[np.ndarray, np.ndarray],
) -> None:
    keywords, failure = case
    kept = confident_cues(keywords, failure)
    assert kept.shape == keywords.shape
    assert not (kept & ~keywords).any()  # never adds a cue
    sure = failure >= KEYWORD_GATE
    assert (kept[sure] == keywords[sure]).all()
    assert not kept[~sure].any()
