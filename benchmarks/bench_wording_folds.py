"""Lessons: the spent outside sets in people's wording, each scored by a coder fitted without it.

The outside sets v6 and v8 to v16 (digests paraphrasing published reports in their authors'
wording) are training data since stops 49 and 52, part of ``published_wording_reviews.csv``,
so the coder's scores of them are in-sample. This benchmark leaves one set out at a time: it
fits the classifier (theme models, thresholds, polarity gate and denial models alike)
without that set's digests, scores the set by document through the real pipeline, and pools
the ten. It is what stands for those sets as outside figures
(docs/methodology/lessons-history.md, stops 49 and 52). About eight minutes for the
first fit over mpnet on 2 cores and under three for each later one (the embedder keeps the
vectors of the texts it has embedded); nothing is saved. ``--encoder`` measures another
sentence model's coder.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import get_args

from benchmarks.left_out import score_each_left_out
from gbo.lessons import labelled
from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName

# each spent set's digests in published_wording_reviews.csv, by the prefix of their doc_id
SETS = {f"v{n}": (f"p{n}a_", f"p{n}b_") for n in (6, *range(8, 17))}


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


def main(encoder: EncoderName) -> None:
    print(f"sentence model: {encoder}", flush=True)
    every = labelled.published_wording_documents()
    sets = [
        (
            f"lessons outside {name} in people's wording, left out",
            [d for d in every if d.doc_id.startswith(prefixes)],
            lambda prefixes=prefixes: without(prefixes),
        )
        for name, prefixes in SETS.items()
    ]
    pooled = "lessons spent sets in people's wording, each left out in turn"
    score_each_left_out(sets, pooled, encoder)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoder", choices=get_args(EncoderName), default=DEFAULT_ENCODER)
    main(parser.parse_args().encoder)
