"""Several settings of the coder scored on the same labelled digests, each beside the first
with the paired interval of the difference (``gbo lessons compare``).

An analyst choosing a sentence model, or whether the coder learns from digests in published
wording, on a sample of their own reviews needs to know whether the difference they see is
larger than the sample's noise; two figures with their own intervals side by side overstate
it, since a review that is hard for one coder is hard for the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast, get_args

from gbo.errors import LessonsError
from gbo.lessons.analysis import default_coder
from gbo.lessons.embedding import EncoderName
from gbo.lessons.evaluation import DigestScores, coded_paragraphs, digest_scores
from gbo.lessons.labelled import LabelledDocument
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import Taxonomy
from gbo.lessons.uncertainty import Interval, paired_gain_interval

KEYWORDS = "keywords"
TAXONOMY_ONLY = "taxonomy-wording"
# the four combinations the methodology suggests comparing on one's own reviews
DEFAULT_CODERS = ("mpnet", "minilm", f"mpnet/{TAXONOMY_ONLY}", f"minilm/{TAXONOMY_ONLY}")


def coder_settings(name: str) -> LessonsSettings:
    """The settings a coder's name stands for: ``keywords`` (cues alone, no classifier), or a
    sentence model (``mpnet``, ``minilm``, ``mpnet+minilm``), trained on the digests in
    published wording too unless followed by ``/taxonomy-wording``."""
    if name == KEYWORDS:
        return LessonsSettings(use_embeddings=False, train_on_published_wording=False)
    encoder, slash, variant = name.partition("/")
    encoders = get_args(EncoderName)
    if encoder not in encoders or (slash and variant != TAXONOMY_ONLY):
        raise LessonsError(
            f"coder {name!r}: use {KEYWORDS!r} or a sentence model ({', '.join(encoders)}), "
            f"optionally followed by '/{TAXONOMY_ONLY}'"
        )
    return LessonsSettings(
        encoder=cast(EncoderName, encoder), train_on_published_wording=not variant
    )


@dataclass(frozen=True)
class Scored:
    coder: str
    scores: DigestScores
    gain: Interval | None  # paired 95% interval of micro-F1 less the first coder's


def compare_coders(
    taxonomy: Taxonomy, documents: Sequence[LabelledDocument], coders: Sequence[str]
) -> list[Scored]:
    """Score each named coder on the same documents; every one after the first also gets the
    paired interval of its gain over the first. Names are checked before anything is
    fitted."""
    if len(set(coders)) != len(coders) or not coders:
        raise LessonsError(f"name each coder once, at least one: {', '.join(coders)}")
    settings = {name: coder_settings(name) for name in coders}
    results: list[Scored] = []
    for name in coders:
        coder, _ = default_coder(taxonomy, settings[name])
        coded = coded_paragraphs(taxonomy, documents, settings[name], coder)
        scores = digest_scores(taxonomy.ids, documents, coded)
        first = results[0].scores.per_document if results else None
        gain = paired_gain_interval(first, scores.per_document) if first else None
        results.append(Scored(name, scores, gain))
    return results
