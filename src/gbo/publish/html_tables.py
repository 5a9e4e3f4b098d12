"""Tables as the report shows them: captions, column headers with ``scope``, row headers.

Every table the report prints goes through :class:`HtmlTable`, so every one has a caption,
``scope="col"`` headers, a ``data-table-id`` for the review app's comments, and numbers
right-aligned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbo.publish.charts import Chart
from gbo.publish.layout import display_cells
from gbo.publish.plan import TablePlan


@dataclass(frozen=True)
class HeaderCell:
    text: str
    notes: tuple[int, ...] = ()
    is_numeric: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    is_header: bool = False
    is_numeric: bool = False


@dataclass(frozen=True)
class HtmlTable:
    """One ``<table>``: its id for comment anchors, its caption and its cells."""

    table_id: str
    caption: str
    headers: list[HeaderCell]
    rows: list[list[Cell]]
    caption_notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class TableBlock:
    """A published table with everything printed around it."""

    anchor: str
    number: int
    title: str
    table: HtmlTable
    definition: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    symbols: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    chart: Chart | None = None
    chart_src: str = ""
    csv_href: str = ""

    @property
    def is_narrow(self) -> bool:
        """A table narrow enough to sit beside its chart (wider ones have it below)."""
        return len(self.table.headers) <= 4


def plan_table(plan: TablePlan) -> HtmlTable:
    """The HTML table of one planned table (its cells, or its statistics)."""
    headers = [
        HeaderCell(
            c.header,
            (plan.notes.columns[c.key],) if c.key in plan.notes.columns else (),
            c.is_numeric,
        )
        for c in plan.columns
    ]
    rows = [
        [
            Cell(text, is_header=c.is_row_header, is_numeric=c.is_numeric)
            for text, c in zip(values, plan.columns, strict=True)
        ]
        for values in display_cells(plan.frame, plan.columns)
    ]
    return HtmlTable(
        table_id=plan.table_id,
        caption=f"Table {plan.number}: {plan.title}",
        headers=headers,
        rows=rows,
        caption_notes=plan.notes.title,
    )


def table_block(
    plan: TablePlan,
    symbols: dict[str, str],
    notes: list[str],
    chart: Chart | None,
    *,
    has_csv: bool = True,
) -> TableBlock:
    meta = plan.table.meta
    facts = []
    if meta.population:
        facts.append(("Population", meta.population))
    if meta.period:
        facts.append(("Period", meta.period))
    if meta.completeness is not None and not plan.is_statistics:
        facts.append(("Recorded", f"{meta.completeness:.1%} of records have this item"))
    if meta.sources:
        facts.append(("Source", ", ".join(meta.sources)))
    numbers = sorted(set(plan.notes.title) | set(plan.notes.columns.values()))
    return TableBlock(
        anchor=plan.anchor,
        number=plan.number,
        title=plan.title,
        table=plan_table(plan),
        definition=meta.definition,
        facts=facts,
        symbols=[(s, symbols.get(s, "see the symbols list")) for s in plan.symbols],
        notes=[(n, notes[n - 1]) for n in numbers],
        chart=chart,
        chart_src=f"charts/{plan.file_stem}.svg" if chart else "",
        csv_href=f"../csv/{plan.file_stem}.csv" if has_csv else "",
    )


def humanise(name: str) -> str:
    """``share_recorded`` -> ``Share recorded``; ``n_groups`` -> ``Number of groups``."""
    name = str(name)
    if name.startswith("n_"):
        name = "number_of_" + name[2:]
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def format_value(name: str, value: Any) -> tuple[str, bool]:
    """A value of an aggregate item as text, and whether it is numeric."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "[x]", True
    if isinstance(value, bool):
        return ("Yes" if value else "No"), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        if name.startswith(("share", "pct", "proportion")) and 0 <= value <= 1:
            return f"{value:.1%}", True
        # a float keeps a decimal place, so a rate of 1 never reads as a count of one
        text = f"{value:,.3f}".rstrip("0")
        return (text + "0" if text.endswith(".") else text), True
    if hasattr(value, "tolist") and not isinstance(value, int | float):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return ", ".join(humanise(str(v)) for v in value), False
    return str(value), False


def frame_table(frame: pd.DataFrame, table_id: str, caption: str) -> HtmlTable:
    """An aggregate frame (completeness, group sensitivity) as an HTML table."""
    names = [str(c) for c in frame.columns]
    rows: list[list[Cell]] = []
    numeric = [False] * len(names)
    for record in frame.itertuples(index=False):
        row = []
        for i, (name, value) in enumerate(zip(names, record, strict=True)):
            if isinstance(value, np.generic):
                value = value.item()
            text, is_numeric = format_value(name, value)
            numeric[i] = numeric[i] or is_numeric
            row.append(Cell(text, is_header=i == 0, is_numeric=is_numeric and i > 0))
        rows.append(row)
    headers = [
        HeaderCell(humanise(n), is_numeric=numeric[i] and i > 0) for i, n in enumerate(names)
    ]
    return HtmlTable(table_id=table_id, caption=caption, headers=headers, rows=rows)


def flatten_items(
    data: dict[str, Any], prefix: str = "", skip: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """Scalar entries of a JSON object (one level of nesting), as label and text."""
    items: list[tuple[str, str]] = []
    for key, value in data.items():
        if key in skip:
            continue
        label = f"{prefix}{humanise(key)}"
        if isinstance(value, dict):
            if not prefix:
                items.extend(flatten_items(value, prefix=f"{label}: "))
            continue
        if isinstance(value, list) and (len(value) > 12 or any(isinstance(v, dict) for v in value)):
            continue
        items.append((label, format_value(str(key), value)[0]))
    return items
