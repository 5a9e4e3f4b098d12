"""Reading a CSV file a user gives gbo's lessons stage (a library's metadata, a negation probe,
an analyst's decisions): its rows numbered as a spreadsheet shows them, once the columns it
needs are known to be there. Each fault is a :class:`LessonsError` naming the file."""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Sequence
from pathlib import Path

from gbo.errors import LessonsError
from gbo.lessons.labelled import theme_ids

NumberedRows = list[tuple[int, dict[str, str]]]
_THEME_ID = re.compile(r"[A-Za-z0-9_.-]+")


def numbered_rows(path: Path, columns: Sequence[str], what: str, hint: str) -> NumberedRows:
    """(row number, row) of each data row (the header is row 1). ``what`` names the file in
    messages ("metadata file"); ``hint`` says which columns it should have."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise LessonsError(
                    f"the {what} has no {', '.join(missing)} column", hint=hint, path=path
                )
            return list(enumerate(reader, start=2))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise LessonsError(
            f"the {what} cannot be read as CSV: {exc}", hint="save it as UTF-8 CSV", path=path
        ) from exc


def theme_id_field(
    value: str | None, row: int, column: str, known: Collection[str] | None, path: Path
) -> frozenset[str]:
    """The theme ids of one field (``|`` between them), each checked: against ``known`` when
    it is given (the taxonomy's ids), else only for its letters."""
    found = theme_ids(value)
    for theme in sorted(found):
        if not _THEME_ID.fullmatch(theme) or (known is not None and theme not in known):
            raise LessonsError(
                f"row {row}, column {column}: {theme!r} is not a theme id",
                hint="use the taxonomy's ids, such as T01, separated by |",
                path=path,
            )
    return found
