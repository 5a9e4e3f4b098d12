"""Coding a whole library: every sentence of every review against the taxonomy.

The result is one row per (sentence, theme) assignment, carrying its evidence sentence,
page, paragraph and section, the method that found it, and the analyst's decision if there
is one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gbo.lessons.coding import code_sentences, embedding_coder, split_sentences
from gbo.lessons.decisions import Decision
from gbo.lessons.library import LibraryDocument
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.structure import Item, extract_items, section_of_each_paragraph
from gbo.lessons.taxonomy import Taxonomy
from gbo.progress import Progress, SilentProgress


@dataclass(frozen=True)
class Passage:
    doc_id: str
    sha256: str
    page: int
    paragraph: int
    sentence_number: int
    section: str
    sentence: str


@dataclass
class LibraryCoding:
    documents: list[LibraryDocument]
    items: list[tuple[str, Item]]
    assignments: list[dict[str, object]]
    n_sentences: int


def assignment_id(passage: Passage, theme_id: str) -> str:
    key = f"{passage.sha256}:{passage.paragraph}:{passage.sentence_number}:{theme_id}"
    return "asg_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _passages(library: list[LibraryDocument]) -> list[Passage]:
    found: list[Passage] = []
    for entry in library:
        doc = entry.document
        if doc is None:
            continue
        sections = section_of_each_paragraph(doc)
        for para in doc.paragraphs:
            if para.heading_level:
                continue
            for number, sentence in enumerate(split_sentences(para.text), start=1):
                found.append(
                    Passage(
                        doc.doc_id,
                        doc.sha256,
                        para.page,
                        para.number,
                        number,
                        sections[para.number],
                        sentence,
                    )
                )
    return found


def code_library(
    library: list[LibraryDocument],
    taxonomy: Taxonomy,
    settings: LessonsSettings,
    decisions: dict[str, Decision],
    progress: Progress | None = None,
) -> LibraryCoding:
    progress = progress or SilentProgress()
    passages = _passages(library)
    embedder = (
        embedding_coder(taxonomy, settings.embedding_threshold, settings.embedding_top_k)
        if settings.use_embeddings
        else None
    )
    with progress.task("Coding sentences", total=len(passages)) as task:
        codes = code_sentences(taxonomy, [p.sentence for p in passages], embedder)
        task.advance(len(passages))
    titles = {e.document.doc_id: e.metadata.title for e in library if e.document}
    assignments: list[dict[str, object]] = []
    for passage, sentence_codes in zip(passages, codes, strict=True):
        for code in sentence_codes:
            aid = assignment_id(passage, code.theme_id)
            decision = decisions.get(aid)
            assignments.append(
                {
                    "assignment_id": aid,
                    "doc_id": passage.doc_id,
                    "title": titles[passage.doc_id],
                    "page": passage.page,
                    "paragraph": passage.paragraph,
                    "section": passage.section,
                    "evidence": passage.sentence,
                    "theme_id": code.theme_id,
                    "theme_title": taxonomy.theme(code.theme_id).title,
                    "method": code.method,
                    "score": round(code.score, 4),
                    "status": decision.status if decision else "machine",
                    "decision": {"confirmed": "accept", "rejected": "reject"}.get(
                        decision.status if decision else "", ""
                    ),
                    "note": decision.note if decision else "",
                }
            )
    items = [
        (entry.document.doc_id, item)
        for entry in library
        if entry.document is not None
        for item in extract_items(entry.document)
    ]
    return LibraryCoding(library, items, assignments, len(passages))
