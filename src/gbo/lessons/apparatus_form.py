"""Apparatus recognised by its form: a second line behind the rules of gbo.lessons.findings.

The rules know apparatus by field names and a few shapes ("Published ...", "Jay, A. (2014)").
A citation, footnote or metadata line they do not know still *looks* unlike a finding: more
capitals, digits and punctuation, brackets round a year, initials, few of the short
lower-case words that carry a sentence. This module learns that look from the labelled lines,
word shapes only, never the words themselves: each token becomes its spaCy shape ("Jay" ->
"Xxx", "2014" -> "dddd", "A." -> "X."), lower-case words of up to three letters stay as they
are (they are the grammar of a sentence: "the", "was", "not"), and a seeded logistic
regression (scikit-learn) is fitted on word-shape n-grams of

- apparatus: the title, metadata and reference lines of the *train* and *dev* digests and
  ``apparatus_lines.csv`` (citations, footnotes, contents entries, page furniture, metadata
  lines written for this purpose);
- not apparatus: every finding, denial and good-practice paragraph of the train and dev
  digests, the theme-free practice statements, the polarity contrast set, and the taxonomy's
  definitions and exemplars.

A paragraph counts as apparatus when its probability reaches ``THRESHOLD``, set high so that
findings are kept: out of fold (five folds by group) no paragraph of the train and dev
digests that is a finding, a denial or good practice comes near it (the highest is 0.35;
``tests/lessons/test_apparatus_form.py``), and of the other prose only one taxonomy
definition written as a list reaches it. The test and sealed digests and the
probes are never read here.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Any

from gbo.lessons.labelled import (
    BODY_KINDS,
    TRAINING_SPLITS,
    labelled_documents,
    practice_statements,
)

APPARATUS_KINDS = ("title", "metadata", "reference")
THRESHOLD = 0.8
SEED = 7
C = 1.0


def shapes(text: str) -> str:
    """The text as word shapes, with short lower-case words kept and the ends marked."""
    tokenizer = _tokenizer()
    out = ["<s>"]
    for token in tokenizer(text):
        if token.is_space:
            continue
        word = token.text
        out.append(word if word.islower() and len(word) <= 3 else token.shape_)
    out.append("</s>")
    return " ".join(out)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


@lru_cache(maxsize=1)
def apparatus_lines() -> tuple[str, ...]:
    """The apparatus lines written for training (``apparatus_lines.csv``)."""
    data = resources.files("gbo.lessons") / "data" / "apparatus_lines.csv"
    with data.open(encoding="utf-8") as fh:
        return tuple(r["text"] for r in csv.DictReader(fh))


def training_lines() -> list[tuple[str, bool, str]]:
    """(text, is apparatus, group) of every line the model is fitted on."""
    from gbo.lessons.polarity import polarity_statements
    from gbo.lessons.taxonomy import load_taxonomy

    rows: list[tuple[str, bool, str]] = []
    for split in TRAINING_SPLITS:
        for d in labelled_documents(split):
            for p in d.paragraphs:
                if p.kind in APPARATUS_KINDS or p.kind in BODY_KINDS:
                    rows.append((p.text, p.kind in APPARATUS_KINDS, d.doc_id))
    rows += [(t, True, f"lines:{i // 5}") for i, t in enumerate(apparatus_lines())]
    rows += [(t, False, f"practice:{i // 5}") for i, t in enumerate(practice_statements())]
    rows += [(t, False, f"contrast:{g}") for g, _, _, t in polarity_statements()]
    for theme in load_taxonomy().themes:
        rows += [(t, False, "taxonomy") for t in (theme.definition, *theme.exemplars)]
    return rows


class FormModel:
    """Word-shape n-grams and one logistic regression."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(
            ngram_range=(1, 3), min_df=2, sublinear_tf=True, token_pattern=r"\S+", lowercase=False
        )
        self.model = LogisticRegression(
            C=C, class_weight="balanced", max_iter=3000, random_state=SEED
        )

    def fit(self, texts: list[str], apparatus: list[bool]) -> FormModel:
        features = self.vectorizer.fit_transform([shapes(t) for t in texts])
        self.model.fit(features, apparatus)
        return self

    def probability(self, texts: list[str]) -> list[float]:
        if not texts:
            return []
        features = self.vectorizer.transform([shapes(t) for t in texts])
        return [float(p) for p in self.model.predict_proba(features)[:, 1]]


@lru_cache(maxsize=1)
def form_model() -> FormModel:
    """The model fitted on every training line (well under a second)."""
    rows = training_lines()
    return FormModel().fit([r[0] for r in rows], [r[1] for r in rows])


def looks_like_apparatus(paragraphs: list[str]) -> list[bool]:
    """Whether each paragraph has the form of apparatus (probability >= ``THRESHOLD``)."""
    return [p >= THRESHOLD for p in form_model().probability(paragraphs)]
