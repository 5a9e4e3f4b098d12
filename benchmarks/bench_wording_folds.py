"""Lessons: the spent outside sets in people's wording, each scored by a coder fitted without it.

The outside sets v6 and v8 to v16 (digests paraphrasing published reports in their authors'
wording) are training data since stops 49 and 52, part of ``published_wording_reviews.csv``,
so the coder's scores of them are in-sample. This benchmark leaves one set out at a time: it
fits the classifier (theme models, thresholds, polarity gate and denial models alike)
without that set's digests, scores the set by document through the real pipeline, and pools
the ten. It is what stands for those sets as outside figures
(docs/methodology/lessons-history.md, stops 49 and 52). About eight minutes for the
first fit over mpnet on 2 cores and under three for each later one (the embedder keeps the
vectors of the texts it has embedded). ``--encoder`` measures another sentence model's coder.
``--write-accuracy`` also writes each theme's pooled counts, with the digest of the default
coder they describe, to the packaged ``theme_accuracy.json`` (gbo.lessons.theme_accuracy),
which the outputs show beside each theme's count.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import get_args

from benchmarks.left_out import score_each_left_out
from gbo.lessons import labelled
from gbo.lessons.analysis import trained_classifier
from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName
from gbo.lessons.labelled import LabelledDocument
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy
from gbo.lessons.theme_accuracy import ThemeAccuracy, measure, packaged_path


@contextmanager
def without(prefixes: tuple[str, ...]) -> Iterator[None]:
    """The digests in published wording without those whose doc_id starts with ``prefixes``."""
    original = labelled._read

    def read(file: str) -> tuple[labelled.LabelledParagraph, ...]:
        rows = original(file)
        if file != labelled.PUBLISHED_WORDING:
            return rows
        return tuple(p for p in rows if not p.doc_id.startswith(prefixes))

    labelled._read = read  # type: ignore[assignment]
    try:
        yield
    finally:
        labelled._read = original


def main(encoder: EncoderName, write_accuracy: bool = False) -> None:
    print(f"sentence model: {encoder}", flush=True)
    every = labelled.published_wording_documents()
    sets = [
        (
            f"lessons outside {name} in people's wording, left out",
            [d for d in every if d.doc_id.startswith(prefixes)],
            lambda prefixes=prefixes: without(prefixes),
        )
        for name, prefixes in labelled.SPENT_SETS.items()
    ]
    pooled = "lessons spent sets in people's wording, each left out in turn"
    scored, located = score_each_left_out(sets, pooled, encoder)
    if write_accuracy:
        write_theme_accuracy(scored, located, encoder)


def write_theme_accuracy(
    documents: list[LabelledDocument],
    located: list[dict[str, frozenset[int]]],
    encoder: EncoderName,
) -> None:
    """Each theme's counts over the sets left out, for the coder of these settings fitted on
    everything (the coder the outputs run)."""
    taxonomy = load_taxonomy()
    settings = LessonsSettings(encoder=encoder)
    coder = trained_classifier(taxonomy, settings)
    figures = ThemeAccuracy(
        inputs_digest=coder.inputs_digest,
        taxonomy_version=taxonomy.version,
        measured_on=(
            f"{len(documents)} digests of published reports on agencies' responses, "
            "paraphrased in their authors' wording and labelled by hand, in "
            f"{len(labelled.SPENT_SETS)} sets, each set coded by the coder fitted without it"
        ),
        documents=len(documents),
        themes=measure(taxonomy.ids, documents, [frozenset(w) for w in located]),
    )
    path = packaged_path()
    path.write_text(figures.model_dump_json(indent=1) + "\n", encoding="utf-8")
    print(path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoder", choices=get_args(EncoderName), default=DEFAULT_ENCODER)
    parser.add_argument(
        "--write-accuracy", action="store_true", help="write gbo/lessons/data/theme_accuracy.json"
    )
    arguments = parser.parse_args()
    if arguments.write_accuracy and arguments.encoder != DEFAULT_ENCODER:
        parser.error("--write-accuracy measures the default coder: leave --encoder out")
    main(arguments.encoder, arguments.write_accuracy)
