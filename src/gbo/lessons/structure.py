"""Finding the structure of a review: its sections, and its numbered recommendations,
findings and considerations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gbo.lessons.documents import Document

ITEM_TYPES = ("recommendation", "finding", "consideration", "learning point")

# "Recommendation 3: ...", "Finding 2 - ...", "Learning point 4. ..."
LABELLED_ITEM = re.compile(
    r"^(?P<type>recommendation|finding|consideration|learning point)s?\s+"
    r"(?P<number>\d+(\.\d+)*)\s*[:.)\-–]?\s*(?P<text>.*)$",
    re.IGNORECASE,
)
# "3.", "3)", "3.1" or "(3)" at the start of a paragraph in a section about items.
NUMBERED = re.compile(r"^\(?(?P<number>\d+(\.\d+)*)[.)]?\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class Item:
    item_type: str
    number: str
    page: int
    paragraph: int
    section: str
    text: str


def section_of_each_paragraph(doc: Document) -> dict[int, str]:
    """Paragraph number -> the text of the heading it falls under."""
    current = ""
    sections: dict[int, str] = {}
    for para in doc.paragraphs:
        if para.heading_level:
            current = para.text
        sections[para.number] = current
    return sections


def _section_item_type(heading: str) -> str | None:
    lowered = heading.lower()
    for item_type in ITEM_TYPES:
        if item_type in lowered:
            return item_type
    return None


def extract_items(doc: Document) -> list[Item]:
    """Recommendations, findings, considerations and learning points, numbered as in the
    document, with their page. Labelled items are found anywhere; plain numbered paragraphs
    only under a heading that names the kind of item."""
    sections = section_of_each_paragraph(doc)
    items: list[Item] = []
    for para in doc.paragraphs:
        section = sections[para.number]
        labelled = LABELLED_ITEM.match(para.text)
        if labelled:
            items.append(
                Item(
                    labelled["type"].lower(),
                    labelled["number"],
                    para.page,
                    para.number,
                    section,
                    labelled["text"].strip() or para.text,
                )
            )
            continue
        kind = _section_item_type(section)
        numbered = NUMBERED.match(para.text)
        if kind and numbered and not para.heading_level:
            items.append(
                Item(kind, numbered["number"], para.page, para.number, section, numbered["text"])
            )
    return items
