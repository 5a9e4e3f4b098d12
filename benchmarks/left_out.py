"""Digests scored by a coder fitted without them, group by group, and pooled: the loop shared
by ``bench_digest_folds`` and ``bench_wording_folds``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from functools import partial

from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.coding import code_sentences
from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName
from gbo.lessons.evaluation import coded_paragraphs, digest_scores
from gbo.lessons.labelled import LabelledDocument
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy

# a group's label, its documents, and what keeps them out of the fit while it lasts
Group = tuple[str, Sequence[LabelledDocument], Callable[[], AbstractContextManager[None]]]


def score_each_left_out(
    groups: Iterable[Group], pooled: str, encoder: EncoderName = DEFAULT_ENCODER
) -> tuple[list[LabelledDocument], list[dict[str, frozenset[int]]]]:
    """Fit the classifier without each group (inside its context, which also covers the
    coding, so that anything fitted lazily while coding is fitted without it too), score the
    group by document through the real pipeline, print a line per group and one pooled.
    Returns every group's documents and where each theme was found in each."""
    taxonomy = load_taxonomy()
    settings = LessonsSettings(encoder=encoder)
    scored: list[LabelledDocument] = []  # every group's documents, and where each was coded
    located: list[dict[str, frozenset[int]]] = []
    for label, documents, without in groups:
        started = time.perf_counter()
        with without():
            classifier = ThemeClassifier(taxonomy, encoder=encoder)
            coder = partial(code_sentences, taxonomy, classifier=classifier)
            where = coded_paragraphs(taxonomy, documents, settings, coder)
        print(
            f"{label} ({len(documents)} documents): "
            f"{digest_scores(taxonomy.ids, documents, where).line()}; "
            f"fitted and scored in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        scored += documents
        located += where
    print(
        f"{pooled} ({len(scored)} documents): {digest_scores(taxonomy.ids, scored, located).line()}"
    )
    return scored, located
