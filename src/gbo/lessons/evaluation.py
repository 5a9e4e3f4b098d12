"""Measuring the coder on a labelled set: per-theme and micro precision, recall and F1."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from gbo.lessons.coding import EmbeddingCoder, code_sentences, split_sentences
from gbo.lessons.taxonomy import Taxonomy


@dataclass(frozen=True)
class LabelledPassage:
    passage_id: str
    themes: frozenset[str]
    text: str


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


def read_labelled_passages(path: Path) -> list[LabelledPassage]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            LabelledPassage(
                row["passage_id"], frozenset(t for t in row["themes"].split("|") if t), row["text"]
            )
            for row in csv.DictReader(fh)
        ]


def predict_passage_themes(
    taxonomy: Taxonomy, passages: list[LabelledPassage], embedder: EmbeddingCoder | None
) -> list[frozenset[str]]:
    """The themes the coder gives each passage (the union over its sentences)."""
    sentences: list[str] = []
    owner: list[int] = []
    for i, passage in enumerate(passages):
        for sentence in split_sentences(passage.text):
            sentences.append(sentence)
            owner.append(i)
    predicted: list[set[str]] = [set() for _ in passages]
    for i, codes in zip(owner, code_sentences(taxonomy, sentences, embedder), strict=True):
        predicted[i].update(c.theme_id for c in codes)
    return [frozenset(p) for p in predicted]


def score_predictions(
    taxonomy: Taxonomy, passages: list[LabelledPassage], predicted: list[frozenset[str]]
) -> tuple[dict[str, Scores], Scores]:
    """Per-theme scores and the micro average over all themes."""
    per_theme: dict[str, Scores] = {}
    pairs = list(zip(predicted, (g.themes for g in passages), strict=True))
    for theme_id in taxonomy.ids:
        tp = sum(theme_id in p and theme_id in g for p, g in pairs)
        fp = sum(theme_id in p and theme_id not in g for p, g in pairs)
        fn = sum(theme_id not in p and theme_id in g for p, g in pairs)
        per_theme[theme_id] = Scores(tp, fp, fn)
    micro = Scores(
        sum(s.true_positives for s in per_theme.values()),
        sum(s.false_positives for s in per_theme.values()),
        sum(s.false_negatives for s in per_theme.values()),
    )
    return per_theme, micro
