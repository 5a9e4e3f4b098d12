"""Where in a sentence does a coded theme come from: its failing part, or the part that denies
or praises it?

The denied-theme models (gbo.lessons.denied_themes) read a sentence's words theme by theme,
each from some 20 denials. This model asks a question that does not depend on the theme or
on the words, so that every theme's labelled sentences teach it together: *where* does the
theme classifier find the theme? A sentence is read in several views, and the classifier's
probability of the theme in each is compared:

- the whole sentence, and its affirmed part (what Negex did not drop);
- its negated or speculative clauses alone, and the words in a negator's scope alone (when
  it has any): a theme found there more than in the affirmed part is what is denied;
- for a sentence of two or more affirmed clauses, the clauses the polarity gate passes
  (failings) and those it does not (good practice, a denial the cues missed): a theme found
  only in the second kind is not the sentence's failing.

One seeded logistic regression (scikit-learn, balanced classes) over these thirteen figures
(probabilities as log-odds, standardised) is fitted on the same labelled sentences as the
denied-theme models: the statements of the read and training probes (a theme of the
``denied`` column is denied, one of ``themes`` stated) and the findings of the train and dev
digests (stated). A coded theme is dropped when its probability of being denied reaches
:data:`DROP`, besides the denied-theme models' own rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gbo.lessons.model_cache import Arrays
from gbo.lessons.negation import Sentence
from gbo.lessons.polarity import scope_text

Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

# a coded theme is dropped when its probability of being denied reaches this. Chosen by
# scoring each read probe v6-v14 with the models fitted without it (stop 36): at 0.5 / 0.6 /
# 0.7 / 0.8 the false positives went from 25 to 22 / 22 / 22 / 23, the mixed sentences' real
# themes from 66 of 157 to 64 / 65 / 65 / 65 and the control themes from 209 of 283 to
# 208 / 209 / 209 / 209; v15-v18, scored by the fit on v6-v14, did not move (10 / 26 / 93)
DROP = 0.7
# C = 0.1 / 1 / 10 gave 23 / 22 / 22 false positives at 0.7, no control theme lost
C = 1.0
EMPTY = -9.0  # the log-odds given to a view a sentence does not have (about 1e-4)
FEATURES = 13


@dataclass(frozen=True)
class Views:
    """The theme classifier's probabilities (one per theme) for the views of one sentence,
    and the polarity gate's for its affirmed part and clauses."""

    whole: Vector
    affirmed: Vector  # zeros when every clause is negated
    affirmed_gate: float
    negated: Vector | None = None  # its negated or speculative clauses, when it has any
    scope: Vector | None = None  # the words in a negator's scope, when there are any
    clauses: tuple[tuple[Vector, float], ...] = ()  # two or more affirmed clauses, else none


# (texts, marked texts) -> each text's theme probabilities and gate probability
Scorer = Callable[[list[str], list[str]], tuple[Matrix, Vector]]


def view_texts(sentence: Sentence) -> list[tuple[str, str, str]]:
    """(view, text, marked text) of each view a sentence has (see the module's docstring)."""
    found = [("whole", sentence.text, sentence.marked)]
    if sentence.affirmed_text:
        found.append(("affirmed", sentence.affirmed_text, sentence.affirmed_marked))
    dropped = [c for c in sentence.clauses if not c.affirmed]
    negated = " ".join(c.text for c in dropped).strip()
    if negated:
        found.append(("negated", negated, " ".join(c.marked for c in dropped if c.marked)))
    scope = scope_text(sentence.marked)
    if scope:
        found.append(("scope", scope, scope))
    clauses = sentence.affirmed_clauses
    if len(clauses) > 1:
        found += [(f"clause {j}", c.text, c.marked) for j, c in enumerate(clauses)]
    return found


def sentence_views(sentences: Sequence[Sentence], score: Scorer) -> list[Views]:
    """Each sentence's views, every view's text scored in one call of ``score`` (the theme
    classifier's ``probabilities``)."""
    at = [(i, *view) for i, sentence in enumerate(sentences) for view in view_texts(sentence)]
    if not at:
        return []
    probs, gate = score([text for _, _, text, _ in at], [mark for _, _, _, mark in at])
    parts: list[dict[str, tuple[Vector, float]]] = [{} for _ in sentences]
    for (i, name, _, _), p, g in zip(at, probs, gate, strict=True):
        parts[i][name] = (p, float(g))
    none = (np.zeros(probs.shape[1]), 0.0)
    return [
        Views(
            whole=part["whole"][0],
            affirmed=part.get("affirmed", none)[0],
            affirmed_gate=part.get("affirmed", none)[1],
            negated=part["negated"][0] if "negated" in part else None,
            scope=part["scope"][0] if "scope" in part else None,
            clauses=tuple(v for name, v in part.items() if name.startswith("clause")),
        )
        for part in parts
    ]


