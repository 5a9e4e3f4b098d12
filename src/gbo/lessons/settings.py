"""Settings of the lessons stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName
from gbo.lessons.labelled import TRAIN_ON_PUBLISHED_WORDING
from gbo.settings_base import Settings


class LessonsSettings(Settings):
    """Reading a library of case reviews and coding it against the learning themes."""

    library: Path | None = Field(
        None, description="Folder of case review documents (PDF, DOCX, HTML, text)."
    )
    decisions_file: Path | None = Field(
        None, description="An analyst's accept/reject decisions (CSV exported by gbo)."
    )
    use_embeddings: bool = Field(
        True,
        description=(
            "Code with the trained theme classifier over sentence embeddings (offline "
            "model) and keyword cues; false codes by keyword cues alone."
        ),
    )
    classifier_seed: int = Field(7, description="Random seed of the theme classifier's training.")
    encoder: EncoderName = Field(
        DEFAULT_ENCODER,
        description=(
            "The sentence model every learned part of the coder reads: 'mpnet' "
            "(all-mpnet-base-v2, the default since stop 48: on reviews in their authors' "
            "wording it finds more themes), 'minilm' (all-MiniLM-L6-v2: codes a library in "
            "about half the time and memory, finds fewer themes and gives fewer to the "
            "adversarial probes' denials) or 'mpnet+minilm' (both read side by side: more "
            "precise, finds fewer themes than mpnet; docs/methodology/lessons.md, 'The "
            "sentence model')."
        ),
    )
    train_on_published_wording: bool = Field(
        TRAIN_ON_PUBLISHED_WORDING,
        description=(
            "Train the coder on the 152 digests that paraphrase published reports in their "
            "authors' wording as well as on the digests in the taxonomy's wording. Off, "
            "the coder finds far fewer themes in reports written in their authors' own words, "
            "and gives a few fewer themes to denials and good practice "
            "(docs/methodology/lessons.md, 'Two coders')."
        ),
    )
    cache_classifier: bool = Field(
        True,
        description=(
            "Keep the fitted classifier (and the embeddings of its training sentences) "
            "between runs; it is refitted whenever the labelled data, settings, model or "
            "libraries change, or the saved copy cannot be read."
        ),
    )
    cache_folder: Path | None = Field(
        None,
        description=(
            "Folder of the classifier cache; unset: $XDG_CACHE_HOME/gbo/lessons, or "
            "~/.cache/gbo/lessons."
        ),
    )
    excerpts_per_theme: int = Field(3, ge=1, le=10, description="Evidence excerpts per theme.")
    excerpt_max_chars: int = Field(300, ge=80, description="Longest excerpt shown.")
