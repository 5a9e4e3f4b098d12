from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.lessons.coding import code_sentences, is_negated, keyword_codes, split_sentences
from gbo.lessons.statement_bank import NOT_FOUND, SHOWS
from gbo.lessons.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()


def test_taxonomy_is_complete_and_versioned() -> None:
    assert TAXONOMY.version
    assert TAXONOMY.ids == [f"T{n:02d}" for n in range(1, 21)]
    assert all(t.keywords and t.exemplars and t.definition for t in TAXONOMY.themes)


def test_statements_that_a_failure_was_not_found_are_not_coded() -> None:
    sentence = "There was no evidence that fear of being seen as racist influenced decisions."
    assert is_negated(TAXONOMY, sentence)
    assert "T09" in keyword_codes(TAXONOMY, sentence)  # the wording alone would match
    assert code_sentences(TAXONOMY, [sentence], None) == [[]]


@pytest.mark.parametrize("theme_id", sorted(SHOWS))
def test_each_theme_statement_is_found_by_its_keywords(theme_id: str) -> None:
    for sentence in SHOWS[theme_id]:
        assert theme_id in keyword_codes(TAXONOMY, sentence), sentence


@pytest.mark.parametrize("theme_id", sorted(NOT_FOUND))
def test_each_not_found_statement_is_negated(theme_id: str) -> None:
    assert all(is_negated(TAXONOMY, s) for s in NOT_FOUND[theme_id])


@given(
    st.sampled_from([s for group in SHOWS.values() for s in group]),
    st.sampled_from(
        [
            "There is no evidence that",
            "The panel did not find that",
            "We found no indication that",
            "It is not the case that",
        ]
    ),
)
def test_prefixing_a_negation_removes_every_code(statement: str, prefix: str) -> None:
    sentence = f"{prefix} {statement[0].lower()}{statement[1:]}"
    assert code_sentences(TAXONOMY, [sentence], None) == [[]]


@given(
    st.lists(st.sampled_from(["One.", "Two words here.", "Three? Yes!", "4 items."]), max_size=6)
)
def test_sentence_splitting_keeps_every_word(parts: list[str]) -> None:
    text = " ".join(parts)
    assert " ".join(split_sentences(text)).split() == text.split()
