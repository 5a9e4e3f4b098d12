"""Lessons: the training digests by other hands, each scored by a coder fitted without it.

The 150 digests by other hands (``other_hands_reviews.csv``) are training data, so the
benchmark's own scores of them are in-sample. This benchmark splits them into five folds by
document, fits the classifier (theme models, thresholds, polarity gate and denial models
alike) five times, each time without one fold's digests, and scores that fold by document:
micro-F1, the themes a digest only denies that it is given all the same, and how many of
those were found on the paragraph that denies them rather than on a finding elsewhere
(gbo.lessons.evaluation.denied_assigned_on_denial). The apparatus filter, which learns from
the digests' lines too, is refitted without the fold as well. It is the document-level
check, on readable digests, for a change to the coder or to its rules on documents: the
probes score sentences. About eight minutes for the first fit over mpnet on 2 cores (less
over MiniLM); nothing is saved, but the later folds reuse the embeddings the first one
computed (the embedder keeps them in memory).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.left_out import score_each_left_out
from gbo.lessons import apparatus_form, labelled

FOLDS = 5


@contextmanager
def without(held: frozenset[str]) -> Iterator[None]:
    """The labelled digests without ``held``; the apparatus filter, which learns their lines
    too, refitted without them."""
    original = labelled.labelled_paragraphs
    kept = tuple(p for p in original() if p.doc_id not in held)
    labelled.labelled_paragraphs = lambda: kept  # type: ignore[assignment]
    apparatus_form.form_model.cache_clear()
    try:
        yield
    finally:
        labelled.labelled_paragraphs = original
        apparatus_form.form_model.cache_clear()


def main() -> None:
    other = sorted(labelled.other_hands_ids())
    digests = labelled.labelled_documents()
    folds = []
    for k in range(FOLDS):
        held = frozenset(other[k::FOLDS])
        documents = [d for d in digests if d.doc_id in held]
        label = f"lessons digests by other hands, fold {k + 1} of {FOLDS} left out"
        folds.append((label, documents, lambda held=held: without(held)))
    score_each_left_out(folds, "lessons digests by other hands, each fold left out in turn")


if __name__ == "__main__":
    main()
