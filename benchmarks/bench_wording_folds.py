"""Lessons: the spent outside sets in people's wording, each scored by a coder fitted without it.

Since stop 49 the outside sets v6, v8, v9 and v10 (digests paraphrasing published reports
in their authors' wording) are training data, part of ``published_wording_reviews.csv``, so
the coder's scores of them are in-sample. This benchmark leaves one set out at a time: it
fits the classifier (theme models, thresholds, polarity gate and denial models alike)
without that set's digests, scores the set by document through the real pipeline, and pools
the four. It is what stands for those sets as outside figures
(docs/methodology/lessons-history.md, stop 49). About six minutes of CPU for the first fit
over mpnet on 2 cores and under two for each later one (the embedder keeps the vectors of
the texts it has embedded); nothing is saved. ``--encoder`` measures another sentence
model's coder.
"""

from __future__ import annotations

import argparse
import time
from functools import partial
from typing import get_args

from gbo.lessons import labelled
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.coding import code_sentences
from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName
from gbo.lessons.evaluation import coded_paragraphs, digest_scores
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy

# each spent set's digests in published_wording_reviews.csv, by the prefix of their doc_id
SETS = {"v6": ("p6a_", "p6b_"), "v8": ("p8a_", "p8b_"), "v9": ("p9a_", "p9b_"),
        "v10": ("p10a_", "p10b_")}  # fmt: skip


def main(encoder: EncoderName) -> None:
    taxonomy = load_taxonomy()
    settings = LessonsSettings(encoder=encoder)
    print(f"sentence model: {encoder}", flush=True)
    original = labelled._read
    every = labelled.published_wording_documents()
    scored: list[labelled.LabelledDocument] = []  # every set's documents, and where each was coded
    located: list[dict[str, frozenset[int]]] = []
    try:
        for name, prefixes in SETS.items():
            started = time.perf_counter()
            documents = [d for d in every if d.doc_id.startswith(prefixes)]

            def without(
                file: str, prefixes: tuple[str, ...] = prefixes
            ) -> tuple[labelled.LabelledParagraph, ...]:
                rows = original(file)
                if file != labelled.PUBLISHED_WORDING:
                    return rows
                return tuple(p for p in rows if not p.doc_id.startswith(prefixes))

            labelled._read = without  # type: ignore[assignment]
            classifier = ThemeClassifier(taxonomy, encoder=encoder)
            labelled._read = original
            coder = partial(code_sentences, taxonomy, classifier=classifier)
            where = coded_paragraphs(taxonomy, documents, settings, coder)
            print(
                f"lessons outside {name} in people's wording, left out ({len(documents)} "
                f"documents): {digest_scores(taxonomy.ids, documents, where).line()}; fitted "
                f"and scored in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            scored += documents
            located += where
    finally:
        labelled._read = original
    print(
        f"lessons spent sets in people's wording, each left out in turn ({len(scored)} "
        f"documents): {digest_scores(taxonomy.ids, scored, located).line()}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoder", choices=get_args(EncoderName), default=DEFAULT_ENCODER)
    main(parser.parse_args().encoder)
