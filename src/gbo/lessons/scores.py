"""Counting a coder's themes against the labels: true and false positives and false
negatives, per theme and pooled over all themes (micro), and the figures drawn from them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_sets(
    ids: Sequence[str], gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]
) -> tuple[dict[str, Scores], Scores]:
    """Per-theme scores and the micro average over all themes."""
    pairs = list(zip(predicted, gold, strict=True))
    per_theme = {
        t: Scores(
            sum(t in p and t in g for p, g in pairs),
            sum(t in p and t not in g for p, g in pairs),
            sum(t not in p and t in g for p, g in pairs),
        )
        for t in ids
    }
    return per_theme, pooled(per_theme.values())


def pooled(scores: Iterable[Scores]) -> Scores:
    """The counts summed: micro-averaging over themes, or over documents."""
    every = list(scores)
    return Scores(
        sum(s.true_positives for s in every),
        sum(s.false_positives for s in every),
        sum(s.false_negatives for s in every),
    )


def document_scores(
    ids: Sequence[str], gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]
) -> list[Scores]:
    """Each document's own counts, pooled over its themes: summed, they give
    :func:`score_sets`'s micro counts."""
    return [score_sets(ids, [g], [p])[1] for g, p in zip(gold, predicted, strict=True)]
