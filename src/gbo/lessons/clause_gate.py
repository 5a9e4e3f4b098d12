"""Clause by clause: a theme named only in a sentence's good-practice clause is not given.

Negex drops the clauses whose denial it recognises (gbo.lessons.negation), and the polarity
gate judges what is left as a whole. A sentence that joins good practice to a failing passes
the gate because of its failing clause, and the theme classifier, reading the whole sentence,
may then also give the theme of the good-practice clause: in "Return interviews were held
after every episode, but what the young people said was never passed to the police" the
missing-episodes theme belongs to the part that went well.

So, when a sentence has two or more affirmed clauses, each is also judged alone. A theme is
*vetoed* for the sentence when

- some clause falls below the gate (read as not stating a failing) and some clause reaches
  it (the failing);
- every failing clause is *self-contained*: after its connective ("but", "although", ...) it
  opens with a word that can begin a subject, not with a pronoun, an auxiliary, a
  preposition or a verb ("but were not acted on", "but they were ignored", "instead of
  action" leave their subject to the clause before, which then carries the theme); and
- no failing clause alone gives the theme the probability ``SUPPORT``, while a clause below
  the gate gives it at least as much.

The other way round, a sentence whose good-practice clause pulls the whole below the gate
would lose its failing clause ("While the coordinator analysed patterns diligently, the
strategic group never discussed her reports"). Such a sentence is *rescued*: a
self-contained clause that alone reaches ``RESCUE_GATE`` gives the themes it alone gives a
probability of at least ``RESCUE_SUPPORT`` (and its theme's threshold). Only sentences the
gate refused as a whole are rescued, so a sentence the gate passes is coded as before.

Whether a clause opens a subject is judged from its first word only (the pipeline has no
parser): a heuristic, described with its misses in the methodology.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

# a failing clause alone supports a theme at this probability (the classifier's common
# threshold has been 0.1 since the thresholds were first tuned)
SUPPORT = 0.1
# a clause rescues a sentence refused as a whole when it alone reaches this gate probability,
# and gives the themes it alone supports at this probability (chosen on the read probes v6 to
# v10, where neither level is on an edge: docs/methodology/lessons-history.md)
RESCUE_GATE = 0.7
RESCUE_SUPPORT = 0.2

# words that join a clause to the one before it, skipped when finding a clause's first word
CONNECTIVES = frozenset(
    {
        "but", "yet", "although", "though", "while", "whilst", "whereas", "however", "even",
        "so", "and", "nevertheless", "except", "instead", "apart", "aside", "still",
    }
)  # fmt: skip
# first words that leave the clause's subject to the clause before it
ELLIPTICAL = frozenset(
    {
        # pronouns and relatives
        "they", "it", "this", "these", "those", "he", "she", "we", "them", "which", "who",
        "whom", "that", "there",
        # auxiliaries, negators, adverbs
        "was", "were", "is", "are", "had", "has", "have", "did", "does", "do", "could",
        "would", "should", "might", "may", "can", "will", "been", "being", "not", "never",
        "also", "then", "only", "often", "rarely", "seldom",
        # prepositions
        "of", "on", "in", "at", "for", "to", "by", "with", "from", "about", "into", "after",
        "before", "during", "without", "than",
        # common irregular verbs of findings
        "felt", "took", "made", "gave", "saw", "left", "went", "led", "kept", "knew", "got",
        "remained", "became", "seemed", "appeared", "failed",
    }
)  # fmt: skip


def first_word(text: str) -> str:
    """The clause's first word after its connectives and punctuation ('' when none)."""
    for word in text.lower().replace(",", " ").replace(";", " ").replace(":", " ").split():
        word = word.strip("-–—()\"'")
        if word and word not in CONNECTIVES:
            return word
    return ""


def self_contained(text: str) -> bool:
    """Whether a clause opens with a word that can begin its own subject (see the module's
    docstring): not a pronoun, auxiliary, preposition or verb, nor a word ending in "-ed"."""
    word = first_word(text)
    return bool(word) and word not in ELLIPTICAL and not word.endswith("ed")


