"""A few-shot, multi-label theme classifier: sentence embeddings from the packaged MiniLM
model and one seeded logistic regression per theme (scikit-learn, one-vs-rest).

It is trained on CPU, reproducibly, from data in the repository:

- the findings of the *train* and *dev* digests in ``data/labelled_reviews.csv`` (their
  good-practice sentences as examples of no theme), the theme-free
  ``practice_statements.csv``, and each theme's definition and exemplar statements;
- thresholds are chosen on out-of-fold predictions for every train and dev sentence (five
  folds by document, the theme-free statements and the taxonomy in every fit): each
  theme's best threshold shrunk towards the best common threshold by ``SHRINK``
  pseudo-examples (infinite: the common one for all); the threshold for a theme that a
  keyword cue also finds (``keyword_floor``) is chosen the same way, and the failure gate
  for balanced accuracy. The same out-of-fold predictions give the cross-validated micro-F1
  by document reported with the classifier (``cross_validated``), once with the thresholds
  chosen on them (optimistic) and once with thresholds chosen on the other folds
  ("thresholds out of fold"), the figure by which C and ``SHRINK`` were chosen. The
  *test* and *sealed* digests are never read here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from gbo.lessons.embedding import MODEL_NAME, Embedder, embedder
from gbo.lessons.findings import is_apparatus, is_finding
from gbo.lessons.labelled import labelled_documents, practice_statements
from gbo.lessons.negation import analyse_many
from gbo.lessons.taxonomy import Taxonomy, keyword_themes

GRID = np.round(np.arange(0.05, 0.951, 0.05), 2)
GATES = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FLOORS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 1.0)
# pseudo-examples pulling a theme's threshold towards the common one; infinite: one common
# threshold for every theme (chosen by the thresholds-out-of-fold figure, as is C)
SHRINK = math.inf
FOLDS = 5
TRAINING_SPLITS = ("train", "dev")
TFIDF_WEIGHT = 1.0

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    text: str
    themes: frozenset[str]
    group: str  # document id, "practice" or "taxonomy": folds never split a group


@dataclass
class Tuning:
    common_threshold: float
    thresholds: dict[str, float]
    keyword_floor: float
    failure_gate: float
    n_train: int
    n_tune: int
    fingerprint: str = ""
    cross_validated: dict[str, float] = field(default_factory=dict)  # out-of-fold micro-F1


def _body_sentences(split: str) -> list[Example]:
    """Affirmed text of each finding sentence of a split's digests, with its themes."""
    paragraphs = [
        p
        for d in labelled_documents(split)
        for p in d.paragraphs
        if p.kind in ("finding", "negated", "good_practice") and not is_apparatus(p.text)
    ]
    found: list[Example] = []
    for para, sentences in zip(paragraphs, analyse_many([p.text for p in paragraphs]), strict=True):
        for sentence in sentences:
            text = sentence.affirmed_text
            if text and is_finding(sentence.text):
                found.append(Example(text, para.themes, para.doc_id))
    return found


def _fixed_examples(taxonomy: Taxonomy) -> list[Example]:
    """Examples in every fit: the theme-free statements, each definition and exemplar."""
    found = [
        Example(text, frozenset(), f"practice:{i}") for i, text in enumerate(practice_statements())
    ]
    for theme in taxonomy.themes:
        for text in (theme.definition, *theme.exemplars):
            found.append(Example(text, frozenset({theme.theme_id}), "taxonomy"))
    return found


def training_examples(taxonomy: Taxonomy) -> list[Example]:
    """Everything the final classifier is fitted on: the train and dev digests' sentences,
    the theme-free statements, and the taxonomy."""
    labelled = [e for split in TRAINING_SPLITS for e in _body_sentences(split)]
    return labelled + _fixed_examples(taxonomy)


def _labels(examples: Sequence[Example], ids: list[str]) -> npt.NDArray[np.int_]:
    return np.array([[t in e.themes for t in ids] for e in examples], dtype=int)


def _with_failure(y: npt.NDArray[np.int_]) -> npt.NDArray[np.int_]:
    return np.hstack([y.max(axis=1, keepdims=True), y])


def _document_f1(
    assigned: npt.NDArray[np.bool_], y: npt.NDArray[np.int_], groups: Sequence[str]
) -> float:
    """Micro-F1 by document: a theme counts once per document."""
    names = sorted(set(groups))
    member = np.array([[g == n for g in groups] for n in names], dtype=np.int_)
    found = (member @ assigned.astype(np.int_)) > 0
    gold = (member @ y) > 0
    return _f1(
        float((found & gold).sum()), float((found & ~gold).sum()), float((~found & gold).sum())
    )


