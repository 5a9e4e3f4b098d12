"""The published form of the tidy tables: nullable figures and their display strings.

A percentage or interval is shown only when every figure it is worked from is shown: its
count and its column total, and for the percentage of recorded values also the unrecorded
counts of that column (otherwise the recorded total, and so a hidden ``Not recorded``
count, could be worked back out). With rounding, percentages and Wilson intervals are
worked from the rounded figures, so they reveal nothing the rounded counts do not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from gbo.disclosure.cells import CellRef
from gbo.disclosure.linear_system import LinearSystem
from gbo.disclosure.primary import not_recorded_categories
from gbo.disclosure.rounding import round_counts
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import PUBLISHED, STATUS_NAMES, STRUCTURAL, SuppressionState
from gbo.disclosure.symbols import (
    CONFIDENTIAL,
    LOW_RELIABILITY,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    ROUNDS_TO_ZERO,
    format_count,
    format_percent,
)

Shown = tuple[float | None, str]
"""A published figure: its number (None where withheld) and its display text."""

DISPLAY_COLUMNS = (
    "count_display",
    "denominator_display",
    "pct_of_all_display",
    "pct_of_recorded_display",
    "ci_lower_display",
    "ci_upper_display",
)


@dataclass
class _Figure:
    """One count as published: the number shown (or None) and its display text."""

    value: int | None
    display: str
    status: int


class _Publisher:
    def __init__(
        self, system: LinearSystem, state: SuppressionState, settings: DisclosureSettings
    ) -> None:
        self.system = system
        self.state = state
        self.settings = settings
        self.base = settings.rounding_base
        self.rounded = round_counts(system.values, self.base)

    def figure(self, ref: CellRef) -> _Figure:
        q = self.system.ref_index[ref]
        status = int(self.state.status[q])
        if status == STRUCTURAL:
            return _Figure(None, NOT_APPLICABLE, status)
        if status != PUBLISHED:
            return _Figure(None, CONFIDENTIAL, status)
        value = int(self.rounded[q])
        if value == 0 and int(self.system.values[q]) > 0:
            return _Figure(None, ROUNDS_TO_ZERO, status)
        return _Figure(value, format_count(value), status)

    def percent(self, value: float | None, base: int | None, count: int | None) -> Shown:
        """A shown percentage (or interval end) with [low] and [u] applied."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None, NOT_AVAILABLE
        text = format_percent(value, self.settings.percent_decimals)
        if count and value > 0 and float(text) == 0.0:
            text = ROUNDS_TO_ZERO
        if base is not None and base < self.settings.small_denominator:
            if self.settings.small_denominator_action == "suppress":
                return None, LOW_RELIABILITY
            text = f"{text} {LOW_RELIABILITY}"
        return value, text


