"""Themes of a good-practice clause are vetoed, clause by clause."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gbo.lessons.clause_gate import (
    RESCUE_GATE,
    RESCUE_SUPPORT,
    SUPPORT,
    first_word,
    rescued_themes,
    self_contained,
    veto_matrix,
    vetoed_themes,
)

GOOD = "Return interviews were held after every episode"
FAILING = "but what the young people said was never passed to the police"


def test_a_theme_only_the_good_practice_clause_carries_is_vetoed() -> None:
    probs = np.array([[0.6, 0.0], [0.02, 0.7]])  # theme 0: the good clause; theme 1: the failing
    vetoed = vetoed_themes(probs, np.array([0.1, 0.9]), [GOOD, FAILING], gate=0.5)
    assert vetoed.tolist() == [True, False]


def test_a_theme_the_failing_clause_supports_is_kept() -> None:
    probs = np.array([[0.6, 0.0], [SUPPORT, 0.7]])
    vetoed = vetoed_themes(probs, np.array([0.1, 0.9]), [GOOD, FAILING], gate=0.5)
    assert not vetoed.any()


def test_no_veto_when_the_failing_clause_leaves_its_subject_to_the_other() -> None:
    probs = np.array([[0.6, 0.0], [0.0, 0.7]])
    for failing in ("but were not acted on", "but they were ignored", "instead of action"):
        vetoed = vetoed_themes(probs, np.array([0.1, 0.9]), [GOOD, failing], gate=0.5)
        assert not vetoed.any(), failing


def test_no_veto_unless_one_clause_fails_and_another_does_not() -> None:
    probs = np.array([[0.6, 0.0], [0.0, 0.7]])
    for failure in ([0.9, 0.9], [0.1, 0.2]):
        assert not vetoed_themes(probs, np.array(failure), [GOOD, FAILING], 0.5).any()
    assert not vetoed_themes(probs[:1], np.array([0.1]), [GOOD], 0.5).any()


def test_first_words_and_subjects() -> None:
    assert first_word(", but, however, the police did not act") == "the"
    assert first_word("yet nobody asked her") == "nobody"
    assert self_contained("yet nobody asked her")
    assert self_contained("although the police made no use of their powers")
    assert not self_contained("but were never brought together")
    assert not self_contained("but ignored the warnings")  # a verb in -ed
    assert not self_contained("")


@given(
    st.lists(st.floats(0, 1), min_size=2, max_size=5),
    st.floats(0.05, 0.95),
    st.integers(0, 2**16),
)
def test_a_vetoed_theme_is_never_one_a_failing_clause_supports(
    failure: list[float], gate: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    probs = rng.random((len(failure), 4))
    texts = [FAILING] * len(failure)
    vetoed = vetoed_themes(probs, np.array(failure), texts, gate)
    failing = np.array(failure) >= gate
    if vetoed.any():
        assert failing.any() and not failing.all()
        assert (probs[failing][:, vetoed] < SUPPORT).all()
    many = veto_matrix(3, [1] * len(failure), probs, np.array(failure), texts, gate)
    assert not many[0].any() and not many[2].any()
    assert np.array_equal(many[1], vetoed)


THRESHOLDS = np.full(2, 0.1)


def test_a_sentence_refused_as_a_whole_is_coded_from_its_clearly_failing_clause() -> None:
    probs = np.array([[0.6, 0.0], [0.05, 0.4]])  # theme 0: the good clause; theme 1: the failing
    rescued, best = rescued_themes(
        0.3, probs, np.array([0.1, 0.9]), [GOOD, FAILING], 0.5, THRESHOLDS
    )
    assert rescued.tolist() == [False, True]
    assert best[1] == 0.4


def test_no_rescue_when_the_sentence_passes_or_no_clause_clearly_fails() -> None:
    probs = np.array([[0.6, 0.0], [0.05, 0.4]])
    for sentence, failure in ((0.6, [0.1, 0.9]), (0.3, [0.1, RESCUE_GATE - 0.01])):
        rescued, _ = rescued_themes(
            sentence, probs, np.array(failure), [GOOD, FAILING], 0.5, THRESHOLDS
        )
        assert not rescued.any(), (sentence, failure)
    rescued, _ = rescued_themes(0.3, probs[1:], np.array([0.9]), [FAILING], 0.5, THRESHOLDS)
    assert not rescued.any(), "a single clause is the sentence itself"


def test_no_rescue_by_an_elliptical_clause_or_a_weak_theme() -> None:
    probs = np.array([[0.6, 0.0], [0.05, 0.4]])
    rescued, _ = rescued_themes(
        0.3, probs, np.array([0.1, 0.9]), [GOOD, "but were not acted on"], 0.5, THRESHOLDS
    )
    assert not rescued.any()
    weak = np.array([[0.6, 0.0], [0.05, RESCUE_SUPPORT - 0.01]])
    rescued, _ = rescued_themes(0.3, weak, np.array([0.1, 0.9]), [GOOD, FAILING], 0.5, THRESHOLDS)
    assert not rescued.any()


@given(
    st.floats(0, 1),
    st.lists(st.floats(0, 1), min_size=1, max_size=5),
    st.integers(0, 2**16),
)
def test_a_rescued_theme_is_always_one_a_clearly_failing_clause_supports(
    sentence: float, failure: list[float], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    probs = rng.random((len(failure), 4))
    thresholds = rng.random(4)
    rescued, best = rescued_themes(
        sentence, probs, np.array(failure), [FAILING] * len(failure), 0.5, thresholds
    )
    if rescued.any():
        assert sentence < 0.5 and len(failure) >= 2
        clear = probs[np.array(failure) >= RESCUE_GATE]
        assert (clear[:, rescued].max(axis=0) == best[rescued]).all()
        assert (best[rescued] >= np.maximum(thresholds[rescued], RESCUE_SUPPORT)).all()
