"""Measuring the coder: per-theme and micro precision, recall and F1 by document on the
labelled digests (each split apart), and false positives on a negation probe.

Documents are measured through the real pipeline: each digest is written as a text file
into a temporary library and read, filtered, split and coded exactly as a user's review
would be. A document's predicted themes are those of any of its assignments.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gbo.errors import LessonsError
from gbo.lessons.analysis import SentenceCoder, code_library
from gbo.lessons.labelled import LabelledDocument
from gbo.lessons.library import read_library
from gbo.lessons.negation import analyse_many
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import Taxonomy


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


@dataclass(frozen=True)
class ProbeStatement:
    statement_id: str
    kind: str
    text: str


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
    micro = Scores(
        sum(s.true_positives for s in per_theme.values()),
        sum(s.false_positives for s in per_theme.values()),
        sum(s.false_negatives for s in per_theme.values()),
    )
    return per_theme, micro


def predict_documents(
    taxonomy: Taxonomy,
    documents: Sequence[LabelledDocument],
    settings: LessonsSettings,
    coder: SentenceCoder | None = None,
) -> list[frozenset[str]]:
    """The themes the pipeline finds in each digest."""
    with tempfile.TemporaryDirectory(prefix="gbo-lessons-eval-") as folder:
        library = Path(folder)
        with (library / "library.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "title", "area", "year", "review_type"])
            for doc in documents:
                (library / f"{doc.doc_id}.txt").write_text(doc.as_text(), encoding="utf-8")
                writer.writerow([f"{doc.doc_id}.txt", doc.source, "", "", ""])
        entries = read_library(library)
        coding = code_library(entries, taxonomy, settings, {}, coder=coder)
    by_file: dict[str, set[str]] = {f"{d.doc_id}.txt": set() for d in documents}
    for a in coding.assignments:
        by_file[str(a["file"])].add(str(a["theme_id"]))
    return [frozenset(by_file[f"{d.doc_id}.txt"]) for d in documents]


def read_probe(path: Path) -> list[ProbeStatement]:
    """Probe statements (columns statement_id, kind, text)."""
    if not path.is_file():
        raise LessonsError(
            "negation probe not found",
            hint="pass --probe with a CSV of statement_id, kind, text",
            path=path,
        )
    with path.open(encoding="utf-8", newline="") as fh:
        return [ProbeStatement(r["statement_id"], r["kind"], r["text"]) for r in csv.DictReader(fh)]


def probe_false_positives(
    statements: Sequence[ProbeStatement], coder: SentenceCoder
) -> list[tuple[ProbeStatement, list[str]]]:
    """Probe statements (negated or good practice) that were given any theme."""
    analysed = analyse_many([s.text for s in statements])
    flat = [sentence for sentences in analysed for sentence in sentences]
    owner = [i for i, sentences in enumerate(analysed) for _ in sentences]
    themes: list[set[str]] = [set() for _ in statements]
    for i, codes in zip(owner, coder(flat), strict=True):
        themes[i].update(c.theme_id for c in codes)
    return [(s, sorted(t)) for s, t in zip(statements, themes, strict=True) if t]
