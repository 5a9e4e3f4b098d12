"""The theme models of the classifier (gbo.lessons.classifier): one seeded logistic
regression per theme over a sentence's embedding and its word and word-pair TF-IDF features,
with the arrays that save and restore them (gbo.lessons.model_cache)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from gbo.lessons.model_cache import Arrays, restore_regression, restore_tfidf, tfidf_state
from gbo.lessons.training_data import Example

TFIDF_WEIGHT = 1.0
CHUNK = 2048  # rows scored at a time

Matrix = npt.NDArray[np.float64]


def theme_labels(examples: Sequence[Example], ids: list[str]) -> npt.NDArray[np.int_]:
    return np.array([[t in e.themes for t in ids] for e in examples], dtype=int)


class ThemeModels:
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

    def _features(self, texts: Sequence[str], x: Matrix, fit: bool = False) -> Any:
        """The embedding joined with the TF-IDF features, kept sparse: of some 12,000 columns
        a sentence fills the embedding's 768 and a few dozen words' (stop 53: the six fits of
        a training took 40 s, against 175 s over the dense matrix, to the same probabilities)."""
        from scipy import sparse

        words = self.vectorizer.fit_transform(texts) if fit else self.vectorizer.transform(texts)
        return sparse.hstack([sparse.csr_matrix(x), TFIDF_WEIGHT * words], format="csr")

    def fit(self, texts: Sequence[str], x: Matrix, y: npt.NDArray[np.int_]) -> ThemeModels:
        from sklearn.linear_model import LogisticRegression

        features = self._features(texts, x, fit=True)
        self.width = features.shape[1]
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
        """Probabilities, in slices of ``CHUNK`` rows so that the features of a large library
        are never held at once."""
        out = np.zeros((x.shape[0], len(self.models)))
        for start in range(0, x.shape[0], CHUNK):
            rows = slice(start, start + CHUNK)
            features = self._features(texts[rows], x[rows])
            for k, model in enumerate(self.models):
                if isinstance(model, float):
                    out[rows, k] = model
                else:
                    out[rows, k] = model.predict_proba(features)[:, 1]  # type: ignore[attr-defined]
        return out

    def state(self) -> Arrays:
        """The fitted state as arrays (a constant column has NaN coefficients)."""
        constant = np.array([m if isinstance(m, float) else np.nan for m in self.models])
        coef = np.full((len(self.models), self.width), np.nan)
        intercept = np.full(len(self.models), np.nan)
        for k, model in enumerate(self.models):
            if not isinstance(model, float):
                coef[k] = model.coef_[0]  # type: ignore[attr-defined]
                intercept[k] = model.intercept_[0]  # type: ignore[attr-defined]
        return {"constant": constant, "coef": coef, "intercept": intercept} | tfidf_state(
            self.vectorizer
        )

    def restore(self, arrays: Arrays) -> ThemeModels:
        """This (unfitted) set of models given a saved :meth:`state`."""
        restore_tfidf(self.vectorizer, arrays["terms"], arrays["idf"])
        self.width = arrays["coef"].shape[1]
        self.models = [
            float(arrays["constant"][k])
            if not np.isnan(arrays["constant"][k])
            else restore_regression(arrays["coef"][k], arrays["intercept"][k])
            for k in range(len(arrays["constant"]))
        ]
        return self
