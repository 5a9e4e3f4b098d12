"""The plan of the publication: one entry per published table, in order, with its notes.

The workbook, the report and the CSV files are all written from this plan, so sheet
numbers, note numbers and table ids agree across them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from gbo.disclosure.symbols import symbols_used
from gbo.publish.displayed_tables import PublishedTable
from gbo.publish.layout import Column, statistic_columns, table_columns
from gbo.publish.notes import NoteBook, TableNotes, reference_notes

SHEET_NAME_LIMIT = 31
UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")


def file_stem(table_id: str) -> str:
    """A table id made safe as a file name (CSV, chart): letters, digits, ``_`` and ``-``."""
    return UNSAFE_FILE_CHARACTERS.sub("_", table_id).strip("_") or "table"


@dataclass(frozen=True)
class TablePlan:
    """One published table (or the statistics of one) and where it goes."""

    number: int
    sheet: str
    anchor: str
    table: PublishedTable
    is_statistics: bool
    columns: list[Column]
    notes: TableNotes

    @property
    def table_id(self) -> str:
        suffix = "_statistics" if self.is_statistics else ""
        return f"{self.table.table_id}{suffix}"

    @property
    def file_stem(self) -> str:
        """The table id as a file name (``csv/<file_stem>.csv``, ``charts/<file_stem>.svg``)."""
        return file_stem(self.table_id)

    @property
    def frame(self) -> pd.DataFrame:
        """The rows this entry shows: the table's cells or its statistics."""
        return self.table.statistics if self.is_statistics else self.table.rows

    @property
    def symbols(self) -> list[str]:
        """The shorthand symbols that appear in the columns shown, in order of first use."""
        texts: list[object] = []
        for column in self.columns:
            if column.is_numeric:
                texts.extend(self.frame[f"{column.key}_display"].tolist())
        return symbols_used(texts)

    @property
    def title(self) -> str:
        title = self.table.meta.title
        return f"{title}: summary statistics" if self.is_statistics else title


@dataclass
class PublicationPlan:
    """Every table in publication order, and the notes they refer to."""

    tables: list[TablePlan]
    notes: NoteBook

    def for_table(self, table_id: str) -> list[TablePlan]:
        return [p for p in self.tables if p.table.table_id == table_id]


def sheet_name(number: int, table_id: str) -> str:
    """A short, meaningful, unique tab name such as ``T3_offenders_sex`` (31 characters)."""
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", table_id).strip("_")
    return f"T{number}_{stem}"[:SHEET_NAME_LIMIT]


def plan_publication(tables: list[PublishedTable]) -> PublicationPlan:
    """Number the tables and their notes in reading order."""
    book = NoteBook()
    plans: list[TablePlan] = []
    for table in tables:
        parts: list[tuple[bool, list[Column]]] = []
        if not table.rows.empty:
            parts.append((False, table_columns(table)))
        if not table.statistics.empty:
            parts.append((True, statistic_columns(table)))
        for is_statistics, columns in parts:
            number = len(plans) + 1
            table_key = table.table_id + ("_statistics" if is_statistics else "")
            name = sheet_name(number, table_key)
            notes = reference_notes(book, table, columns)
            plans.append(
                TablePlan(
                    number=number,
                    sheet=name,
                    anchor=f"table-{file_stem(table_key)}".replace("_", "-").lower(),
                    table=table,
                    is_statistics=is_statistics,
                    columns=columns,
                    notes=notes,
                )
            )
    return PublicationPlan(plans, book)
