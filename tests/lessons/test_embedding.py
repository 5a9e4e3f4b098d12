from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gbo.lessons import embedding
from gbo.lessons.embedding import Embedder

TEXTS = [
    "Referrals from the school were never followed up by social care.",
    "The strategy meeting did not include the police.",
    "Health staff shared what they knew in good time.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder("minilm")


def test_a_text_is_embedded_once_and_keeps_its_vector(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder.memo.clear()
    encoded: list[list[str]] = []
    encode = embedder.model.encode

    def counting(texts: list[str], **kwargs: Any) -> Any:
        encoded.append(list(texts))
        return encode(texts, **kwargs)

    monkeypatch.setattr(embedder.model, "encode", counting)
    first = embedder.embed([TEXTS[0], TEXTS[1], TEXTS[0]])
    again = embedder.embed([TEXTS[2], TEXTS[1], TEXTS[0]])
    assert encoded == [sorted(TEXTS[:2]), [TEXTS[2]]]
    assert np.array_equal(first[0], first[2])
    assert np.array_equal(again[1], first[1]) and np.array_equal(again[2], first[0])
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-5)


def test_only_the_latest_texts_are_kept(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedding, "MEMO", 2)
    embedder.memo.clear()
    alone = embedder.embed(TEXTS)
    assert list(embedder.memo) == sorted(TEXTS)[1:]
    assert alone.shape == (3, 384)
    embedder.embed([TEXTS[1]])  # used again: now the latest
    embedder.embed(["The plan had no review date."])
    assert set(embedder.memo) == {TEXTS[1], "The plan had no review date."}


def test_a_joined_setting_reads_each_model_side_by_side() -> None:
    joined = embedding.embedder("mpnet+minilm")
    assert isinstance(joined, embedding.JoinedEmbedder)
    mpnet, minilm = joined.parts
    # the single models are the ones their own settings load, not second copies
    assert mpnet is embedding.embedder("mpnet") and minilm is embedding.embedder("minilm")
    assert joined.dimension == 768 + 384
    assert joined.name == f"{mpnet.name} + {minilm.name}"
    vectors = joined.embed(TEXTS)
    assert vectors.shape == (3, 1152)
    assert np.array_equal(vectors[:, :768], mpnet.embed(TEXTS))
    assert np.array_equal(vectors[:, 768:], minilm.embed(TEXTS))
    assert joined.embed([]).shape == (0, 1152)
