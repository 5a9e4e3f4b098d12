"""Coding sentences against the taxonomy.

A sentence is first cut into clauses and its negated clauses dropped (gbo.lessons.negation):
what is left is coded. The trained classifier (gbo.lessons.classifier) gives each theme a
probability; a theme is assigned when the probability reaches the theme's threshold, or when
a keyword cue of the theme matches and the probability reaches the lower keyword floor
(cues recover paraphrases the classifier is unsure of, but never assign a theme the
classifier finds implausible). The polarity gate (gbo.lessons.polarity) gives the probability
that the text states a failing at all, rather than good practice or a denial; below its
tuned threshold nothing is assigned. A theme named only in a good-practice clause of a
sentence that also states a failing is vetoed (gbo.lessons.clause_gate), and a sentence the
gate refuses as a whole is still coded from a clause that alone clearly states a failing
(rescued, also there). Last, a theme that the whole sentence, negated clauses included, only
denies is dropped (gbo.lessons.denied_themes), as is one found where the sentence denies or
praises rather than where it states its failing (gbo.lessons.theme_location). A sentence can
receive several themes.
Without the classifier (``use_embeddings = false``) the keyword cues alone code the affirmed
clauses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.clause_gate import rescue_matrix, veto_matrix, without_vetoed
from gbo.lessons.negation import Clause, Sentence
from gbo.lessons.taxonomy import Taxonomy, keyword_themes

METHODS = ("classifier+keyword", "classifier", "keyword")


@dataclass(frozen=True)
class Code:
    theme_id: str
    method: str  # one of METHODS
    score: float  # the classifier's probability (1.0 for keyword cues alone)


def _split(sentence: Sentence) -> tuple[Clause, ...]:
    """A sentence's affirmed clauses when it has two or more, else none."""
    clauses = sentence.affirmed_clauses
    return clauses if len(clauses) > 1 else ()


def code_sentences(
    taxonomy: Taxonomy, sentences: Sequence[Sentence], classifier: ThemeClassifier | None
) -> list[list[Code]]:
    """The codes of each sentence, from its affirmed clauses only."""
    texts = [s.affirmed_text for s in sentences]
    live = [i for i, t in enumerate(texts) if t]
    result: list[list[Code]] = [[] for _ in sentences]
    if classifier is None:
        for i in live:
            result[i] = [
                Code(t, "keyword", 1.0) for t in sorted(keyword_themes(taxonomy, texts[i]))
            ]
        return result
    live_texts = [texts[i] for i in live]
    marked = [sentences[i].affirmed_marked for i in live]
    # each affirmed clause of a sentence that has two or more is judged too (clause_gate)
    split = [_split(sentences[i]) for i in live]
    owner = [row for row, parts in enumerate(split) for _ in parts]
    clauses = [c for parts in split for c in parts]
    clause_texts = [c.text for c in clauses]
    all_probs, all_failure = classifier.probabilities(
        live_texts + clause_texts, marked + [c.marked for c in clauses]
    )
    probs, failure = all_probs[: len(live)], all_failure[: len(live)]
    clause_probs, clause_failure = all_probs[len(live) :], all_failure[len(live) :]
    gate = classifier.tuning.failure_gate
    vetoed = veto_matrix(len(live), owner, clause_probs, clause_failure, clause_texts, gate)
    # a sentence the gate refused as a whole, coded from its clearly failing clauses
    rescued, best = rescue_matrix(
        failure, owner, clause_probs, clause_failure, clause_texts, gate, classifier.thresholds
    )
    cues = np.zeros(probs.shape, dtype=bool)
    passed = np.flatnonzero(failure >= gate)
    cues[passed] = classifier.keyword_matrix([live_texts[i] for i in passed])
    probs, cues = without_vetoed(probs, cues, vetoed)
    assigned = classifier.assign(probs, failure, cues)
    # a theme the sentence only denies is dropped (denied_themes, theme_location)
    coded = np.flatnonzero((assigned | rescued).any(axis=1))
    denied = classifier.denied([sentences[live[row]] for row in coded], (assigned | rescued)[coded])
    assigned[coded] &= ~denied
    rescued[coded] &= ~denied
    for row, i in enumerate(live):
        for k in np.flatnonzero(assigned[row]):
            if probs[row, k] >= classifier.thresholds[k]:
                method = "classifier+keyword" if cues[row, k] else "classifier"
            else:
                method = "keyword"
            result[i].append(Code(classifier.ids[k], method, float(probs[row, k])))
        result[i] += [
            Code(classifier.ids[k], "classifier", float(best[row, k]))
            for k in np.flatnonzero(rescued[row])
        ]
    return result
