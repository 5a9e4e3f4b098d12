"""How far a figure measured on a few labelled digests can be trusted: 95% intervals.

The coder is scored on sets of 7 to 30 digests. A document is the unit that was written,
labelled and scored together, and its themes are not independent of one another, so the
interval for micro-F1 resamples whole documents (a bootstrap, ``scipy.stats.bootstrap``,
bias-corrected and accelerated). The difference between two coders on the same documents
resamples the documents once for both (paired). A share uses Wilson's interval, as the
tables of theme recurrence do, which stays honest when none is given (a bootstrap of 0 of n
gives 0 to 0). A share pooled over documents (denied themes given) is not a share of
independent themes: a document that misreads one denial often misreads another. Its
interval is Wilson's on an effective sample size shrunk by the design effect of the
documents (Korn and Graubard's adjustment for clustered samples).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import bootstrap
from statsmodels.stats.proportion import proportion_confint

from gbo.lessons.scores import Scores

CONFIDENCE = 0.95
RESAMPLES = 9999
SEED = 54  # fixed, so that the same predictions always print the same interval


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def text(self) -> str:
        return f"{self.low:.3f} to {self.high:.3f}"


def _micro_f1(
    true_positives: NDArray[np.float64],
    false_positives: NDArray[np.float64],
    false_negatives: NDArray[np.float64],
    axis: int = -1,
) -> NDArray[np.float64]:
    """Micro-F1 of the documents along ``axis``: 2 tp / (2 tp + fp + fn), which equals the
    harmonic mean of precision and recall, and 1 when nothing was wanted or found."""
    tp, fp, fn = (np.sum(x, axis=axis) for x in (true_positives, false_positives, false_negatives))
    denominator = np.asarray(2 * tp + fp + fn, dtype=float)
    f1: NDArray[np.float64] = np.divide(
        2 * tp, denominator, out=np.ones_like(denominator), where=denominator > 0
    )
    return f1


def _paired_gain(
    tp_before: NDArray[np.float64],
    fp_before: NDArray[np.float64],
    fn_before: NDArray[np.float64],
    tp_after: NDArray[np.float64],
    fp_after: NDArray[np.float64],
    fn_after: NDArray[np.float64],
    axis: int = -1,
) -> NDArray[np.float64]:
    """Micro-F1 of the second coder's counts less the first's, on the same documents."""
    after = _micro_f1(tp_after, fp_after, fn_after, axis)
    return np.subtract(after, _micro_f1(tp_before, fp_before, fn_before, axis))


def _columns(per_document: Sequence[Scores]) -> list[NDArray[np.float64]]:
    return [
        np.array([getattr(s, field) for s in per_document], dtype=float)
        for field in ("true_positives", "false_positives", "false_negatives")
    ]


def _interval(
    samples: list[NDArray[np.float64]], statistic: Callable[..., NDArray[np.float64]]
) -> Interval:
    """A paired, vectorised bootstrap over the documents: BCa, or the percentile interval of
    the same resamples when every resample gives the same figure (BCa is then undefined)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = bootstrap(
            samples,
            statistic,
            n_resamples=RESAMPLES,
            paired=True,
            vectorized=True,
            confidence_level=CONFIDENCE,
            rng=np.random.default_rng(SEED),
        )
    low, high = result.confidence_interval
    if not (np.isfinite(low) and np.isfinite(high)):
        tail = (1 - CONFIDENCE) / 2 * 100
        low, high = np.percentile(result.bootstrap_distribution, [tail, 100 - tail])
    return Interval(float(low), float(high))


def micro_f1_interval(per_document: Sequence[Scores]) -> Interval | None:
    """95% interval for micro-F1 over these documents' counts, resampling documents; None
    for fewer than two documents."""
    if len(per_document) < 2:
        return None
    return _interval(_columns(per_document), _micro_f1)


def paired_gain_interval(before: Sequence[Scores], after: Sequence[Scores]) -> Interval | None:
    """95% interval for how much micro-F1 rises from ``before`` to ``after``, two coders'
    counts on the same documents in the same order, resampled together."""
    if len(before) != len(after):
        raise ValueError(f"{len(before)} documents before, {len(after)} after: pair them")
    if len(before) < 2:
        return None
    return _interval(_columns(before) + _columns(after), _paired_gain)


def share_interval(count: int, total: int) -> Interval | None:
    """Wilson's 95% interval for ``count`` of ``total``; None when the total is 0."""
    if total == 0:
        return None
    low, high = proportion_confint(count, total, alpha=1 - CONFIDENCE, method="wilson")
    return Interval(float(low), float(high))


def clustered_share_interval(counts: Sequence[tuple[int, int]]) -> Interval | None:
    """95% interval for a share pooled over documents, each given as (count, total): Wilson's
    interval on the effective sample size n / deff, where the design effect deff is the
    variance of the pooled share with documents as clusters (the ratio estimator's, by
    linearisation) over the binomial variance, and never taken below 1. When that variance
    cannot be estimated (fewer than two documents with a total, or none or all counted),
    Wilson's interval of the plain counts. None when the total is 0."""
    if any(not 0 <= c <= t for c, t in counts):
        raise ValueError(f"each count must lie between 0 and its total: {list(counts)}")
    kept = [(c, t) for c, t in counts if t > 0]
    count, total = sum(c for c, _ in kept), sum(t for _, t in kept)
    share = count / total if total else 0.0
    if len(kept) < 2 or count in (0, total):
        return share_interval(count, total)
    m = len(kept)
    residuals = np.array([c - share * t for c, t in kept], dtype=float)
    clustered = m / (m - 1) * float(np.sum(residuals**2)) / total**2
    effective = total if clustered == 0 else min(total, share * (1 - share) / clustered)
    low, high = proportion_confint(
        share * effective, effective, alpha=1 - CONFIDENCE, method="wilson"
    )
    return Interval(float(low), float(high))