def publish_tables(
    rows: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    system: LinearSystem,
    state: SuppressionState,
    settings: DisclosureSettings,
) -> pd.DataFrame:
    """Every row of ``rows`` in published form (every table is controlled)."""
    publisher = _Publisher(system, state, settings)
    frames = []
    for table_id, frame in rows.groupby("table_id", sort=False):
        frames.append(_publish_personal(publisher, str(table_id), frame))
    if not frames:
        return _empty(rows)
    return pd.concat([_typed(f) for f in frames], ignore_index=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable types, so that suppressed figures are nulls, not NaN or None."""
    out = frame.copy()
    for column in ("count", "denominator"):
        out[column] = pd.array(
            [None if v is None or v is pd.NA or v != v else int(v) for v in out[column]],
            dtype="Int64",
        )
    for column in ("pct_of_all", "pct_of_recorded", "ci_lower", "ci_upper"):
        out[column] = pd.array([_float(v) for v in out[column]], dtype="Float64")
    for column in (*DISPLAY_COLUMNS, "suppression"):
        out[column] = out[column].astype("string")
    return out


def _empty(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.copy()
    for column in DISPLAY_COLUMNS:
        out[column] = pd.Series(dtype="string")
    out["suppression"] = pd.Series(dtype="string")
    return out


def _publish_personal(publisher: _Publisher, table_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    unrecorded = not_recorded_categories(frame)
    out = frame.copy()
    records: list[dict[str, Any]] = []
    for breakdown, column in frame.groupby("breakdown", sort=False):
        records += _column_records(publisher, table_id, str(breakdown), column, unrecorded)
    published = pd.DataFrame.from_records(records).set_index("_index")
    for name in published.columns:
        out[str(name)] = published[name].reindex(out.index)
    return out


def _column_records(
    publisher: _Publisher,
    table_id: str,
    breakdown: str,
    column: pd.DataFrame,
    unrecorded: set[str],
) -> list[dict[str, Any]]:
    """The published figures of one column (breakdown) of a table about people."""
    total = publisher.figure(CellRef(table_id, breakdown, None))
    figures = [publisher.figure(CellRef(table_id, breakdown, str(c))) for c in column["category"]]
    unrecorded_figures = [
        f for f, c in zip(figures, column["category"], strict=True) if str(c) in unrecorded
    ]
    recorded: int | None = None
    if total.value is not None and all(
        f.value is not None or f.display == NOT_APPLICABLE for f in unrecorded_figures
    ):
        recorded = total.value - sum(f.value or 0 for f in unrecorded_figures)
    records = []
    for (index, row), fig in zip(column.iterrows(), figures, strict=True):
        pct_all, ci_lower, ci_upper = _share_of_all(publisher, row, fig, total)
        if str(row["category"]) in unrecorded:
            pct_rec: Shown = (None, NOT_APPLICABLE)
        else:
            pct_rec = _share_of_recorded(publisher, row, fig, total, recorded)
        record: dict[str, Any] = {
            "_index": index,
            "count": fig.value,
            "denominator": total.value,
            "count_display": fig.display,
            "denominator_display": total.display,
            "suppression": STATUS_NAMES.get(fig.status),
        }
        record["pct_of_all"], record["pct_of_all_display"] = pct_all
        record["pct_of_recorded"], record["pct_of_recorded_display"] = pct_rec
        record["ci_lower"], record["ci_lower_display"] = ci_lower
        record["ci_upper"], record["ci_upper_display"] = ci_upper
        records.append(record)
    return records


def _share_of_all(
    publisher: _Publisher, row: pd.Series, fig: _Figure, total: _Figure
) -> tuple[Shown, Shown, Shown]:
    """The percentage of the column and its interval, or the symbols they take."""
    blocked = _blocked_symbol(fig, total)
    if blocked is None and total.value == 0:
        blocked = NOT_APPLICABLE
    if blocked is not None or fig.value is None or total.value is None:
        symbol = blocked or CONFIDENTIAL
        return (None, symbol), (None, symbol), (None, symbol)
    pct, low, high = _percent_and_interval(row, fig.value, total.value, publisher.base)
    return (
        publisher.percent(pct, total.value, fig.value),
        publisher.percent(low, total.value, None),
        publisher.percent(high, total.value, None),
    )


def _share_of_recorded(
    publisher: _Publisher, row: pd.Series, fig: _Figure, total: _Figure, recorded: int | None
) -> Shown:
    """The percentage of those recorded, shown only if every figure behind it is shown."""
    blocked = _blocked_symbol(fig, total)
    if blocked is not None:
        return None, blocked
    if recorded is None or fig.value is None:
        return None, CONFIDENTIAL
    if recorded == 0:
        return None, NOT_APPLICABLE
    value = (
        100.0 * fig.value / recorded if publisher.base > 1 else _float(row.get("pct_of_recorded"))
    )
    return publisher.percent(value, recorded, fig.value)


def _blocked_symbol(fig: _Figure, total: _Figure) -> str | None:
    """The symbol a percentage takes because of its count or total, or None if it can show."""
    if fig.status == STRUCTURAL:
        return NOT_APPLICABLE
    if fig.display in (CONFIDENTIAL,) or total.display == CONFIDENTIAL:
        return CONFIDENTIAL
    if total.display == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if fig.value is None and fig.display == ROUNDS_TO_ZERO:
        return ROUNDS_TO_ZERO
    if total.value is None:
        return CONFIDENTIAL
    return None


def _float(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _percent_and_interval(
    row: pd.Series, count: int, total: int, base: int
) -> tuple[float | None, float | None, float | None]:
    """The input's percentage and interval, or (with rounding) those of the rounded figures."""
    if base <= 1:
        return (
            _float(row.get("pct_of_all")),
            _float(row.get("ci_lower")),
            _float(row.get("ci_upper")),
        )
    count = min(count, total)
    low, high = proportion_confint(count, total, alpha=0.05, method="wilson")
    return (
        100.0 * count / total,
        100.0 * float(np.clip(low, 0.0, 1.0)),
        100.0 * float(np.clip(high, 0.0, 1.0)),
    )


def _publish_as_is(frame: pd.DataFrame, settings: DisclosureSettings) -> pd.DataFrame:
    """A table not about people (e.g. case review documents): figures shown as they are."""
    out = frame.copy()
    decimals = settings.percent_decimals

    def pct(value: Any) -> str:
        number = _float(value)
        return NOT_APPLICABLE if number is None else format_percent(number, decimals)

    out["count_display"] = [format_count(int(v)) for v in out["count"]]
    out["denominator_display"] = [format_count(int(v)) for v in out["denominator"]]
    out["pct_of_all_display"] = [pct(v) for v in out["pct_of_all"]]
    out["pct_of_recorded_display"] = [pct(v) for v in out["pct_of_recorded"]]
    out["ci_lower_display"] = [pct(v) for v in out["ci_lower"]]
    out["ci_upper_display"] = [pct(v) for v in out["ci_upper"]]
    out["suppression"] = None
    return out