class _Models:
    """One logistic regression per column of ``y`` over the sentence embedding joined with
    word and word-pair TF-IDF features (a constant for a column with no examples). The
    embedding carries the topic; the TF-IDF features carry the wording that tells a failure
    ("not", "no", "lack") from good practice ("promptly", "every")."""

    def __init__(self, seed: int, c: float, balanced: bool) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.seed, self.c, self.balanced = seed, c, balanced
        self.vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True
        )
        self.models: list[object] = []

    def _features(self, texts: Sequence[str], x: Matrix, fit: bool = False) -> Matrix:
        words = self.vectorizer.fit_transform(texts) if fit else self.vectorizer.transform(texts)
        return np.hstack([x, TFIDF_WEIGHT * words.toarray()])

    def fit(self, texts: Sequence[str], x: Matrix, y: npt.NDArray[np.int_]) -> _Models:
        from sklearn.linear_model import LogisticRegression

        features = self._features(texts, x, fit=True)
        for k in range(y.shape[1]):
            if y[:, k].min() == y[:, k].max():
                self.models.append(float(y[0, k]))
                continue
            model = LogisticRegression(
                C=self.c,
                class_weight="balanced" if self.balanced else None,
                max_iter=2000,
                random_state=self.seed,
            )
            self.models.append(model.fit(features, y[:, k]))
        return self

    def predict(self, texts: Sequence[str], x: Matrix) -> Matrix:
        features = self._features(texts, x)
        out = np.zeros((x.shape[0], len(self.models)))
        for k, model in enumerate(self.models):
            if isinstance(model, float):
                out[:, k] = model
            else:
                out[:, k] = model.predict_proba(features)[:, 1]  # type: ignore[attr-defined]
        return out


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _choose(
    probs: Matrix,
    failure: npt.NDArray[np.float64],
    keywords: npt.NDArray[np.bool_],
    y: npt.NDArray[np.int_],
    groups: Sequence[str],
    ids: list[str],
) -> Tuning:
    """Thresholds that maximise F1 *by document*: a theme counts once per document however
    many of its sentences carry it, as in the outputs and the evaluation."""
    names = sorted(set(groups))
    member = np.array([[g == n for g in groups] for n in names], dtype=np.int_)
    gold = (member @ y) > 0

    def by_doc(assigned: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        return (member @ assigned.astype(np.int_)) > 0

    def micro(assigned: npt.NDArray[np.bool_]) -> float:
        found = by_doc(assigned)
        return _f1(
            float((found & gold).sum()),
            float((found & ~gold).sum()),
            float((~found & gold).sum()),
        )

    common = float(max(GRID, key=lambda t: micro(probs >= t)))
    thresholds: dict[str, float] = {}
    for k, theme_id in enumerate(ids):
        truth = gold[:, k]
        scores = []
        for t in GRID:
            found = by_doc((probs[:, k] >= t)[:, None])[:, 0]
            scores.append(
                _f1((found & truth).sum(), (found & ~truth).sum(), (~found & truth).sum())
            )
        best = float(GRID[int(np.argmax(scores))])
        n = float(truth.sum())
        shrunk = common if math.isinf(SHRINK) else (n * best + SHRINK * common) / (n + SHRINK)
        thresholds[theme_id] = round(shrunk, 3)
    cut = np.array([thresholds[t] for t in ids])
    floor = float(max(FLOORS, key=lambda f: micro((probs >= cut) | (keywords & (probs >= f)))))
    states = y.max(axis=1) > 0

    def balanced_accuracy(g: float) -> float:
        passed = failure >= g
        return float((passed[states].mean() + (~passed[~states]).mean()) / 2)

    gate = float(max(GATES, key=balanced_accuracy))
    return Tuning(common, thresholds, floor, gate, 0, int(len(y)))


def _thresholds_out_of_fold(
    out_of_fold: Matrix,
    keywords: npt.NDArray[np.bool_],
    y: npt.NDArray[np.int_],
    groups: Sequence[str],
    ids: list[str],
) -> npt.NDArray[np.bool_]:
    """Assignments of every labelled sentence with thresholds, floor and gate chosen on the
    *other* folds' out-of-fold predictions: an estimate free of the optimism of choosing
    thresholds on the sentences they are scored on (the figure to compare settings by)."""
    from sklearn.model_selection import GroupKFold

    found = np.zeros(y.shape, dtype=bool)
    probs, failure = out_of_fold[:, 1:], out_of_fold[:, 0]
    for fit, held in GroupKFold(n_splits=FOLDS).split(probs, groups=groups):
        tuning = _choose(
            probs[fit], failure[fit], keywords[fit], y[fit], [groups[i] for i in fit], ids
        )
        cut = np.array([tuning.thresholds[t] for t in ids])
        hit = (probs[held] >= cut) | (keywords[held] & (probs[held] >= tuning.keyword_floor))
        found[held] = hit & (failure[held] >= tuning.failure_gate)[:, None]
    return found


class ThemeClassifier:
    """Trained at construction (a few seconds on CPU); deterministic for a given seed."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        seed: int = 7,
        c: float = 10.0,
        balanced: bool = False,
        model: Embedder | None = None,
    ) -> None:
        from sklearn.model_selection import GroupKFold

        self.taxonomy = taxonomy
        self.ids = taxonomy.ids
        self.c = c
        self.embedder = model or embedder()
        labelled = [e for split in TRAINING_SPLITS for e in _body_sentences(split)]
        fixed = _fixed_examples(taxonomy)
        train = labelled + fixed
        texts = [e.text for e in train]
        x = self.embedder.embed(texts).astype(np.float64)
        # column 0: "states a failure" (any theme), the gate against good practice
        ya = _with_failure(_labels(train, self.ids))
        self.models = _Models(seed, c, balanced).fit(texts, x, ya)

        # out-of-fold probabilities for every labelled sentence: folds by document, the
        # theme-free statements and the taxonomy always among the fitted rows
        n = len(labelled)
        groups = [e.group for e in labelled]
        out_of_fold = np.zeros((n, ya.shape[1]))
        for fit_rows, held_rows in GroupKFold(n_splits=FOLDS).split(x[:n], groups=groups):
            rows = np.concatenate([fit_rows, np.arange(n, len(train))])
            fold = _Models(seed, c, balanced).fit([texts[i] for i in rows], x[rows], ya[rows])
            out_of_fold[held_rows] = fold.predict([texts[i] for i in held_rows], x[held_rows])
        keywords = self.keyword_matrix(texts[:n])
        self.tuning = _choose(
            out_of_fold[:, 1:], out_of_fold[:, 0], keywords, ya[:n, 1:], groups, self.ids
        )
        self.thresholds = np.array([self.tuning.thresholds[t] for t in self.ids])
        assigned = self.assign(out_of_fold[:, 1:], out_of_fold[:, 0], keywords)
        honest = _thresholds_out_of_fold(out_of_fold, keywords, ya[:n, 1:], groups, self.ids)
        # kept for diagnostics: every train and dev sentence's out-of-fold scores and labels
        self.out_of_fold, self.out_of_fold_groups = out_of_fold, groups
        self.out_of_fold_keywords, self.out_of_fold_labels = keywords, ya[:n, 1:]
        split_of = {d.doc_id: d.split for d in labelled_documents()}
        for name, wanted, found in (
            ("train+dev", TRAINING_SPLITS, assigned),
            ("dev", ("dev",), assigned),
            ("train+dev, thresholds out of fold", TRAINING_SPLITS, honest),
        ):
            picked = [i for i, g in enumerate(groups) if split_of[g] in wanted]
            self.tuning.cross_validated[name] = round(
                _document_f1(found[picked], ya[picked, 1:], [groups[i] for i in picked]), 3
            )
        self.tuning.n_train = len(train)
        digest = hashlib.sha256(
            "\n".join(f"{e.text}\t{sorted(e.themes)}" for e in train).encode()
        ).hexdigest()[:16]
        self.tuning.fingerprint = f"{taxonomy.version}:{seed}:{c}:{balanced}:{digest}"

    def assign(
        self, probs: Matrix, failure: npt.NDArray[np.float64], keywords: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.bool_]:
        """Which themes each text is given: its threshold reached, or a keyword cue and the
        keyword floor reached; nothing below the failure gate."""
        found = (probs >= self.thresholds) | (keywords & (probs >= self.tuning.keyword_floor))
        return found & (failure >= self.tuning.failure_gate)[:, None]

    def keyword_matrix(self, texts: Sequence[str]) -> npt.NDArray[np.bool_]:
        return np.array(
            [[t in keyword_themes(self.taxonomy, s) for t in self.ids] for s in texts],
            dtype=bool,
        ).reshape(len(texts), len(self.ids))

    def probabilities(self, texts: Sequence[str]) -> tuple[Matrix, npt.NDArray[np.float64]]:
        """Per text: each theme's probability, and the probability that it states a failure."""
        if not texts:
            return np.zeros((0, len(self.ids))), np.zeros(0)
        both = self.models.predict(texts, self.embedder.embed(list(texts)).astype(np.float64))
        return both[:, 1:], both[:, 0]

    def describe(self) -> dict[str, object]:
        return {
            "model": MODEL_NAME,
            "classifier": f"one logistic regression per theme (scikit-learn, C={self.c:g}), seeded",
            "training_examples": self.tuning.n_train,
            "tuning_sentences": self.tuning.n_tune,
            "common_threshold": self.tuning.common_threshold,
            "keyword_floor": self.tuning.keyword_floor,
            "failure_gate": self.tuning.failure_gate,
            "thresholds": self.tuning.thresholds,
            "fingerprint": self.tuning.fingerprint,
            "cross_validated_micro_f1": self.tuning.cross_validated,
        }


@lru_cache(maxsize=2)
def theme_classifier(taxonomy: Taxonomy, seed: int = 7) -> ThemeClassifier:
    """One trained classifier per taxonomy and seed per process."""
    return ThemeClassifier(taxonomy, seed)
