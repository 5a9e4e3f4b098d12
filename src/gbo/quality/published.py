"""The published copy of the data quality page: small counts by characteristic withheld.

The page's linkage bias audit counts records by sex, ethnicity group, age band and agency
pair, and its unmapped-code table counts records by code value. Those are small cells of
the kind disclosure control exists for, so the copy that goes into the publication withholds
them: a count from 1 to ``threshold - 1`` is shown as ``[c]``, and so is the percentage
built on it. Within one dimension of the bias audit the groups add up to the same total, so
when one count of a column is withheld the next smallest is withheld too (otherwise it could
be worked out by subtraction); a group whose record count is withheld is withheld whole.
The full page stays in the run folder for the analyst.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gbo.disclosure.symbols import CONFIDENTIAL

Row = dict[str, Any]


def _small(value: Any, threshold: int) -> bool:
    return isinstance(value, int | float) and 0 < value < threshold


def mask_bias_rows(rows: Iterable[Row], threshold: int) -> list[Row]:
    """The bias-audit rows with small counts (and their percentages) withheld."""
    out = [dict(r) for r in rows]
    if not out:
        return out
    # n_records first: a group with few records is withheld whole.
    counts = sorted((k for k in out[0] if k.startswith("n_")), key=lambda k: k != "n_records")
    by_dimension: dict[Any, list[Row]] = {}
    for row in out:
        by_dimension.setdefault(row.get("dimension"), []).append(row)
    for group in by_dimension.values():
        for column in counts:
            _mask_column(group, column, threshold, whole_row=column == "n_records")
    return out


def _mask_column(group: list[Row], column: str, threshold: int, *, whole_row: bool) -> None:
    withheld = [r for r in group if r[column] == CONFIDENTIAL or _small(r[column], threshold)]
    shown = [r for r in group if r not in withheld and isinstance(r[column], int | float)]
    if len(withheld) == 1 and shown:
        withheld.append(min(shown, key=lambda r: (r[column] == 0, r[column])))
    for row in withheld:
        for key in list(row) if whole_row else [column, "pct" + column[1:]]:
            if key in row and key not in ("dimension", "group"):
                row[key] = CONFIDENTIAL


def mask_small_counts(rows: Iterable[Row], column: str, threshold: int) -> list[Row]:
    """Rows with ``column`` withheld where it is a small count."""
    return [{**r, column: CONFIDENTIAL} if _small(r[column], threshold) else dict(r) for r in rows]
