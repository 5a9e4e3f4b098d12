"""Theme by theme: is a theme a sentence speaks of stated as a failing, or only denied?

The polarity gate (gbo.lessons.polarity) asks one question of every clause, whatever its
theme: does it state a failing at all? A sentence that passes it can still name a theme only
to deny it, praise the practice or wonder about it, beside a failing or in wording the gate
takes for one ("support did not stop at eighteen: transitions were planned"). This model asks
the narrower question per theme: *given that the sentence speaks of theme t*, is t denied?

One seeded logistic regression per theme (scikit-learn, balanced classes), over the whole
sentence (negated clauses included: the denial is the evidence) as its sentence embedding and
its scope-marked words (``Sentence.marked``, as the gate reads them), fitted on the sentences
that speak of the theme:

- the statements of the read probes and of the training probes tp1-tp4 in
  ``polarity_statements.csv`` (``theme_statements``): a denial, good practice or hedge
  denies the themes of its ``denied`` column; a positive control or a mixed sentence states
  those of its ``themes`` column as failings, and a mixed sentence also denies those of its
  ``denied`` column;
- each finding of the train and dev digests (and, when they train the coder, of the digests
  in published wording), a failing for each of its themes;
- when the digests in published wording train the coder (since stop 52), each of their body
  paragraphs that names themes it denies (``polarity.digest_denials``), read as one sentence:
  good practice, a hedge or a denial denies them, and a finding also states its own.

A theme with fewer than ``MIN_EACH`` sentences on either side gets no model and is never
dropped. A theme the classifier codes in a sentence is dropped when the sentence's
probability of denying it reaches :data:`DENIED` (gbo.lessons.coding).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gbo.lessons.model_cache import Arrays, restore_tfidf, tfidf_state
from gbo.lessons.polarity import vectorizer

Matrix = npt.NDArray[np.float64]

# a coded theme is dropped when the sentence denies it with this probability. Chosen by
# scoring each read probe v6-v14 with the models fitted without it (stop 34): at 0.7 / 0.75 /
# 0.8 / 0.9 the false positives went from 30 to 25 / 25 / 26 / 28 and the control themes from
# 209 to 206 / 209 / 209 / 209 of 283 (docs/methodology/lessons-history.md)
DENIED = 0.75
# chosen with DENIED, the same way: C = 1 / 10 / 100 gave 25 false positives and 208 control
# themes at 0.6 / 25 and 209 at 0.75 / 26 and 209 at 0.9
C = 10.0
MIN_EACH = 2  # sentences on each side for a theme to get a model


class DeniedThemes:
    """One regression per theme: the probability that a sentence speaking of the theme
    denies it rather than stating it as a failing (see the module's docstring)."""

    def __init__(self, ids: Sequence[str], seed: int) -> None:
        self.ids = list(ids)
        self.seed = seed
        self.vectorizer = vectorizer()
        self.coef = np.zeros((len(self.ids), 0))
        self.intercept = np.zeros(len(self.ids))
        self.fitted = np.zeros(len(self.ids), dtype=bool)

    def _features(self, marked: Sequence[str], x: Matrix, fit: bool = False) -> Matrix:
        words = self.vectorizer.fit_transform(marked) if fit else self.vectorizer.transform(marked)
        return np.hstack([x, words.toarray()])

    def fit(
        self,
        marked: Sequence[str],
        x: Matrix,
        stated: npt.NDArray[np.bool_],
        denied: npt.NDArray[np.bool_],
    ) -> DeniedThemes:
        """``stated`` and ``denied``: sentences × themes, which themes each states as a
        failing and which it denies."""
        from sklearn.linear_model import LogisticRegression

        features = self._features(marked, x, fit=True)
        self.coef = np.zeros((len(self.ids), features.shape[1]))
        for k in range(len(self.ids)):
            rows = stated[:, k] | denied[:, k]
            sides = denied[rows, k]
            if min(int(sides.sum()), int((~sides).sum())) < MIN_EACH:
                continue
            model = LogisticRegression(
                C=C, class_weight="balanced", max_iter=3000, random_state=self.seed
            ).fit(features[rows], sides.astype(int))
            self.coef[k], self.intercept[k] = model.coef_[0], model.intercept_[0]
            self.fitted[k] = True
        return self

    def predict(self, marked: Sequence[str], x: Matrix) -> Matrix:
        """Per sentence and theme, the probability that the sentence denies the theme (zero
        for a theme without a model)."""
        from scipy.special import expit

        if not len(marked):
            return np.zeros((0, len(self.ids)))
        found = expit(self._features(marked, x) @ self.coef.T + self.intercept)
        return np.where(self.fitted, found, 0.0)

    def state(self) -> Arrays:
        return {
            "coef": self.coef,
            "intercept": self.intercept,
            "fitted": self.fitted,
        } | tfidf_state(self.vectorizer)

    def restore(self, arrays: Arrays) -> DeniedThemes:
        """This (unfitted) model given a saved :meth:`state`."""
        restore_tfidf(self.vectorizer, arrays["terms"], arrays["idf"])
        self.coef = np.asarray(arrays["coef"], dtype=np.float64)
        self.intercept = np.asarray(arrays["intercept"], dtype=np.float64)
        self.fitted = np.asarray(arrays["fitted"], dtype=bool)
        if self.coef.shape[0] != len(self.ids) or len(self.fitted) != len(self.ids):
            raise ValueError("the saved denied-theme models are for other themes")
        return self
