"""Lessons: each read probe scored by a polarity gate trained without it (leave one probe out).

Since stop 32 the read probes v6 to v14 train the polarity gate, and since stop 34 the
denied-theme models (gbo.lessons.denied_themes), so the benchmark's own scores of them are
in-sample. This benchmark fits the classifier nine times, each time with one probe's rows
taken out of ``polarity_statements.csv`` (for the gate and for the denied-theme models), and
scores that probe: its false positives, the real themes of its mixed sentences, its positive
controls' themes, and the fit's cross-validated micro-F1 (thresholds out of fold). It asks
whether what the gate learns from eight writers holds for a ninth. About 80 s per fit on 2
cores once the first has made the embeddings (stop 53). Every fit is fresh; only the
sentences' embeddings are kept between fits, in a temporary folder. ``--encoder minilm``
measures the coder over the lighter sentence model (the default is mpnet since stop 48).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import get_args

from gbo.lessons import polarity
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.coding import code_sentences
from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName
from gbo.lessons.evaluation import (
    control_scores,
    mixed_scores,
    probe_false_positives,
    probe_file,
    read_probe,
)
from gbo.lessons.model_cache import ClassifierCache
from gbo.lessons.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parents[1] / "tests/data/lessons"
Statements = tuple[polarity.Statement, ...]


def read_probes(statements: Statements) -> list[int]:
    """The versions of the probes that train the gate (source ``read probe``, group
    ``v<n>:<id>``), as the training data holds them."""
    return sorted({int(s.group.split(":")[0][1:]) for s in statements if s.source == "read probe"})


def without(probe: int, statements: Statements) -> Callable[[], Statements]:
    """The rows of ``polarity_statements.csv`` with one read probe's (group ``v<n>:<id>``)
    left out: the gate's and the denied-theme models' training data alike read them."""
    return lambda: tuple(s for s in statements if not s.group.startswith(f"v{probe}:"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoder", choices=get_args(EncoderName), default=DEFAULT_ENCODER)
    encoder: EncoderName = parser.parse_args().encoder
    taxonomy = load_taxonomy()
    original = polarity.statements
    every = original()
    totals = [0, 0, 0, 0, 0]
    folder = tempfile.TemporaryDirectory(prefix="gbo-gate-probes-")
    try:
        for n in read_probes(every):
            started = time.perf_counter()
            polarity.statements = without(n, every)  # type: ignore[assignment]
            classifier = ThemeClassifier(
                taxonomy, cache=ClassifierCache(Path(folder.name)), encoder=encoder
            )
            assert not classifier.from_cache
            coder = partial(code_sentences, taxonomy, classifier=classifier)
            statements = read_probe(probe_file(DATA, n))
            controls_path = probe_file(DATA, n, controls=True)
            controls = read_probe(controls_path) if controls_path.exists() else []
            false = len(probe_false_positives(statements, coder))
            mixed = mixed_scores(statements, coder)
            found = control_scores(controls, coder) if controls else None
            cv = classifier.tuning.cross_validated["train+dev, thresholds out of fold"]
            figures = (
                false,
                mixed.themes_found,
                mixed.themes_wanted,
                found.themes_found if found else 0,
                found.themes_wanted if found else 0,
            )
            totals = [t + f for t, f in zip(totals, figures, strict=True)]
            print(
                f"lessons gate, v{n} left out: {false} false positive(s) of {len(statements)}, "
                f"mixed {figures[1]} of {figures[2]} real themes, controls {figures[3]} of "
                f"{figures[4]} themes; CV {cv:.3f}; "
                f"fitted in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    finally:
        polarity.statements = original
        folder.cleanup()
    print(
        f"lessons gate ({encoder}), every read probe left out in turn: "
        f"{totals[0]} false positive(s), mixed "
        f"{totals[1]} of {totals[2]} real themes, controls {totals[3]} of {totals[4]} themes"
    )


if __name__ == "__main__":
    main()
