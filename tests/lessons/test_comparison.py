"""Naming the coders ``gbo lessons compare`` scores; the comparison itself runs on the default
coder's cached fit, in test_classifier_outside.py."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.errors import LessonsError
from gbo.lessons.comparison import DEFAULT_CODERS, KEYWORDS, coder_settings, compare_coders
from tests.lessons.outside_sets import TAXONOMY


def test_each_name_stands_for_one_setting() -> None:
    keywords = coder_settings(KEYWORDS)
    assert not keywords.use_embeddings and not keywords.train_on_published_wording
    minilm = coder_settings("minilm")
    assert (minilm.encoder, minilm.train_on_published_wording) == ("minilm", True)
    plain = coder_settings("mpnet+minilm/taxonomy-wording")
    assert (plain.encoder, plain.train_on_published_wording) == ("mpnet+minilm", False)
    assert (
        len(
            {(s.encoder, s.train_on_published_wording) for s in map(coder_settings, DEFAULT_CODERS)}
        )
        == 4
    )


@given(st.text(max_size=30))
def test_any_other_name_is_refused_with_the_choices(name: str) -> None:
    valid = {
        KEYWORDS,
        *(
            f"{e}{v}"
            for e in ("mpnet", "minilm", "mpnet+minilm")
            for v in ("", "/taxonomy-wording")
        ),
    }
    if name in valid:
        return
    with pytest.raises(LessonsError, match="use 'keywords' or a sentence model"):
        coder_settings(name)


def test_a_coder_named_twice_is_refused_before_anything_is_fitted() -> None:
    with pytest.raises(LessonsError, match="name each coder once"):
        compare_coders(TAXONOMY, [], ["minilm", "keywords", "minilm"])
    with pytest.raises(LessonsError, match="use 'keywords'"):
        compare_coders(TAXONOMY, [], ["keywords", "bert"])
