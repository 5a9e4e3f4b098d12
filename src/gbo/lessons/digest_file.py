"""An analyst's own labelled digests, read to measure the coder on reviews gbo has never seen
(``gbo lessons evaluate --digests FILE``).

The file has the columns of gbo's own digests (``data/labelled_reviews.csv``): one row per
paragraph, the rows of one document together, with ``doc_id``, ``kind`` (one of
:data:`~gbo.lessons.labelled.PARAGRAPH_KINDS`) and ``text``, and optionally ``source``,
``line``, ``themes`` (the failings a finding states) and ``denied`` (the themes a negated,
good-practice or hedged paragraph denies, praises or leaves open), theme ids separated by
``|``. A finding may deny as well: a *mixed* paragraph ("no wilful neglect, but a worrying
lack of curiosity") states the failings of its ``themes`` and denies those of its
``denied``, which must not overlap. Other columns
(``first_pass``, ``resolution_note``, ``split``) are allowed and ignored. Each fault is a
:class:`~gbo.errors.LessonsError` naming the file, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from gbo.errors import LessonsError
from gbo.lessons.csv_input import numbered_rows, theme_id_field
from gbo.lessons.labelled import (
    DENYING_KINDS,
    PARAGRAPH_KINDS,
    LabelledDocument,
    LabelledParagraph,
)

COLUMNS = ("doc_id", "kind", "text")
HINT = (
    "a digests file has the columns doc_id, kind and text, and may have source, line, themes "
    "and denied"
)
# a finding may deny a theme beside its failing (a mixed paragraph)
MAY_DENY = ("finding", *DENYING_KINDS)
# a document's id names the text file it is read from, so it keeps to a file name's letters
_DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _paragraph(
    row: int, r: dict[str, str], known: Collection[str] | None, path: Path
) -> LabelledParagraph:
    doc_id, kind = ((r.get(c) or "").strip() for c in ("doc_id", "kind"))
    text = " ".join((r.get("text") or "").split())
    if not _DOC_ID.fullmatch(doc_id):
        raise LessonsError(
            f"row {row}, column doc_id: {doc_id!r} is not a document id",
            hint="use letters, digits, _, . and - (it names the document's text file)",
            path=path,
        )
    if kind not in PARAGRAPH_KINDS:
        raise LessonsError(
            f"row {row}, column kind: {kind!r} is not a kind of paragraph",
            hint=f"use one of {', '.join(PARAGRAPH_KINDS)}",
            path=path,
        )
    if not text:
        raise LessonsError(f"row {row}, column text: empty", path=path)
    themes = theme_id_field(r.get("themes"), row, "themes", known, path)
    denied = theme_id_field(r.get("denied"), row, "denied", known, path)
    if themes and kind != "finding":
        raise LessonsError(
            f"row {row}, column themes: a {kind} paragraph states no failing",
            hint="give themes to finding rows only; a negated or good-practice row's go in denied",
            path=path,
        )
    if denied and kind not in MAY_DENY:
        raise LessonsError(
            f"row {row}, column denied: a {kind} paragraph denies nothing",
            hint="give denied themes to finding, negated, good_practice and hedged rows only",
            path=path,
        )
    if themes & denied:
        raise LessonsError(
            f"row {row}, column denied: {'|'.join(sorted(themes & denied))} is also stated "
            "as a failing in column themes",
            hint="a paragraph that states a failing does not deny it too: keep it in one column",
            path=path,
        )
    line = (r.get("line") or "").strip()
    if line and not line.isdigit():
        raise LessonsError(
            f"row {row}, column line: {line!r} is not a whole number",
            hint="number each document's paragraphs 1, 2, 3 … or leave the column out",
            path=path,
        )
    source = (r.get("source") or "").strip() or doc_id
    # 0: no line column; read_digests numbers the document's paragraphs in file order
    return LabelledParagraph(
        doc_id, source, "own", int(line or 0), kind, themes, themes, text, denied
    )


def read_digests(path: Path, known: Collection[str] | None = None) -> list[LabelledDocument]:
    """The documents of a labelled digests file, in file order, theme ids checked against
    ``known`` when it is given. A document's rows must stand together."""
    if not path.is_file():
        raise LessonsError(
            "labelled digests file not found",
            hint="pass --digests with a CSV of doc_id, kind, text, themes",
            path=path,
        )
    documents: list[list[LabelledParagraph]] = []
    seen: set[str] = set()
    for row, r in numbered_rows(path, COLUMNS, "digests file", HINT):
        paragraph = _paragraph(row, r, known, path)
        if documents and documents[-1][0].doc_id == paragraph.doc_id:
            documents[-1].append(paragraph)
            continue
        if paragraph.doc_id in seen:
            raise LessonsError(
                f"row {row}, column doc_id: the rows of {paragraph.doc_id!r} are not together",
                hint="keep each document's paragraphs in consecutive rows",
                path=path,
            )
        seen.add(paragraph.doc_id)
        documents.append([paragraph])
    if not documents:
        raise LessonsError("the digests file has no rows", hint=HINT, path=path)
    return [
        LabelledDocument(
            d[0].doc_id,
            d[0].source,
            "own",
            tuple(replace(p, line=p.line or n) for n, p in enumerate(d, start=1)),
        )
        for d in documents
    ]
