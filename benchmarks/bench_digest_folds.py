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
probes score sentences. About six minutes of CPU for the first fit over mpnet on 2 cores
(two over MiniLM); nothing is saved, but the later folds reuse the embeddings the first one
computed (the embedder keeps them in memory).
"""

from __future__ import annotations

import time
from functools import partial

from gbo.lessons import apparatus_form, labelled
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.coding import code_sentences
from gbo.lessons.evaluation import coded_paragraphs, digest_scores
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy

FOLDS = 5


def main() -> None:
    taxonomy = load_taxonomy()
    settings = LessonsSettings()
    original = labelled.labelled_paragraphs
    every = original()
    other = sorted(labelled.other_hands_ids())
    digests = labelled.labelled_documents()
    scored: list[labelled.LabelledDocument] = []  # every fold's documents, and where each was coded
    located: list[dict[str, frozenset[int]]] = []
    try:
        for k in range(FOLDS):
            started = time.perf_counter()
            held = frozenset(other[k::FOLDS])
            kept = tuple(p for p in every if p.doc_id not in held)
            labelled.labelled_paragraphs = lambda kept=kept: kept  # type: ignore[assignment]
            apparatus_form.form_model.cache_clear()  # the apparatus filter learns lines too
            classifier = ThemeClassifier(taxonomy)
            documents = [d for d in digests if d.doc_id in held]
            coder = partial(code_sentences, taxonomy, classifier=classifier)
            where = coded_paragraphs(taxonomy, documents, settings, coder)
            labelled.labelled_paragraphs = original
            print(
                f"lessons digests by other hands, fold {k + 1} of {FOLDS} left out "
                f"({len(documents)} documents): "
                f"{digest_scores(taxonomy.ids, documents, where).line()}; "
                f"fitted and scored in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            scored += documents
            located += where
    finally:
        labelled.labelled_paragraphs = original
        apparatus_form.form_model.cache_clear()
    print(
        f"lessons digests by other hands, each fold left out in turn ({len(scored)} documents): "
        f"{digest_scores(taxonomy.ids, scored, located).line()}"
    )


if __name__ == "__main__":
    main()
