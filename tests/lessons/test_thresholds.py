"""Choosing the coder's thresholds by document (gbo.lessons.thresholds)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.lessons.thresholds import GRID, choose, document_f1, thresholds_out_of_fold

IDS = ["T01", "T02"]


def test_document_f1_counts_a_theme_once_per_document() -> None:
    # document a: T01 found on two sentences and labelled on one; document b: T02 missed
    assigned = np.array([[1, 0], [1, 0], [0, 0]], dtype=bool)
    y = np.array([[1, 0], [0, 0], [0, 1]])
    assert document_f1(assigned, y, ["a", "a", "b"]) == pytest.approx(2 / 3)


def test_the_common_threshold_is_the_best_by_document() -> None:
    # themes labelled at 0.6 and above; 0.3 is noise: the best common cut lies between
    probs = np.array([[0.9, 0.1], [0.3, 0.6], [0.3, 0.1], [0.1, 0.7]])
    y = np.array([[1, 0], [0, 1], [0, 0], [0, 1]])
    tuning = choose(probs, np.zeros_like(y, dtype=bool), y, ["a", "b", "c", "d"], IDS, 0.5)
    assert 0.3 < tuning.common_threshold <= 0.6
    assert set(tuning.thresholds.values()) == {tuning.common_threshold}
    assert tuning.failure_gate == 0.5 and tuning.n_tune == 4


def sentences(n: int, seed: int, noise: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Labels, and probabilities of 0.5 and above for a label, ``noise`` at most without."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=(n, 2))
    return np.where(y == 1, rng.uniform(0.5, 1.0, (n, 2)), rng.uniform(0, noise, (n, 2))), y


def test_thresholds_out_of_fold_are_chosen_without_the_sentences_they_score() -> None:
    probs, y = sentences(40, 3, noise=0.3)
    groups = [f"d{i // 2}" for i in range(40)]
    failure = np.ones(40)
    keywords = np.zeros_like(y, dtype=bool)
    found = thresholds_out_of_fold(probs, failure, keywords, y, groups, IDS, 0.5)
    # labels stand 0.2 clear of the noise: the thresholds chosen on the other folds find them
    assert np.array_equal(found, y.astype(bool))
    # below the polarity gate nothing is assigned
    assert not thresholds_out_of_fold(probs, np.zeros(40), keywords, y, groups, IDS, 0.5).any()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_the_chosen_threshold_is_on_the_grid_and_no_worse_than_any_other(seed: int) -> None:
    probs, y = sentences(30, seed)
    groups = [f"d{i // 3}" for i in range(30)]
    tuning = choose(probs, np.zeros_like(y, dtype=bool), y, groups, IDS, 0.5)
    assert tuning.common_threshold in GRID
    best = document_f1(probs >= tuning.common_threshold, y, groups)
    assert all(best >= document_f1(probs >= t, y, groups) - 1e-12 for t in GRID)
