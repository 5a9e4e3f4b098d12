"""What the theme classifier (gbo.lessons.classifier) is trained on: the finding sentences of
the train and dev digests (and, when asked, of the digests in published wording), labelled
with their paragraph's themes and cross-validated by document, and the examples in every fit
(the theme-free statements, and each theme's definition and exemplars)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gbo.lessons.findings import is_apparatus, is_finding
from gbo.lessons.labelled import (
    BODY_KINDS,
    TRAIN_ON_PUBLISHED_WORDING,
    TRAINING_SPLITS,
    LabelledDocument,
    labelled_documents,
    practice_statements,
    published_wording_documents,
)
from gbo.lessons.negation import analyse_many
from gbo.lessons.taxonomy import Taxonomy


@dataclass(frozen=True)
class Example:
    text: str
    themes: frozenset[str]
    group: str  # document id, "practice" or "taxonomy": folds never split a group
    # (text, marked) of each affirmed clause when there are two or more (gbo.lessons.clause_gate)
    clauses: tuple[tuple[str, str], ...] = ()


def _body_sentences(documents: Sequence[LabelledDocument]) -> list[Example]:
    """Affirmed text of each finding sentence of the digests, with its themes."""
    paragraphs = [
        p
        for d in documents
        for p in d.paragraphs
        if p.kind in BODY_KINDS and not is_apparatus(p.text)
    ]
    found: list[Example] = []
    for para, sentences in zip(paragraphs, analyse_many([p.text for p in paragraphs]), strict=True):
        for sentence in sentences:
            text = sentence.affirmed_text
            if text and is_finding(sentence.text):
                affirmed = sentence.affirmed_clauses
                clauses = tuple((c.text, c.marked) for c in affirmed) if len(affirmed) > 1 else ()
                found.append(Example(text, para.themes, para.doc_id, clauses))
    return found


def fixed_examples(taxonomy: Taxonomy) -> list[Example]:
    """Examples in every fit: the theme-free statements, each definition and exemplar."""
    found = [
        Example(text, frozenset(), f"practice:{i}") for i, text in enumerate(practice_statements())
    ]
    for theme in taxonomy.themes:
        for text in (theme.definition, *theme.exemplars):
            found.append(Example(text, frozenset({theme.theme_id}), "taxonomy"))
    return found


def labelled_examples(published_wording: bool = TRAIN_ON_PUBLISHED_WORDING) -> list[Example]:
    """The train and dev digests' sentences: the rows cross-validated by document. With
    ``published_wording`` (the default), the digests in published wording join the train
    split's."""
    found: list[Example] = []
    for split in TRAINING_SPLITS:
        documents = labelled_documents(split)
        if published_wording and split == "train":
            documents += published_wording_documents()
        found += _body_sentences(documents)
    return found


def training_examples(
    taxonomy: Taxonomy, published_wording: bool = TRAIN_ON_PUBLISHED_WORDING
) -> list[Example]:
    """Everything the final classifier is fitted on: the train and dev digests' sentences,
    the theme-free statements, and the taxonomy."""
    return labelled_examples(published_wording) + fixed_examples(taxonomy)
