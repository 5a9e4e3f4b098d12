"""The polarity gate: does a clause state a failing, or good practice or a denial of one?

Negex (gbo.lessons.negation) drops clauses whose denial it recognises by its cue lists. The
gate is the learned second line: a seeded logistic regression (scikit-learn) over

- the clause's sentence embedding (the encoder shared with the theme classifier),
  which carries what is being described ("promptly", "every", "trusted" against "delay",
  "dismissed");
- the embedding of the words in a negator's scope alone (zero when there are none): what is
  said *not* to have happened. A failing denied ("not ignored") and a practice denied ("not
  shared") differ here, and since this is a separate block of features the regression can
  weigh it against the clause's own meaning, also for failure words it was never shown;
- word and word-pair TF-IDF features of the clause with every word in a negator's scope
  marked (``Clause.marked``: "were not ignored" reads "were not not_ignored"), so that the
  regression can learn that a negated failure word is a denial and a negated practice word
  ("not_shared", "not_followed") a failing, for any cue, not only those in the lists.

It is trained on labelled clauses:

- the sentences of the *train* and *dev* digests and, when the coder learns from them
  (``published_wording``, since stop 52), of the digests in published wording (findings:
  failing; good practice and denials: not failing; a denial is also given as its whole
  sentence, so the gate learns denial wording that Negex already knows as well as what is
  left of it);
- the theme-free ``practice_statements.csv`` (not failing) and each theme's definition and
  exemplars (failing);
- ``polarity_statements.csv``: a contrast set of small groups of sentences on one subject
  (a failing stated with a negation, the same failing denied, and in most groups the same
  practice done well); the tuned negation probes, the first and v5 (all not failing); and the
  read probes v6 to v14, whose denials, good practice and hedges are not failing and whose
  positive controls are failing (their mixed sentences, which are both, are left out). The
  read probes' rows, mixed ones included, also carry the themes each states and denies,
  which train the denied-theme models (gbo.lessons.denied_themes), not the gate.
- ``polarity_statements.csv`` also holds four *training probes* (source ``training probe``,
  written in stop 39 in four registers): their rows carry the themes they state and deny
  and train the denied-theme and theme-location models only. They do not train the gate
  (:data:`DENIALS_ONLY`): measured with each read probe left out, the gate trained on them
  as well lost 7 control themes and 2 mixed themes for 3 fewer false positives.

The threshold is a declared setting, :data:`GATE`. Out-of-fold probabilities (five folds by
group: a digest, a contrast group, a statement) give the figures reported with it. The test
and sealed digests and the probes still scored as tests are never read here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from gbo.lessons.findings import is_apparatus, is_finding
from gbo.lessons.labelled import (
    BODY_KINDS,
    TRAINING_SPLITS,
    LabelledDocument,
    LabelledParagraph,
    labelled_documents,
    practice_statements,
    published_wording_documents,
    theme_ids,
)
from gbo.lessons.model_cache import Arrays, restore_regression, restore_tfidf, tfidf_state
from gbo.lessons.negation import analyse_many
from gbo.lessons.taxonomy import Taxonomy

# A clause is a failing when the gate's probability reaches this. Chosen by scoring each read
# probe v6-v14 with a gate trained on the other eight (stop 32): at 0.55 / 0.60 / the gate
# of best out-of-fold balanced accuracy (0.40-0.50) they gave 30 / 28 / 38 false positives
# and 209 / 206 / 211 control themes. Balanced accuracy weighs a failing missed the same as
# good practice coded, which the probes' target of no false positive does not; 0.60 saves two
# false positives for 3 control themes, 4 mixed themes and 0.8 points of CV.
GATE = 0.55
FOLDS = 5
# chosen by out-of-fold balanced accuracy (C = 1 / 3 / 10: 0.852 / 0.860 / 0.871); checked
# again after the clauses of stop 25 (C = 3 / 10 / 30: 0.872 / 0.875 / 0.880, within noise)
# and with the read probes, leaving one out at a time (stop 32; C = 3 / 10 / 30: 32 / 30 / 33
# false positives, 207 / 209 / 209 control themes)
C = 10.0
SCOPE_PREFIX = "not_"
CHUNK = 2048  # rows scored at a time
# sources of polarity_statements.csv that train the denied-theme models but not the gate
DENIALS_ONLY = frozenset({"training probe"})

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PolarityExample:
    text: str  # what the embedding reads
    marked: str  # what the TF-IDF features read (negation scope marked)
    failing: bool
    group: str  # folds never split a group
    source: str  # digest, practice, taxonomy, contrast set, tuned probe, read probe


@dataclass(frozen=True)
class Statement:
    """A row of ``polarity_statements.csv``. A read probe's row also names the themes it
    states as failings (``themes``) and those its denial, good practice or hedge is about
    (``denied``); its mixed sentences, both at once, have the polarity ``mixed``."""

    group: str
    source: str
    polarity: str  # failing, not_failing or mixed
    text: str
    themes: frozenset[str]
    denied: frozenset[str]


@lru_cache(maxsize=1)
def statements() -> tuple[Statement, ...]:
    """Every row of ``polarity_statements.csv``."""
    data = resources.files("gbo.lessons") / "data" / "polarity_statements.csv"
    with data.open(encoding="utf-8") as fh:
        return tuple(
            Statement(
                r["group"],
                r["source"],
                r["polarity"],
                r["text"],
                theme_ids(r["themes"]),
                theme_ids(r["denied"]),
            )
            for r in csv.DictReader(fh)
        )


def polarity_statements() -> tuple[tuple[str, str, bool, str], ...]:
    """(group, source, failing, text) of each statement that trains the gate (not mixed, and
    not of a source in :data:`DENIALS_ONLY`)."""
    return tuple(
        (s.group, s.source, s.polarity == "failing", s.text)
        for s in statements()
        if s.polarity != "mixed" and s.source not in DENIALS_ONLY
    )


def theme_statements() -> tuple[Statement, ...]:
    """The statements labelled with the themes they state or deny (gbo.lessons.denied_themes)."""
    return tuple(s for s in statements() if s.themes or s.denied)


def _body_paragraphs(documents: Sequence[LabelledDocument]) -> Iterator[LabelledParagraph]:
    """The paragraphs of ``documents`` that the coder reads as body text: findings, denials,
    good practice and hedges that the filters do not take for apparatus."""
    return (
        p
        for d in documents
        for p in d.paragraphs
        if p.kind in BODY_KINDS and not is_apparatus(p.text)
    )


def digest_denials(published_wording: bool) -> tuple[Statement, ...]:
    """With ``published_wording``, the body paragraphs of the digests in published wording
    that deny a theme (good practice, hedges, denials, and findings that also deny one), as
    statements for the denied-theme models (since stop 52): each denies the themes of its
    ``denied`` column and, if it is a finding, states its own."""
    if not published_wording:
        return ()
    return tuple(
        Statement(
            p.doc_id,
            "digest",
            "mixed" if p.kind == "finding" else "not_failing",
            p.text,
            p.themes if p.kind == "finding" else frozenset(),
            p.denied,
        )
        for p in _body_paragraphs(published_wording_documents())
        if p.denied
    )


def _from_texts(
    rows: Sequence[tuple[str, bool, str, str]],
) -> list[PolarityExample]:
    """Examples from (text, failing, group, source): the affirmed clauses of each, and for a
    sentence that is not failing and has a clause Negex negates, the whole sentence too."""
    found: list[PolarityExample] = []
    for (_, failing, group, source), sentences in zip(
        rows, analyse_many([r[0] for r in rows]), strict=True
    ):
        for sentence in sentences:
            if not is_finding(sentence.text):
                continue
            if sentence.affirmed_text:
                found.append(
                    PolarityExample(
                        sentence.affirmed_text, sentence.affirmed_marked, failing, group, source
                    )
                )
            if sentence.negated and not failing:
                found.append(
                    PolarityExample(sentence.text, sentence.marked, failing, group, source)
                )
    return found


def polarity_examples(taxonomy: Taxonomy, published_wording: bool) -> list[PolarityExample]:
    """Every labelled clause the gate is fitted on (see the module's docstring); with
    ``published_wording``, the digests in published wording's too."""
    documents = [d for split in TRAINING_SPLITS for d in labelled_documents(split)]
    if published_wording:
        documents += published_wording_documents()
    rows: list[tuple[str, bool, str, str]] = [
        (p.text, p.kind == "finding", p.doc_id, "digest") for p in _body_paragraphs(documents)
    ]
    rows += [(t, False, f"practice:{i}", "practice") for i, t in enumerate(practice_statements())]
    rows += [
        (text, True, f"taxonomy:{theme.theme_id}", "taxonomy")
        for theme in taxonomy.themes
        for text in (theme.definition, *theme.exemplars)
    ]
    rows += [
        (text, failing, group, source) for group, source, failing, text in polarity_statements()
    ]
    return _from_texts(rows)


def scope_text(marked: str) -> str:
    """The words of a marked clause that lie in a negator's scope ('' when none do)."""
    return " ".join(w[len(SCOPE_PREFIX) :] for w in marked.split() if w.startswith(SCOPE_PREFIX))


def vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+")


class PolarityGate:
    """One logistic regression: the probability that a clause states a failing, from the
    clause's embedding ``x``, its scope's embedding ``scope`` and its marked words."""

    def __init__(self, seed: int, c: float = C) -> None:
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = vectorizer()
        self.model = LogisticRegression(
            C=c, class_weight="balanced", max_iter=3000, random_state=seed
        )

    def _features(
        self, marked: Sequence[str], x: Matrix, scope: Matrix, fit: bool = False
    ) -> Matrix:
        words = self.vectorizer.fit_transform(marked) if fit else self.vectorizer.transform(marked)
        return np.hstack([x, scope, words.toarray()])

    def fit(
        self, marked: Sequence[str], x: Matrix, scope: Matrix, failing: npt.NDArray[np.int_]
    ) -> PolarityGate:
        self.model.fit(self._features(marked, x, scope, fit=True), failing)
        return self

    def predict(self, marked: Sequence[str], x: Matrix, scope: Matrix) -> npt.NDArray[np.float64]:
        found = np.zeros(len(marked))
        for start in range(0, len(marked), CHUNK):  # slices: dense features stay small
            rows = slice(start, start + CHUNK)
            features = self._features(marked[rows], x[rows], scope[rows])
            found[rows] = self.model.predict_proba(features)[:, 1]
        return found

    def state(self) -> Arrays:
        return {
            "coef": self.model.coef_[0],
            "intercept": self.model.intercept_,
        } | tfidf_state(self.vectorizer)

    def restore(self, arrays: Arrays) -> PolarityGate:
        """This (unfitted) gate given a saved :meth:`state`."""
        restore_tfidf(self.vectorizer, arrays["terms"], arrays["idf"])
        self.model = restore_regression(arrays["coef"], arrays["intercept"])
        return self


def out_of_fold(
    examples: Sequence[PolarityExample], x: Matrix, scope: Matrix, seed: int, c: float = C
) -> npt.NDArray[np.float64]:
    """Each example's probability from a gate fitted without its group (five folds)."""
    return out_of_fold_with(examples, x, scope, seed, c)[0]


def out_of_fold_with(
    examples: Sequence[PolarityExample],
    x: Matrix,
    scope: Matrix,
    seed: int,
    c: float = C,
    extra: tuple[Sequence[str], Matrix, Matrix, Sequence[str]] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """:func:`out_of_fold`, and the probabilities of ``extra`` rows (marked text, embedding,
    scope embedding, group) from the gate of the fold that holds out their group (rows of a
    group no fold holds out get NaN)."""
    from sklearn.model_selection import GroupKFold

    y = np.array([e.failing for e in examples], dtype=int)
    marked = [e.marked for e in examples]
    groups = [e.group for e in examples]
    found = np.zeros(len(examples))
    more = np.full(len(extra[0]) if extra else 0, np.nan)
    for fit, held in GroupKFold(n_splits=FOLDS).split(x, groups=groups):
        gate = PolarityGate(seed, c).fit([marked[i] for i in fit], x[fit], scope[fit], y[fit])
        found[held] = gate.predict([marked[i] for i in held], x[held], scope[held])
        if extra:
            out = {groups[i] for i in held}
            rows = [i for i, g in enumerate(extra[3]) if g in out]
            if rows:
                more[rows] = gate.predict(
                    [extra[0][i] for i in rows], extra[1][rows], extra[2][rows]
                )
    return found, more


def balanced_accuracy(
    probs: npt.NDArray[np.float64], failing: npt.NDArray[np.bool_], gate: float
) -> float:
    """The mean of the recall of failings and of the rest when ``gate`` divides them."""
    from sklearn.metrics import balanced_accuracy_score

    return float(balanced_accuracy_score(failing, probs >= gate))


def figures(
    examples: Sequence[PolarityExample], probs: npt.NDArray[np.float64], gate: float
) -> dict[str, float]:
    """Out-of-fold balanced accuracy, and the share of each source's clauses on the wrong
    side of the gate."""
    failing = np.array([e.failing for e in examples])
    found: dict[str, float] = {
        "balanced accuracy": round(balanced_accuracy(probs, failing, gate), 3)
    }
    for source in sorted({e.source for e in examples}):
        for label, want in (("failing", True), ("not failing", False)):
            rows = np.array([e.source == source and e.failing == want for e in examples])
            if rows.any():
                wrong = (probs[rows] >= gate) != want
                found[f"{source}, {label}: wrong side of the gate"] = round(float(wrong.mean()), 3)
    return found
