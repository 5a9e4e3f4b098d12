"""The polarity gate clause by clause."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gbo.lessons.clause_gate import choose_clauses

WHOLE = np.array([0.9, 0.9])


def _choose(failure: list[float], gate: float = 0.5, drop: float = 0.2):  # type: ignore[no-untyped-def]
    probs = np.array([[0.1 * (j + 1), 0.0] for j in range(len(failure))])
    texts = [f"clause {j}" for j in range(len(failure))]
    return choose_clauses(WHOLE, 0.6, "whole", probs, np.array(failure), texts, gate, drop)


def test_a_clause_clearly_not_failing_is_left_out_when_another_fails() -> None:
    choice = _choose([0.05, 0.8])
    assert choice.kept == (1,)
    assert choice.text == "clause 1" and choice.failure == 0.8
    assert np.allclose(choice.probs, [0.2, 0.0])


def test_the_sentence_is_judged_whole_when_no_clause_or_every_clause_fails() -> None:
    for failure in ([0.1, 0.1], [0.9, 0.7], [0.3, 0.8]):  # 0.3 is above the drop level
        choice = _choose(failure)
        assert choice.text == "whole" and choice.failure == 0.6
        assert np.array_equal(choice.probs, WHOLE)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=6), st.floats(0, 1), st.floats(0, 1))
def test_what_is_kept_is_a_nonempty_subset_of_the_clauses(
    failure: list[float], gate: float, drop: float
) -> None:
    choice = _choose(failure, gate, min(drop, gate))
    assert choice.kept and set(choice.kept) <= set(range(len(failure)))
    if choice.text != "whole":
        assert max(failure[j] for j in choice.kept) >= gate


def test_a_clause_that_reaches_the_gate_lets_its_sentence_through() -> None:
    from gbo.lessons.clause_gate import rescued_failure

    assert rescued_failure(0.3, np.array([0.1, 0.7]), 0.5) == 0.7
    assert rescued_failure(0.3, np.array([0.1, 0.4]), 0.5) == 0.3  # no clause reaches it
    assert rescued_failure(0.6, np.array([0.1, 0.9]), 0.5) == 0.6  # the whole already does
    assert rescued_failure(0.3, np.array([0.9]), 0.5) == 0.3  # one clause is the sentence
