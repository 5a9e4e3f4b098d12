"""The tidy table format: counts to rows with percentages and Wilson intervals.

One row per table x breakdown x category, the columns of ``docs/run-folder.md``. The
arithmetic is vectorised over whole tables (statsmodels' Wilson interval takes arrays).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from statsmodels.stats.proportion import proportion_confint

from gbo.disclosure.page_builder import declare_listed
from gbo.schema.codes import NOT_RECORDED

ALL = "All"

TABLES_SCHEMA = pa.schema(
    [
        pa.field("table_id", pa.string(), nullable=False),
        pa.field("breakdown", pa.string(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("category_order", pa.int64(), nullable=False),
        pa.field("count", pa.int64(), nullable=False),
        pa.field("denominator", pa.int64(), nullable=False),
        pa.field("pct_of_all", pa.float64()),
        pa.field("pct_of_recorded", pa.float64()),
        pa.field("ci_lower", pa.float64()),
        pa.field("ci_upper", pa.float64()),
        pa.field("is_not_recorded", pa.bool_(), nullable=False),
    ]
)

STATISTICS_SCHEMA = pa.schema(
    [
        pa.field("table_id", pa.string(), nullable=False),
        pa.field("breakdown", pa.string(), nullable=False),
        pa.field("statistic", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("n", pa.int64()),
        pa.field("ci_lower", pa.float64()),
        pa.field("ci_upper", pa.float64()),
    ]
)


def wilson_interval(
    count: Sequence[int] | np.ndarray, nobs: Sequence[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% interval of count / nobs, as proportions; NaN where nobs is 0."""
    count_arr = np.asarray(count, dtype=float)
    nobs_arr = np.asarray(nobs, dtype=float)
    lower = np.full(count_arr.shape, np.nan)
    upper = np.full(count_arr.shape, np.nan)
    ok = nobs_arr > 0
    if ok.any():
        low, high = proportion_confint(count_arr[ok], nobs_arr[ok], alpha=0.05, method="wilson")
        lower[ok] = np.clip(np.asarray(low, dtype=float), 0.0, 1.0)
        upper[ok] = np.clip(np.asarray(high, dtype=float), 0.0, 1.0)
        # exact at the edges (floating point leaves 1 - 1e-16 when every unit is counted)
        lower[ok & (count_arr == 0)] = 0.0
        upper[ok & (count_arr == nobs_arr)] = 1.0
    return lower, upper


@dataclass
class TidyTable:
    """One table's cells, in display order, before they become rows."""

    table_id: str
    breakdowns: list[str]
    categories: list[str]
    # (breakdown, category) -> count; missing cells are zero
    counts: dict[tuple[str, str], int]
    denominators: dict[str, int]
    unknown_categories: frozenset[str] = frozenset()
    completeness: float | None = None
    warnings: list[str] = field(default_factory=list)
    # figures listed only because they are not zero: (breakdown, None), a breakdown seen in
    # the data (a year, a "Not recorded" column); (breakdown, category), a category seen
    listed: list[tuple[str, str | None]] = field(default_factory=list)

    def listed_relations(self) -> list[dict[str, Any]]:
        """What a reader knows from the listing itself: each figure listed is at least 1."""
        meta: dict[str, Any] = {}
        for breakdown, category in self.listed:
            declare_listed(meta, self.table_id, breakdown, category)
        return list(meta.get("relations", []))

    def count(self, breakdown: str, category: str) -> int:
        return self.counts.get((breakdown, category), 0)

    def recorded(self, breakdown: str) -> int:
        """Units in the breakdown with a known value (not ``Not recorded``, not unknown)."""
        missing = self.count(breakdown, NOT_RECORDED) + sum(
            self.count(breakdown, c) for c in self.unknown_categories
        )
        return self.denominators.get(breakdown, 0) - missing

    def to_arrow(self) -> pa.Table:
        rows_b: list[str] = []
        rows_c: list[str] = []
        order: list[int] = []
        count: list[int] = []
        den: list[int] = []
        recorded: list[int] = []
        for breakdown in self.breakdowns:
            d = self.denominators.get(breakdown, 0)
            r = self.recorded(breakdown)
            for i, category in enumerate(self.categories):
                rows_b.append(breakdown)
                rows_c.append(category)
                order.append(i + 1)
                count.append(self.count(breakdown, category))
                den.append(d)
                recorded.append(r)
        count_arr = np.asarray(count, dtype=float)
        den_arr = np.asarray(den, dtype=float)
        rec_arr = np.asarray(recorded, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct_all = np.where(den_arr > 0, 100.0 * count_arr / den_arr, np.nan)
            pct_rec = np.where(rec_arr > 0, 100.0 * count_arr / rec_arr, np.nan)
        is_nr = [c == NOT_RECORDED for c in rows_c]
        not_share = [
            nr or c in self.unknown_categories for nr, c in zip(is_nr, rows_c, strict=True)
        ]
        pct_rec = np.where(np.asarray(not_share, dtype=bool), np.nan, pct_rec)
        lower, upper = wilson_interval(count_arr, den_arr)
        return pa.table(
            {
                "table_id": [self.table_id] * len(rows_b),
                "breakdown": rows_b,
                "category": rows_c,
                "category_order": order,
                "count": count,
                "denominator": den,
                "pct_of_all": _nullable(pct_all),
                "pct_of_recorded": _nullable(pct_rec),
                "ci_lower": _nullable(100.0 * lower),
                "ci_upper": _nullable(100.0 * upper),
                "is_not_recorded": is_nr,
            },
            schema=TABLES_SCHEMA,
        )


def _nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.float64(), mask=np.isnan(values))


@dataclass
class Statistic:
    """One non-count figure for ``statistics.parquet``."""

    table_id: str
    breakdown: str
    statistic: str
    value: float | None
    n: int | None
    ci_lower: float | None = None
    ci_upper: float | None = None


def statistics_to_arrow(stats: Sequence[Statistic]) -> pa.Table:
    return pa.table(
        {
            "table_id": [s.table_id for s in stats],
            "breakdown": [s.breakdown for s in stats],
            "statistic": [s.statistic for s in stats],
            "value": [_finite(s.value) for s in stats],
            "n": [s.n for s in stats],
            "ci_lower": [_finite(s.ci_lower) for s in stats],
            "ci_upper": [_finite(s.ci_upper) for s in stats],
        },
        schema=STATISTICS_SCHEMA,
    )


def _finite(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(value)
