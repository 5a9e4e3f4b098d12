"""Numbered notes shared by the report and the workbook.

A note's number is fixed by the order in which it is first referenced, sheet by sheet
(title first, then column headers), which is also the order gptables numbers its
``$$ref$$`` markers in; so ``[note 3]`` means the same note in the report and the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gbo.publish.displayed_tables import PublishedTable
from gbo.publish.layout import Column

RECORDED_NOTE = (
    "Percentages of those recorded leave out the 'Not recorded' row from the denominator. "
    "They are not applicable ([z]) on that row."
)
INTERVAL_NOTE = (
    "Confidence limits are Wilson score 95% intervals of the percentage of all. They express "
    "random variation; they do not cover linkage error or under-recording."
)


@dataclass
class NoteBook:
    """Notes in the order of first reference; identical texts share one number."""

    texts: list[str] = field(default_factory=list)

    def reference(self, text: str) -> int:
        """The note number of ``text``, adding it if it is new (numbers start at 1)."""
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1

    @staticmethod
    def key(number: int) -> str:
        """The gptables reference key of a note number."""
        return f"note{number:03d}"


@dataclass(frozen=True)
class TableNotes:
    """The notes one table refers to: on its title, and on its column headers."""

    title: tuple[int, ...]
    columns: dict[str, int]


def column_note_text(column: Column) -> str | None:
    if column.key == "pct_of_recorded":
        return RECORDED_NOTE
    if column.key in ("ci_lower", "ci_upper"):
        return INTERVAL_NOTE
    return None


def reference_notes(book: NoteBook, table: PublishedTable, columns: list[Column]) -> TableNotes:
    """Register a table's notes in reading order and say which number each has."""
    title = tuple(book.reference(text) for text in table.meta.notes)
    by_column: dict[str, int] = {}
    for column in columns:
        text = column_note_text(column)
        if text is not None:
            by_column[column.key] = book.reference(text)
    return TableNotes(title, by_column)


def marker(numbers: tuple[int, ...] | list[int]) -> str:
    """``[note 1] [note 4]`` for the given numbers."""
    return " ".join(f"[note {n}]" for n in numbers)