def log_odds(p: float) -> float:
    q = min(max(float(p), 1e-4), 1 - 1e-4)
    return float(np.log(q / (1 - q)))


def pair_features(views: Views, k: int, gate: float) -> Vector:
    """The thirteen figures of theme ``k`` in one sentence (see the module's docstring);
    ``gate`` is the polarity gate's threshold."""
    whole, affirmed = log_odds(views.whole[k]), log_odds(views.affirmed[k])
    found = [
        whole,
        affirmed,
        log_odds(views.negated[k]) if views.negated is not None else 0.0,
        float(views.negated is not None),
        log_odds(views.scope[k]) if views.scope is not None else 0.0,
        float(views.scope is not None),
        whole - affirmed,
    ]
    if views.clauses:
        failing = [p[k] for p, g in views.clauses if g >= gate]
        other = [p[k] for p, g in views.clauses if g < gate]
        best_gate = max(views.clauses, key=lambda c: float(c[0][k]))[1]
        found += [
            1.0,
            log_odds(max(failing)) if failing else EMPTY,
            log_odds(max(other)) if other else EMPTY,
            best_gate,
            float(bool(failing)),
            float(bool(other)),
        ]
    else:
        g = views.affirmed_gate
        found += [0.0, affirmed, EMPTY, g, float(g >= gate), float(g < gate)]
    return np.array(found, dtype=np.float64)


class ThemeLocation:
    """One regression over every (sentence, theme) pair: the probability that the sentence
    denies, praises or wonders about the theme rather than stating it as a failing."""

    def __init__(self, seed: int, gate: float) -> None:
        self.seed, self.gate = seed, gate
        self.coef = np.zeros(FEATURES)
        self.intercept = 0.0
        self.mean = np.zeros(FEATURES)
        self.scale = np.ones(FEATURES)

    def fit(
        self,
        views: Sequence[Views],
        stated: npt.NDArray[np.bool_],
        denied: npt.NDArray[np.bool_],
    ) -> ThemeLocation:
        """``stated`` and ``denied``: sentences × themes, which themes each states as a
        failing and which it denies."""
        from sklearn.linear_model import LogisticRegression

        pairs = np.argwhere(stated | denied)
        x = np.array([pair_features(views[i], k, self.gate) for i, k in pairs])
        y = denied[pairs[:, 0], pairs[:, 1]].astype(int)
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0) + 1e-9
        model = LogisticRegression(
            C=C, class_weight="balanced", max_iter=5000, random_state=self.seed
        ).fit((x - self.mean) / self.scale, y)
        self.coef, self.intercept = model.coef_[0], float(model.intercept_[0])
        return self

    def predict(self, views: Views, themes: Sequence[int] | npt.NDArray[np.intp]) -> Vector:
        """The probability that the sentence denies each of ``themes`` (indices)."""
        from scipy.special import expit

        if not len(themes):
            return np.zeros(0)
        x = np.array([pair_features(views, k, self.gate) for k in themes])
        return np.asarray(expit(((x - self.mean) / self.scale) @ self.coef + self.intercept))

    def state(self) -> Arrays:
        return {
            "coef": self.coef,
            "intercept": np.array([self.intercept]),
            "mean": self.mean,
            "scale": self.scale,
        }

    def restore(self, arrays: Arrays) -> ThemeLocation:
        """This (unfitted) model given a saved :meth:`state`."""
        self.coef = np.asarray(arrays["coef"], dtype=np.float64)
        self.intercept = float(np.asarray(arrays["intercept"])[0])
        self.mean = np.asarray(arrays["mean"], dtype=np.float64)
        self.scale = np.asarray(arrays["scale"], dtype=np.float64)
        if self.coef.shape != (FEATURES,):
            raise ValueError("the saved theme-location model has other features")
        return self
