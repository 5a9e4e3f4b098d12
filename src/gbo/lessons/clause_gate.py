"""The polarity gate clause by clause: a sentence that joins good practice (or a denial Negex
does not know) to a real failing keeps only the failing.

Negex drops the clauses whose denial it recognises (gbo.lessons.negation); what is left, the
affirmed text, is judged by the polarity gate. When a sentence has two or more affirmed
clauses, each is also judged alone. If some of them reach the gate and others do not, only
those that reach it are coded: the sentence's theme probabilities are, theme by theme, the
highest of the kept clauses', its gate probability the highest of theirs, and keyword cues
are matched on the kept clauses' text. So in "The police response to the missing episodes
was prompt; the information gathered was not passed to social care" the first clause can no
longer bring in the theme of missing episodes. When every clause or none reaches the gate,
the sentence is judged as a whole, as before.

The same rule is applied to the out-of-fold predictions the thresholds are chosen on
(gbo.lessons.classifier), so that what is tuned is what runs.

A milder rule, :func:`rescued_failure`, only *lets a sentence through*: a sentence whose
affirmed text as a whole falls below the gate passes it when one of its affirmed clauses,
judged alone, reaches it ("Once the operation started, disruption was well coordinated, but
earlier intelligence had not led to action"). Its themes are still those of the whole
sentence, because a clause after "but" often leaves its subject to the clause before it
("The warning signs were present and recorded but were not acted on").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ClauseChoice:
    probs: npt.NDArray[np.float64]  # theme probabilities of what is coded
    failure: float  # its gate probability
    text: str  # what keyword cues are matched on
    kept: tuple[int, ...]  # the clauses coded (all of them when judged as a whole)


def choose_clauses(
    whole_probs: npt.NDArray[np.float64],
    whole_failure: float,
    whole_text: str,
    clause_probs: Matrix,
    clause_failure: npt.NDArray[np.float64],
    clause_texts: Sequence[str],
    gate: float,
    drop: float,
) -> ClauseChoice:
    """What of one sentence is coded (see the module's docstring). ``clause_*`` describe its
    affirmed clauses; with fewer than two the sentence is judged as a whole. A clause is left
    out when its gate probability is below ``drop`` (at most ``gate``) and another clause
    reaches ``gate``."""
    n = len(clause_texts)
    if n < 2 or not (clause_failure >= gate).any():
        return ClauseChoice(whole_probs, whole_failure, whole_text, tuple(range(n)))
    kept = tuple(int(j) for j in np.flatnonzero(~(clause_failure < drop)))
    if len(kept) == n:
        return ClauseChoice(whole_probs, whole_failure, whole_text, kept)
    rows = list(kept)
    return ClauseChoice(
        clause_probs[rows].max(axis=0),
        float(clause_failure[rows].max()),
        " ".join(clause_texts[j] for j in rows),
        kept,
    )


def rescued_failure(
    whole_failure: float, clause_failure: npt.NDArray[np.float64], gate: float
) -> float:
    """The gate probability of a sentence given those of its affirmed clauses (two or more):
    the highest clause's when the whole sentence falls below ``gate`` and that clause reaches
    it, else the whole sentence's."""
    if len(clause_failure) < 2 or whole_failure >= gate:
        return whole_failure
    best = float(np.max(clause_failure))
    return best if best >= gate else whole_failure
