"""A library of case reviews: the documents in a folder and their metadata file.

The metadata file ``library.csv`` (columns ``file, title, area, year, review_type``) sits in
the library folder. A document without a metadata row is still read, titled by its file
name, with area, year and type not recorded, and the gap is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gbo.errors import LessonsError
from gbo.lessons.csv_input import numbered_rows
from gbo.lessons.documents import SUPPORTED_SUFFIXES, Document, read_document
from gbo.progress import Progress, SilentProgress

METADATA_FILE = "library.csv"
METADATA_COLUMNS = ("file", "title", "area", "year", "review_type")


@dataclass(frozen=True)
class DocumentMetadata:
    file: str
    title: str
    area: str | None
    year: int | None
    review_type: str | None


@dataclass
class LibraryDocument:
    metadata: DocumentMetadata
    document: Document | None
    problem: str | None


def library_files(library: Path) -> list[Path]:
    """The documents of a library, in name order (metadata and hidden files left out)."""
    if not library.is_dir():
        raise LessonsError("the case review library is not a folder", path=library)
    return sorted(
        p
        for p in library.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )


def read_metadata(library: Path) -> dict[str, DocumentMetadata]:
    path = library / METADATA_FILE
    if not path.exists():
        return {}
    hint = f"its columns must be {', '.join(METADATA_COLUMNS)}"
    rows = numbered_rows(path, METADATA_COLUMNS, "metadata file", hint)
    found: dict[str, DocumentMetadata] = {}
    for row_number, row in rows:
        year_text = (row["year"] or "").strip()
        if year_text and not year_text.isdigit():
            raise LessonsError(
                f"row {row_number}, column year: not a year", hint="write e.g. 2019", path=path
            )
        found[row["file"].strip()] = DocumentMetadata(
            file=row["file"].strip(),
            title=row["title"].strip() or row["file"].strip(),
            area=(row["area"] or "").strip() or None,
            year=int(year_text) if year_text else None,
            review_type=(row["review_type"] or "").strip() or None,
        )
    return found


def read_library(library: Path, progress: Progress | None = None) -> list[LibraryDocument]:
    """Read every document; an unreadable one is kept with its problem, not dropped."""
    progress = progress or SilentProgress()
    metadata = read_metadata(library)
    files = library_files(library)
    found: list[LibraryDocument] = []
    with progress.task("Reading case reviews", total=len(files)) as task:
        for path in files:
            rel = path.relative_to(library).as_posix()
            meta = metadata.get(rel) or DocumentMetadata(rel, path.stem, None, None, None)
            try:
                document: Document | None = read_document(path)
                problem = document.problem if document else None
            except LessonsError as error:
                document, problem = None, error.message
            if rel not in metadata:
                problem = "; ".join(p for p in (problem, "no row in library.csv") if p)
            found.append(LibraryDocument(meta, document, problem))
            task.advance()
    return found
