"""Tidy CSV files: one per published table, one row per breakdown and category.

Each figure has two columns: the number (empty where it is withheld) for machines, and
the text as published (the number, or a shorthand symbol such as ``[c]``) for people.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gbo.disclosure.symbols import FIGURES
from gbo.publish.displayed_tables import STATISTIC_FIGURES
from gbo.publish.plan import TablePlan

TABLE_KEYS = ["table_id", "breakdown", "category", "category_order", "is_not_recorded"]
STATISTIC_KEYS = ["table_id", "breakdown", "statistic"]


def tidy_frame(entry: TablePlan) -> pd.DataFrame:
    """The published columns of one table in tidy form: numbers and display text.

    Why a figure was withheld (primary or secondary) is never published: knowing a ``[c]``
    is primary tells a reader the count is below the threshold, a narrower range than the
    protection the disclosure audit proves.
    """
    keys, figures = (
        (STATISTIC_KEYS, STATISTIC_FIGURES) if entry.is_statistics else (TABLE_KEYS, FIGURES)
    )
    frame = entry.frame
    columns: dict[str, pd.Series] = {k: frame[k] for k in keys if k in frame.columns}
    for figure in figures:
        values = frame[figure]
        if figure in ("count", "denominator", "n"):
            values = values.round().astype("Int64")
        columns[figure] = values
        columns[f"{figure}_display"] = frame[f"{figure}_display"]
    out = pd.DataFrame(columns)
    out["table_id"] = entry.table_id
    return out


def write_csv(folder: Path, entry: TablePlan) -> Path:
    """Write ``<table_id>.csv`` (UTF-8, header row, no index) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry.file_stem}.csv"
    tidy_frame(entry).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