def vetoed_themes(
    clause_probs: Matrix,
    clause_failure: npt.NDArray[np.float64],
    clause_texts: Sequence[str],
    gate: float,
) -> npt.NDArray[np.bool_]:
    """The themes vetoed for one sentence given its affirmed clauses' theme probabilities
    (clauses × themes), gate probabilities and texts (see the module's docstring)."""
    vetoed = np.zeros(clause_probs.shape[1], dtype=bool)
    if len(clause_texts) < 2:
        return vetoed
    failing = clause_failure >= gate
    if failing.all() or not failing.any():
        return vetoed
    if not all(self_contained(clause_texts[int(j)]) for j in np.flatnonzero(failing)):
        return vetoed
    supported = clause_probs[failing].max(axis=0)
    elsewhere = clause_probs[~failing].max(axis=0)
    vetoed[:] = (supported < SUPPORT) & (elsewhere >= supported)
    return vetoed


def rescued_themes(
    sentence_failure: float,
    clause_probs: Matrix,
    clause_failure: npt.NDArray[np.float64],
    clause_texts: Sequence[str],
    gate: float,
    thresholds: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.bool_], Matrix]:
    """The themes a sentence refused by the gate as a whole is given by its failing clauses
    (see the module's docstring), with each theme's best clause probability."""
    best = np.zeros(clause_probs.shape[1])
    if sentence_failure >= gate or len(clause_texts) < 2:
        return best > 0, best
    for j, text in enumerate(clause_texts):
        if clause_failure[j] >= RESCUE_GATE and self_contained(text):
            best = np.maximum(best, clause_probs[j])
    return (best >= thresholds) & (best >= RESCUE_SUPPORT), best


def without_vetoed(
    probs: Matrix, cues: npt.NDArray[np.bool_], vetoed: npt.NDArray[np.bool_]
) -> tuple[Matrix, npt.NDArray[np.bool_]]:
    """Theme probabilities and keyword cues with the vetoed themes taken out."""
    return np.where(vetoed, 0.0, probs), cues & ~vetoed


def clauses_by_sentence(owner: Sequence[int]) -> dict[int, list[int]]:
    """The rows of each sentence's clauses, given each clause's sentence (``owner``)."""
    rows_of: dict[int, list[int]] = {}
    for j, i in enumerate(owner):
        rows_of.setdefault(int(i), []).append(j)
    return rows_of


def veto_matrix(
    n_sentences: int,
    owner: Sequence[int],
    clause_probs: Matrix,
    clause_failure: npt.NDArray[np.float64],
    clause_texts: Sequence[str],
    gate: float,
) -> npt.NDArray[np.bool_]:
    """:func:`vetoed_themes` for many sentences: ``owner`` gives each clause's sentence."""
    found = np.zeros((n_sentences, clause_probs.shape[1]), dtype=bool)
    for i, rows in clauses_by_sentence(owner).items():
        found[i] = vetoed_themes(
            clause_probs[rows], clause_failure[rows], [clause_texts[j] for j in rows], gate
        )
    return found


def rescue_matrix(
    sentence_failure: npt.NDArray[np.float64],
    owner: Sequence[int],
    clause_probs: Matrix,
    clause_failure: npt.NDArray[np.float64],
    clause_texts: Sequence[str],
    gate: float,
    thresholds: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.bool_], Matrix]:
    """:func:`rescued_themes` for many sentences, whose gate probabilities are
    ``sentence_failure``: ``owner`` gives each clause's sentence."""
    rescued = np.zeros((len(sentence_failure), clause_probs.shape[1]), dtype=bool)
    best = np.zeros(rescued.shape)
    for i, rows in clauses_by_sentence(owner).items():
        rescued[i], best[i] = rescued_themes(
            float(sentence_failure[i]), clause_probs[rows], clause_failure[rows],
            [clause_texts[j] for j in rows], gate, thresholds,
        )  # fmt: skip
    return rescued, best
