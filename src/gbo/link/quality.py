"""Linkage quality against ground truth: pairwise and cluster precision, recall and F1.

* **pairwise** - the links the model accepted (pairs at or above the match threshold, after
  review decisions) against the true pairs (records of the same true person);
* **cluster** - every pair of records put in the same person by clustering (so links made
  by chaining count too) against the true pairs. This is the figure that matters downstream:
  a false merge here is a false co-offender link.

Only synthetic or benchmark data has ground truth; real runs report the subgroup audit only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scores:
    true_positives: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "f1": round(self.f1, 6),
        }


def _pairs_within(n: pd.Series) -> int:
    values = n.to_numpy(dtype=np.int64)
    return int((values * (values - 1) // 2).sum())


def cluster_scores(predicted: pd.DataFrame, truth: pd.DataFrame) -> Scores:
    """Pairs implied by predicted clusters against pairs implied by true entities.

    ``predicted``: ``unique_id``, ``cluster_id``; ``truth``: ``unique_id``, ``entity_id``.
    Records missing from ``truth`` are ignored.
    """
    both = predicted.merge(truth, on="unique_id", how="inner")
    tp = _pairs_within(both.groupby(["cluster_id", "entity_id"]).size())
    return Scores(
        tp,
        _pairs_within(both.groupby("cluster_id").size()),
        _pairs_within(both.groupby("entity_id").size()),
    )


def true_pair_flags(pairs: pd.DataFrame, truth: pd.DataFrame) -> pd.Series:
    """For each pair (``unique_id_l``, ``unique_id_r``): are both records the same true person?"""
    lookup = truth.set_index("unique_id")["entity_id"]
    left = pairs["unique_id_l"].map(lookup)
    right = pairs["unique_id_r"].map(lookup)
    return (left == right) & left.notna()


def pairwise_scores(accepted: pd.DataFrame, truth: pd.DataFrame) -> Scores:
    """Accepted links (``unique_id_l``, ``unique_id_r``) against all true pairs."""
    both = truth[truth["unique_id"].notna()]
    actual = _pairs_within(both.groupby("entity_id").size())
    tp = int(true_pair_flags(accepted, truth).sum())
    return Scores(tp, len(accepted), actual)
