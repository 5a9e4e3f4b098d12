"""The prior re-estimated from the scored pairs: the model's own count of true pairs.

Splink's prior (the chance that two random records are the same person) is first set from
a deterministic rule and an *assumed* recall of that rule (``prior_recall``). The assumed
recall is a guess about the data: on heavily corrupted data (FEBRL) an exact match on
forename, surname and date of birth finds far fewer than the assumed share of true pairs,
the prior comes out too small, and every pair's probability with it.

Once m and u are trained, the model can count the true pairs itself: the expected number of
matches among the scored pairs is the sum of their match probabilities, and unscored pairs
(blocked out, or below ``predict_min_probability``) contribute almost nothing. Setting the
prior to that sum over all pairs, and repeating until it no longer moves, is the
expectation-maximisation update of the prior with m and u held fixed. Pairs left out can
only make the estimate smaller, so it errs towards fewer links.

Changing the prior moves every pair's match weight by the same amount (the difference of
the two prior log-odds), so the scored pairs are rescored here without predicting again.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa

MAX_ITERATIONS = 100
TOLERANCE = 1e-4  # relative change in the prior at which the iteration stops


def log2_odds(probability: float) -> float:
    return math.log2(probability / (1.0 - probability))


def self_consistent_prior(match_weight: pd.Series, prior: float, n_records: int) -> float:
    """The prior at which the scored pairs' expected number of matches, over all pairs of
    ``n_records`` records, equals the prior itself (see the module docstring)."""
    n_pairs = n_records * (n_records - 1) / 2
    if n_pairs <= 0 or len(match_weight) == 0:
        return prior
    evidence = match_weight.to_numpy(dtype="float64") - log2_odds(prior)
    estimate = prior
    for _ in range(MAX_ITERATIONS):
        probability = 1.0 / (1.0 + np.exp2(-(evidence + log2_odds(estimate))))
        updated = float(min(max(probability.sum() / n_pairs, 1.0 / n_pairs), 0.5))
        if abs(updated - estimate) <= TOLERANCE * estimate:
            return updated
        estimate = updated
    return estimate


def _rescored(weight: np.ndarray, old_prior: float, new_prior: float) -> np.ndarray:
    return weight + (log2_odds(new_prior) - log2_odds(old_prior))


def rescore(pairs: pd.DataFrame, old_prior: float, new_prior: float) -> pd.DataFrame:
    """``pairs`` with ``match_weight`` and ``match_probability`` under ``new_prior``."""
    weight = _rescored(pairs["match_weight"].to_numpy(dtype="float64"), old_prior, new_prior)
    return pairs.assign(match_weight=weight, match_probability=1.0 / (1.0 + np.exp2(-weight)))


def rescore_table(pairs: pa.Table, old_prior: float, new_prior: float) -> pa.Table:
    """:func:`rescore` for pairs in Arrow (the same values; the other columns untouched)."""
    weight = _rescored(
        pairs.column("match_weight").to_numpy().astype("float64"), old_prior, new_prior
    )
    for name, values in (
        ("match_weight", weight),
        ("match_probability", 1.0 / (1.0 + np.exp2(-weight))),
    ):
        pairs = pairs.set_column(pairs.column_names.index(name), name, pa.array(values))
    return pairs
