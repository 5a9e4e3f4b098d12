"""How a published table is laid out for readers: its columns, headers and cells.

The report and the workbook use the same layout, so a figure reads the same everywhere: one
row per breakdown and category, a column per figure, units in the headers, and a shorthand
symbol wherever a figure is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gbo.publish.displayed_tables import PublishedTable

PERCENT_HEADERS = {
    "pct_of_all": "Percentage of all (%)",
    "pct_of_recorded": "Percentage of those recorded (%)",
    "ci_lower": "Lower 95% confidence limit (%)",
    "ci_upper": "Upper 95% confidence limit (%)",
}
STATISTIC_HEADERS = {
    "value": "Value",
    "n": "Number of people behind the figure",
    "ci_lower": "Lower 95% confidence limit",
    "ci_upper": "Upper 95% confidence limit",
}


@dataclass(frozen=True)
class Column:
    """One column of a laid-out table."""

    key: str
    header: str
    is_row_header: bool = False
    is_numeric: bool = False


def _present(rows: pd.DataFrame, figure: str) -> bool:
    """A figure (other than the count) is shown when at least one cell has a number."""
    return bool(rows[figure].notna().any())


def table_columns(table: PublishedTable) -> list[Column]:
    """The columns of a characteristics table, in reading order."""
    rows = table.rows
    meta = table.meta
    columns: list[Column] = []
    if table.has_breakdown:
        columns.append(Column("breakdown", meta.breakdown_label or "Breakdown"))
    columns.append(Column("category", meta.category_label, is_row_header=True))
    columns.append(Column("count", f"Number of {meta.unit}", is_numeric=True))
    has_not_recorded = bool(rows["is_not_recorded"].astype(bool).any())
    for figure, header in PERCENT_HEADERS.items():
        if figure == "pct_of_recorded" and not has_not_recorded:
            continue
        if _present(rows, figure):
            columns.append(Column(figure, header, is_numeric=True))
    return columns


def statistic_columns(table: PublishedTable) -> list[Column]:
    """The columns of a table's statistics (medians, quartiles, rate ratios)."""
    stats = table.statistics
    columns = [Column("breakdown", table.meta.breakdown_label or "Breakdown")]
    columns.append(Column("statistic", "Statistic", is_row_header=True))
    for figure, header in STATISTIC_HEADERS.items():
        if figure == "value" or _present(stats, figure):
            columns.append(Column(figure, header, is_numeric=True))
    return columns


def display_cells(frame: pd.DataFrame, columns: list[Column]) -> list[list[str]]:
    """Rows of display strings (symbols where withheld) for the HTML report."""
    out: list[list[str]] = []
    for record in frame.to_dict("records"):
        out.append(
            [str(record[f"{c.key}_display"] if c.is_numeric else record[c.key]) for c in columns]
        )
    return out


def workbook_frame(frame: pd.DataFrame, columns: list[Column], places: int = 1) -> pd.DataFrame:
    """A frame for the spreadsheet: numbers where published, the symbol where withheld.

    Counts are integers; other figures are rounded to ``places`` decimal places.
    """
    data: dict[str, list[object]] = {}
    for c in columns:
        if not c.is_numeric:
            data[c.header] = [str(v) for v in frame[c.key].tolist()]
            continue
        cells: list[object] = []
        for value, shown in zip(frame[c.key].tolist(), frame[f"{c.key}_display"], strict=True):
            if value is None or value is pd.NA or "[" in str(shown):
                # withheld (a symbol) or flagged (e.g. "12.5 [u]"): written as text
                cells.append(str(shown))
            elif c.key in ("count", "denominator", "n"):
                cells.append(int(value))
            else:
                cells.append(round(float(value), places))
        data[c.header] = cells
    return pd.DataFrame(data)
