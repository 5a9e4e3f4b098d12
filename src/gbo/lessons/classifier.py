"""A few-shot, multi-label theme classifier: sentence embeddings from the packaged MiniLM
model and one seeded logistic regression per theme (scikit-learn, one-vs-rest).

It is trained on CPU, reproducibly, from data in the repository:

- the findings of the *train* digests in ``data/labelled_reviews.csv`` (their good-practice
  sentences as examples of no theme), the theme-free ``practice_statements.csv``, and each
  theme's definition and exemplar statements from the taxonomy;
- per-theme thresholds are then chosen on out-of-fold predictions for the training
  sentences (folds by document) together with the *dev* digests, each theme's best
  threshold shrunk towards the best single threshold in proportion to how few examples it
  has; the threshold for a theme that a keyword cue also finds (``keyword_floor``) is chosen
  the same way. The *test* digests are never read here.
"""

from __future__ import annotations

import hashlib
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
SHRINK = 5.0  # pseudo-examples pulling a theme's threshold towards the common one
FOLDS = 5
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
    notes: list[str] = field(default_factory=list)


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


def training_examples(taxonomy: Taxonomy) -> list[Example]:
    found = _body_sentences("train")
    found += [
        Example(text, frozenset(), f"practice:{i}") for i, text in enumerate(practice_statements())
    ]
    for theme in taxonomy.themes:
        for text in (theme.definition, *theme.exemplars):
            found.append(Example(text, frozenset({theme.theme_id}), "taxonomy"))
    return found


def _labels(examples: Sequence[Example], ids: list[str]) -> npt.NDArray[np.int_]:
    return np.array([[t in e.themes for t in ids] for e in examples], dtype=int)


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
        thresholds[theme_id] = round((n * best + SHRINK * common) / (n + SHRINK), 3)
    cut = np.array([thresholds[t] for t in ids])
    floor = float(max(FLOORS, key=lambda f: micro((probs >= cut) | (keywords & (probs >= f)))))
    states = y.max(axis=1) > 0

    def balanced_accuracy(g: float) -> float:
        passed = failure >= g
        return float((passed[states].mean() + (~passed[~states]).mean()) / 2)

    gate = float(max(GATES, key=balanced_accuracy))
    return Tuning(common, thresholds, floor, gate, 0, int(len(y)))


class ThemeClassifier:
    """Trained at construction (a few seconds on CPU); deterministic for a given seed."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        seed: int = 7,
        c: float = 3.0,
        balanced: bool = False,
        model: Embedder | None = None,
    ) -> None:
        from sklearn.model_selection import GroupKFold

        self.taxonomy = taxonomy
        self.ids = taxonomy.ids
        self.embedder = model or embedder()
        train = training_examples(taxonomy)
        x = self.embedder.embed([e.text for e in train]).astype(np.float64)
        y = _labels(train, self.ids)
        # column 0 of ``ya``: "states a failure" (any theme), the gate against good practice
        ya = np.hstack([y.max(axis=1, keepdims=True), y])
        texts = [e.text for e in train]
        self.models = _Models(seed, c, balanced).fit(texts, x, ya)

        out_of_fold = np.zeros_like(ya, dtype=np.float64)
        groups = [e.group for e in train]
        for fit_rows, held_rows in GroupKFold(n_splits=FOLDS).split(x, ya, groups):
            fold = _Models(seed, c, balanced).fit(
                [texts[i] for i in fit_rows], x[fit_rows], ya[fit_rows]
            )
            out_of_fold[held_rows] = fold.predict([texts[i] for i in held_rows], x[held_rows])
        keep = np.array([g != "taxonomy" for g in groups])
        dev = _body_sentences("dev")
        dev_x = self.embedder.embed([e.text for e in dev]).astype(np.float64)
        tune_texts = [e.text for e, k in zip(train, keep, strict=True) if k]
        tune_texts += [e.text for e in dev]
        tune_groups = [g for g, k in zip(groups, keep, strict=True) if k]
        tune_groups += [e.group for e in dev]
        probs = np.vstack([out_of_fold[keep], self.models.predict([e.text for e in dev], dev_x)])
        labels = np.vstack([y[keep], _labels(dev, self.ids)])
        self.tuning = _choose(
            probs[:, 1:],
            probs[:, 0],
            self.keyword_matrix(tune_texts),
            labels,
            tune_groups,
            self.ids,
        )
        self.tuning.n_train = len(train)
        digest = hashlib.sha256(
            "\n".join(f"{e.text}\t{sorted(e.themes)}" for e in train + dev).encode()
        ).hexdigest()[:16]
        self.tuning.fingerprint = f"{taxonomy.version}:{seed}:{c}:{balanced}:{digest}"
        self.thresholds = np.array([self.tuning.thresholds[t] for t in self.ids])

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
            "classifier": "one logistic regression per theme (scikit-learn, C=3), seeded",
            "training_examples": self.tuning.n_train,
            "tuning_sentences": self.tuning.n_tune,
            "common_threshold": self.tuning.common_threshold,
            "keyword_floor": self.tuning.keyword_floor,
            "failure_gate": self.tuning.failure_gate,
            "thresholds": self.tuning.thresholds,
            "fingerprint": self.tuning.fingerprint,
        }


@lru_cache(maxsize=2)
def theme_classifier(taxonomy: Taxonomy, seed: int = 7) -> ThemeClassifier:
    """One trained classifier per taxonomy and seed per process."""
    return ThemeClassifier(taxonomy, seed)
