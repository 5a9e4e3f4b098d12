"""Choosing the theme classifier's thresholds on out-of-fold predictions, and scoring them.

Thresholds maximise micro-F1 *by document* (a theme counts once per document however many of
its sentences carry it, as in the outputs and the evaluation): each theme's best threshold
shrunk towards the best common one by ``SHRINK`` pseudo-examples (infinite: the common one for
all), then the keyword floor. The polarity gate's threshold is declared apart
(gbo.lessons.polarity) and applied here as given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

GRID = np.round(np.arange(0.05, 0.951, 0.05), 2)
FLOORS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 1.0)
# pseudo-examples pulling a theme's threshold towards the common one; infinite: one common
# threshold for every theme (chosen by the thresholds-out-of-fold figure, as is C)
SHRINK = math.inf
FOLDS = 5

Matrix = npt.NDArray[np.float64]


@dataclass
class Tuning:
    common_threshold: float
    thresholds: dict[str, float]
    keyword_floor: float
    failure_gate: float
    n_train: int
    n_tune: int
    fingerprint: str = ""
    cross_validated: dict[str, float] = field(default_factory=dict)  # out-of-fold micro-F1
    polarity: dict[str, float] = field(default_factory=dict)  # the gate's out-of-fold figures


def f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def document_f1(
    assigned: npt.NDArray[np.bool_], y: npt.NDArray[np.int_], groups: Sequence[str]
) -> float:
    """Micro-F1 by document: a theme counts once per document."""
    names = sorted(set(groups))
    member = np.array([[g == n for g in groups] for n in names], dtype=np.int_)
    found = (member @ assigned.astype(np.int_)) > 0
    gold = (member @ y) > 0
    return f1(
        float((found & gold).sum()), float((found & ~gold).sum()), float((~found & gold).sum())
    )


def choose(
    probs: Matrix,
    keywords: npt.NDArray[np.bool_],
    y: npt.NDArray[np.int_],
    groups: Sequence[str],
    ids: list[str],
    gate: float,
) -> Tuning:
    """Thresholds and keyword floor that maximise micro-F1 by document."""
    names = sorted(set(groups))
    member = np.array([[g == n for g in groups] for n in names], dtype=np.int_)
    gold = (member @ y) > 0

    def by_doc(assigned: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        return (member @ assigned.astype(np.int_)) > 0

    def micro(assigned: npt.NDArray[np.bool_]) -> float:
        found = by_doc(assigned)
        return f1(
            float((found & gold).sum()),
            float((found & ~gold).sum()),
            float((~found & gold).sum()),
        )

    common = float(max(GRID, key=lambda t: micro(probs >= t)))
    thresholds: dict[str, float] = {}
    for k, theme_id in enumerate(ids):
        truth = gold[:, k]
        scores = []
        for t in GRID:
            found = by_doc((probs[:, k] >= t)[:, None])[:, 0]
            scores.append(f1((found & truth).sum(), (found & ~truth).sum(), (~found & truth).sum()))
        best = float(GRID[int(np.argmax(scores))])
        n = float(truth.sum())
        shrunk = common if math.isinf(SHRINK) else (n * best + SHRINK * common) / (n + SHRINK)
        thresholds[theme_id] = round(shrunk, 3)
    cut = np.array([thresholds[t] for t in ids])
    floor = float(max(FLOORS, key=lambda f: micro((probs >= cut) | (keywords & (probs >= f)))))
    return Tuning(common, thresholds, floor, gate, 0, int(len(y)))


def thresholds_out_of_fold(
    probs: Matrix,
    failure: npt.NDArray[np.float64],
    keywords: npt.NDArray[np.bool_],
    y: npt.NDArray[np.int_],
    groups: Sequence[str],
    ids: list[str],
    gate: float,
) -> npt.NDArray[np.bool_]:
    """Assignments of every labelled sentence with thresholds and floor chosen on the *other*
    folds' out-of-fold predictions: an estimate free of the optimism of choosing thresholds
    on the sentences they are scored on (the figure to compare settings by)."""
    from sklearn.model_selection import GroupKFold

    found = np.zeros(y.shape, dtype=bool)
    for fit, held in GroupKFold(n_splits=FOLDS).split(probs, groups=groups):
        tuning = choose(probs[fit], keywords[fit], y[fit], [groups[i] for i in fit], ids, gate)
        cut = np.array([tuning.thresholds[t] for t in ids])
        hit = (probs[held] >= cut) | (keywords[held] & (probs[held] >= tuning.keyword_floor))
        found[held] = hit & (failure[held] >= gate)[:, None]
    return found
