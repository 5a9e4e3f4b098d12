"""Coding a whole library: every finding sentence of every review against the taxonomy.

Headings, apparatus (titles, metadata lines, citations), reference sections and web
addresses are not coded (gbo.lessons.findings, and gbo.lessons.apparatus_form for apparatus
known by its form). The result is one row per (sentence, theme)
assignment carrying its evidence sentence and where it is: file, page, paragraph, sentence
number within the paragraph, and section; the method that found it, whether the sentence is
hedged or has a negated clause, and the analyst's decision if there is one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gbo.lessons.apparatus_form import looks_like_apparatus
from gbo.lessons.classifier import ThemeClassifier, theme_classifier
from gbo.lessons.coding import Code, code_sentences
from gbo.lessons.decisions import Decision
from gbo.lessons.documents import Paragraph, strip_bullet
from gbo.lessons.findings import in_reference_section, is_apparatus, is_finding, strip_urls
from gbo.lessons.library import LibraryDocument
from gbo.lessons.model_cache import default_folder
from gbo.lessons.negation import Sentence, analyse_many
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.structure import Item, extract_items, section_of_each_paragraph
from gbo.lessons.taxonomy import Taxonomy
from gbo.progress import Progress, SilentProgress

SentenceCoder = Callable[[Sequence[Sentence]], list[list[Code]]]


@dataclass(frozen=True)
class Passage:
    doc_id: str
    sha256: str
    file: str
    page: int
    paragraph: int
    sentence_number: int
    section: str
    sentence: Sentence


@dataclass
class LibraryCoding:
    documents: list[LibraryDocument]
    items: list[tuple[str, Item]]
    assignments: list[dict[str, object]]
    n_sentences: int
    n_skipped: int = 0  # sentences not coded: apparatus, references, too short
    classifier: dict[str, object] | None = None


def assignment_id(passage: Passage, theme_id: str) -> str:
    key = f"{passage.sha256}:{passage.paragraph}:{passage.sentence_number}:{theme_id}"
    return "asg_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def in_list(paragraphs: Sequence[Paragraph], index: int) -> bool:
    """True for a list item that is part of a list: the paragraph before or after it is a
    list item too, or the one before it introduces it (ends with a colon). A lone line that
    opens with a dash (page furniture such as "- 12 -") is not."""
    if not paragraphs[index].list_item:
        return False
    before = paragraphs[index - 1] if index > 0 else None
    after = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    return bool(
        (before is not None and (before.list_item or before.text.rstrip().endswith(":")))
        or (after is not None and after.list_item)
    )


def finding_passages(library: list[LibraryDocument]) -> tuple[list[Passage], int]:
    """The finding sentences of the library, and how many sentences were left out."""
    where: list[tuple[LibraryDocument, int, str]] = []
    texts: list[str] = []
    skipped = 0
    for entry in library:
        doc = entry.document
        if doc is None:
            continue
        sections = section_of_each_paragraph(doc)
        for index, para in enumerate(doc.paragraphs):
            section = sections[para.number]
            if para.heading_level:
                continue
            listed = in_list(doc.paragraphs, index)
            if in_reference_section(section) or is_apparatus(para.text, listed):
                skipped += 1
                continue
            where.append((entry, index, section))
            texts.append(strip_urls(strip_bullet(para.text) if para.list_item else para.text))
    form = looks_like_apparatus(texts)
    skipped += sum(form)
    where = [w for w, apparatus in zip(where, form, strict=True) if not apparatus]
    texts = [t for t, apparatus in zip(texts, form, strict=True) if not apparatus]
    found: list[Passage] = []
    for (entry, index, section), sentences in zip(where, analyse_many(texts), strict=True):
        doc = entry.document
        assert doc is not None
        para = doc.paragraphs[index]
        for number, sentence in enumerate(sentences, start=1):
            if not is_finding(sentence.text):
                skipped += 1
                continue
            found.append(
                Passage(
                    doc.doc_id,
                    doc.sha256,
                    entry.metadata.file,
                    para.page,
                    para.number,
                    number,
                    section,
                    sentence,
                )
            )
    return found, skipped


def trained_classifier(taxonomy: Taxonomy, settings: LessonsSettings) -> ThemeClassifier:
    """The process's classifier for these settings: from the cache folder when it holds one
    fitted on the same inputs, else fitted (and saved there)."""
    folder = (settings.cache_folder or default_folder()) if settings.cache_classifier else None
    return theme_classifier(
        taxonomy,
        settings.classifier_seed,
        folder,
        settings.train_on_published_wording,
        settings.encoder,
    )


def default_coder(
    taxonomy: Taxonomy, settings: LessonsSettings
) -> tuple[SentenceCoder, dict[str, object] | None]:
    """The classifier with keyword cues, or keyword cues alone when embeddings are off."""
    if not settings.use_embeddings:
        return (lambda sentences: code_sentences(taxonomy, sentences, None)), None
    classifier = trained_classifier(taxonomy, settings)
    return (lambda s: code_sentences(taxonomy, s, classifier)), classifier.describe()


def code_library(
    library: list[LibraryDocument],
    taxonomy: Taxonomy,
    settings: LessonsSettings,
    decisions: dict[str, Decision],
    progress: Progress | None = None,
    coder: SentenceCoder | None = None,
) -> LibraryCoding:
    progress = progress or SilentProgress()
    passages, skipped = finding_passages(library)
    description: dict[str, object] | None = None
    if coder is None:
        coder, description = default_coder(taxonomy, settings)
    with progress.task("Coding sentences", total=len(passages)) as task:
        codes = coder([p.sentence for p in passages])
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
                    "file": passage.file,
                    "title": titles[passage.doc_id],
                    "page": passage.page,
                    "paragraph": passage.paragraph,
                    "sentence": passage.sentence_number,
                    "section": passage.section,
                    "evidence": passage.sentence.text,
                    "coded_text": passage.sentence.affirmed_text,
                    "has_negated_clause": passage.sentence.negated,
                    "hedged": passage.sentence.hedged,
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
    return LibraryCoding(library, items, assignments, len(passages), skipped, description)
