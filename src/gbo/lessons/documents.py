"""Reading case review documents into numbered paragraphs with their page numbers.

PDF (pypdf), DOCX (python-docx), HTML and plain text are read into :class:`Document`:
an ordered list of paragraphs, each with its page, its paragraph number in the document and,
for headings, a heading level. A PDF whose pages have no text layer (a scan) is reported as
such, never skipped silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from gbo.errors import LessonsError

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md"}
SENTENCE_END = re.compile(r"[.!?:;)\"']$")
NUMBERED_HEADING = re.compile(r"^(\d+(\.\d+)*\.?|[A-Z]\.)\s+[A-Z][^.!?]{0,80}$")
# the marker of a bullet-list item: a bullet character, or a letter or roman numeral in
# brackets ("(a)", "b)", "(iv)"); numbered paragraphs ("2.1") are items of gbo.lessons.structure
BULLET = re.compile(r"^\s*(?:[-•*–—·▪●◦‣○■□➢►]|\((?:[a-z]|[ivx]{1,4})\)|(?:[a-z]|[ivx]{1,4})\))\s+")


@dataclass(frozen=True)
class Paragraph:
    page: int
    number: int
    text: str
    heading_level: int = 0  # 0 for body text
    list_item: bool = False  # an item of a bulleted list (its marker kept in the text)


@dataclass
class Document:
    doc_id: str
    path: Path
    kind: str
    sha256: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    n_pages: int = 0
    has_text_layer: bool = True
    problem: str | None = None


def is_bullet(line: str) -> bool:
    """True for a line that opens a bullet-list item."""
    return bool(BULLET.match(line))


def ends_item(item: list[str], raw: str) -> bool:
    """True when ``raw``, a line after the lines of a bullet-list item, is not the item's
    wrapped continuation but new text: it opens a bullet of its own, or it is not indented
    and opens with a capital letter."""
    return (
        bool(item)
        and is_bullet(item[0])
        and (is_bullet(raw) or (raw[:1].isupper() and not raw[:1].isspace()))
    )


def strip_bullet(text: str) -> str:
    """The text without its bullet-list marker."""
    return BULLET.sub("", text, count=1)


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 12 or SENTENCE_END.search(line):
        return False
    return bool(NUMBERED_HEADING.match(line)) or line.isupper() or line.istitle()


def paragraphs_from_lines(pages: list[list[str]]) -> list[Paragraph]:
    """Group wrapped lines into paragraphs. A blank line or a heading closes a paragraph; on a
    page with no blank lines at all, so does a short line that ends a sentence."""
    found: list[Paragraph] = []
    for page_number, lines in enumerate(pages, start=1):
        has_gaps = any(not line.strip() for line in lines)
        current: list[str] = []
        for raw in lines:
            line = " ".join(raw.split())
            closes = not line
            if line and is_bullet(line) and current:  # a bullet opens a paragraph of its own
                found.append(_body(page_number, len(found) + 1, " ".join(current)))
                current = []
            if line and _looks_like_heading(line) and not current and not is_bullet(line):
                found.append(Paragraph(page_number, len(found) + 1, line, heading_level=2))
                continue
            if line:
                current.append(line)
                closes = not has_gaps and bool(SENTENCE_END.search(line)) and len(line) < 60
            if closes and current:
                found.append(_body(page_number, len(found) + 1, " ".join(current)))
                current = []
        if current:
            found.append(_body(page_number, len(found) + 1, " ".join(current)))
    return found


def _body(page: int, number: int, text: str) -> Paragraph:
    """A body paragraph, marked as a list item when it opens with a bullet."""
    return Paragraph(page, number, text, list_item=is_bullet(text))


def _read_pdf(path: Path, doc: Document) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        texts = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise LessonsError(f"not a readable PDF ({exc.__class__.__name__})", path=path) from exc
    doc.n_pages = len(texts)
    doc.has_text_layer = any(t.strip() for t in texts)
    if not doc.has_text_layer and texts:
        doc.problem = "no text layer (a scanned PDF?): run OCR on it and add the text version"
    doc.paragraphs = paragraphs_from_lines([t.splitlines() for t in texts])


def _read_docx(path: Path, doc: Document) -> None:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise LessonsError("not a readable DOCX file", path=path) from exc
    page = 1
    for para in document.paragraphs:
        xml = para._p.xml
        breaks = xml.count('w:type="page"') + xml.count("<w:lastRenderedPageBreak")
        text = " ".join(para.text.split())
        style = (para.style.name if para.style is not None else "") or ""
        if text:
            level = 0
            if style.startswith("Heading"):
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
            elif style == "Title":
                level = 1
            listed = not level and ("List" in style or "<w:numPr>" in xml or is_bullet(text))
            doc.paragraphs.append(Paragraph(page, len(doc.paragraphs) + 1, text, level, listed))
        page += breaks
    doc.n_pages = page


def _read_html(path: Path, doc: Document) -> None:
    from html.parser import HTMLParser

    blocks = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section"}

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.level = 0
            self.buffer: list[str] = []
            self.skip = 0
            self.item = False

        def flush(self) -> None:
            text = " ".join("".join(self.buffer).split())
            if text:
                listed = not self.level and (self.item or is_bullet(text))
                doc.paragraphs.append(
                    Paragraph(1, len(doc.paragraphs) + 1, text, self.level, listed)
                )
            self.buffer.clear()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in {"script", "style"}:
                self.skip += 1
            elif tag in blocks:
                self.flush()
                self.level = int(tag[1]) if tag[0] == "h" and tag[1:].isdigit() else 0
                self.item = tag == "li"

        def handle_endtag(self, tag: str) -> None:
            if tag in {"script", "style"}:
                self.skip -= 1
            elif tag in blocks:
                self.flush()
                self.level = 0
                self.item = False

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.buffer.append(data)

    collector = Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    collector.flush()
    doc.n_pages = 1


PAGE_MARKER = re.compile(r"^[-=\s]*page\s+(\d+)(\s+of\s+\d+)?[-=\s]*$", re.IGNORECASE)


def _text_blocks(page: str) -> list[str]:
    """Paragraphs of a page of plain text: blocks between blank lines or, on a page with no
    blank lines, runs of lines up to one that ends a sentence (so a file with a paragraph per
    line gives a paragraph per line, and wrapped lines are joined); a heading-like line
    stands alone."""
    if re.search(r"\n\s*\n", page):
        return [item for block in re.split(r"\n\s*\n", page) for item in _list_items(block)]
    blocks: list[str] = []
    current: list[str] = []
    for raw in page.splitlines():
        line = raw.strip()
        if not line:
            continue
        if current and (is_bullet(line) or ends_item(current, raw)):
            blocks.append(" ".join(current))  # a bullet-list item is a paragraph of its own
            current = []
        if (
            not current
            and not is_bullet(line)
            and (_looks_like_heading(line) or PAGE_MARKER.match(line))
        ):
            blocks.append(line)
            continue
        current.append(line)
        if re.search(r"[.!?][\"'’”)]*$", line):
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _list_items(block: str) -> list[str]:
    """A block of lines cut before each line that opens a bullet-list item, so that the items
    of a list written without blank lines between them become paragraphs of their own (the
    lines that follow an item without a marker are its wrapped continuation)."""
    lines = block.splitlines()
    if not any(is_bullet(line) for line in lines):
        return [block]
    found: list[list[str]] = []
    for line in lines:
        if not found or is_bullet(line) or ends_item(found[-1], line):
            found.append([line])
        else:
            found[-1].append(line)
    return ["\n".join(item) for item in found]


def _read_text(path: Path, doc: Document) -> None:
    """Pages split at form feeds, or at marker lines such as "Page 3" or "--- page 3 ---"
    (the marker gives the number of the page that follows)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    page_number = 0
    for page in text.split("\f"):
        page_number += 1
        for block in _text_blocks(page):
            line = " ".join(block.split())
            if not line:
                continue
            marker = PAGE_MARKER.match(line)
            if marker:
                page_number = int(marker[1])
                continue
            level = 0
            listed = is_bullet(line)
            if line.startswith("#"):
                level = len(line) - len(line.lstrip("#"))
                line = line.lstrip("#").strip()
            elif _looks_like_heading(line) and not listed:
                level = 2
            doc.paragraphs.append(
                Paragraph(page_number, len(doc.paragraphs) + 1, line, level, listed)
            )
    doc.n_pages = max([page_number, *(p.page for p in doc.paragraphs)])


READERS = {
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".txt": _read_text,
    ".md": _read_text,
}


def read_document(path: Path) -> Document:
    """Read one document; an unreadable file is a :class:`LessonsError` naming it."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise LessonsError(
            f"unsupported document type {suffix!r}",
            hint=f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}",
            path=path,
        )
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    doc = Document(doc_id=f"doc_{sha[:12]}", path=path, kind=suffix.lstrip("."), sha256=sha)
    READERS[suffix](path, doc)
    if not doc.paragraphs and doc.problem is None:
        doc.problem = "no text found in the document"
    return doc
