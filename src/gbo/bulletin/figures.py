"""The published figures that sentences may quote, looked up by table, breakdown and label.

Only a figure whose published text is a plain number is quotable: a withheld figure (a
symbol such as ``[c]``) or a flagged one (``12.5 [u]``) is never returned, so a sentence
built from these look-ups quotes nothing that disclosure control did not let through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from gbo.publish.plan import PublicationPlan, TablePlan

PLAIN_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")
NUMBER_IN_TEXT = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?")


def quotable(text: object) -> str | None:
    """The published text of a figure when it is a plain number, else None."""
    if not isinstance(text, str):
        if text is None or (isinstance(text, float) and pd.isna(text)):
            return None
        text = str(text)
    text = text.strip()
    return text if PLAIN_NUMBER.match(text) else None


def as_decimal(text: str) -> Decimal | None:
    """A number written in text (``1,068``, ``12.5``) as a Decimal, or None."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def numbers_in(text: str) -> list[str]:
    """The numbers written in a piece of text, as written."""
    return [m.group(0).rstrip(",") for m in NUMBER_IN_TEXT.finditer(text)]


@dataclass(frozen=True)
class CategoryFigures:
    """The quotable figures of one category in one breakdown (None where not quotable)."""

    table: TablePlan
    breakdown: str
    category: str
    is_not_recorded: bool
    count: str | None
    denominator: str | None
    pct: str | None
    lower: str | None
    upper: str | None

    @property
    def has_share(self) -> bool:
        return None not in (self.pct, self.lower, self.upper)


@dataclass(frozen=True)
class StatisticFigures:
    """One quotable summary statistic (median, quartile...) and the number it is over."""

    table: TablePlan
    breakdown: str
    statistic: str
    value: str | None
    n: str | None


def _flag(value: Any) -> bool:
    return bool(value) and str(value).lower() not in ("false", "0", "nan")


class PublishedFigures:
    """Every table of a publication plan, indexed for sentences."""

    def __init__(self, plan: PublicationPlan) -> None:
        self.plan = plan
        self._tables = {e.table.table_id: e for e in plan.tables if not e.is_statistics}
        self._statistics = {e.table.table_id: e for e in plan.tables if e.is_statistics}

    def table(self, table_id: str) -> TablePlan | None:
        return self._tables.get(table_id)

    def categories(self, table_id: str, breakdown: str) -> list[CategoryFigures]:
        """The categories of one breakdown in published order (empty when there is none)."""
        entry = self._tables.get(table_id)
        if entry is None:
            return []
        rows = entry.frame[entry.frame["breakdown"].astype(str) == breakdown]
        if "category_order" in rows:
            rows = rows.sort_values("category_order", kind="stable")
        return [
            CategoryFigures(
                table=entry,
                breakdown=breakdown,
                category=str(row["category"]),
                is_not_recorded=_flag(row.get("is_not_recorded")),
                count=quotable(row.get("count_display")),
                denominator=quotable(row.get("denominator_display")),
                pct=quotable(row.get("pct_of_all_display")),
                lower=quotable(row.get("ci_lower_display")),
                upper=quotable(row.get("ci_upper_display")),
            )
            for row in rows.to_dict("records")
        ]

    def category(self, table_id: str, breakdown: str, category: str) -> CategoryFigures | None:
        for figures in self.categories(table_id, breakdown):
            if figures.category == category:
                return figures
        return None

    def statistic(self, table_id: str, breakdown: str, statistic: str) -> StatisticFigures | None:
        entry = self._statistics.get(table_id)
        if entry is None:
            return None
        frame = entry.frame
        rows = frame[
            (frame["breakdown"].astype(str) == breakdown)
            & (frame["statistic"].astype(str) == statistic)
        ]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return StatisticFigures(
            table=entry,
            breakdown=breakdown,
            statistic=statistic,
            value=quotable(row.get("value_display")),
            n=quotable(row.get("n_display")),
        )


def published_numbers(plan: PublicationPlan) -> set[Decimal]:
    """Every number printed in the publication's tables: figures, totals and labels."""
    numbers: set[Decimal] = set()
    for entry in plan.tables:
        frame = entry.frame
        for column in frame.columns:
            name = str(column)
            if name.endswith("_display") or name in ("category", "breakdown"):
                texts = frame[column].dropna().astype(str)
            else:
                continue
            for text in texts:
                for number in numbers_in(text):
                    value = as_decimal(number)
                    if value is not None:
                        numbers.add(value)
    return numbers
