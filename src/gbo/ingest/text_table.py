"""The in-memory form of one sheet of an export: a table of text with row numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from gbo.errors import IngestError

ROW_COLUMN = "_gbo_row"


@dataclass(frozen=True)
class MalformedRow:
    """A data row that could not be split into columns (kept to be quarantined)."""

    row: int
    text: str


@dataclass
class SheetData:
    """One sheet: every value text or null, with ``ROW_COLUMN`` the row's line number in the
    file (its row number in a spreadsheet; its record number in Parquet or JSON)."""

    name: str | None
    table: pa.Table
    malformed: list[MalformedRow] = field(default_factory=list)
    blank_lines: list[int] = field(default_factory=list)  # wholly blank lines among the rows

    @property
    def source_columns(self) -> list[str]:
        return [c for c in self.table.column_names if c != ROW_COLUMN]

    @property
    def n_rows(self) -> int:
        return int(self.table.num_rows) + len(self.malformed)


def check_header(names: list[str], path: Path, sheet: str | None = None) -> None:
    """A header must name each column once."""
    repeated = sorted(n for n, k in Counter(names).items() if k > 1)
    if repeated:
        where = f" (sheet {sheet!r})" if sheet else ""
        raise IngestError(
            f"the header{where} names these columns more than once: {', '.join(repeated)}",
            hint="rename the repeated columns so that each name is unique",
            path=path,
        )


def text_table(
    names: list[str], columns: list[pa.Array | pa.ChunkedArray], rows: list[int] | pa.Array
) -> pa.Table:
    """A table of text columns plus the row-number column."""
    numbers = rows if isinstance(rows, pa.Array) else pa.array(rows, pa.int64())
    arrays = [*columns, numbers]
    return pa.table(arrays, names=[*names, ROW_COLUMN])


def check_not_banner(
    names: list[str], line: int, guess: int, path: Path, sheet: str | None = None
) -> None:
    """A header row that is mostly blank is a title banner above the real header."""
    blank = sum(1 for n in names if not n.strip())
    if len(names) < 2 or blank * 2 < len(names):
        return
    where = f" of sheet {sheet!r}" if sheet else ""
    hint = (
        f"set header_row = {guess} in the mapping file (the line that names the columns)"
        if guess > line
        else "set header_row in the mapping file to the line that names the columns"
    )
    raise IngestError(
        f"line {line}{where} has {blank} blank column names out of {len(names)}: it looks "
        "like a title above the header, not the header",
        hint=hint,
        path=path,
    )
