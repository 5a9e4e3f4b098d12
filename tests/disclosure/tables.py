"""Small hand-made tidy tables for disclosure tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from tests.disclosure.factories import ALL, NOT_RECORDED, _row, metadata_for


def table_rows(
    table_id: str,
    cells: Mapping[str, Mapping[str, int]],
    *,
    denominators: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Rows of one table from {breakdown: {category: count}}; totals are sums unless given."""
    rows = []
    for breakdown, counts in cells.items():
        total = (denominators or {}).get(breakdown, sum(counts.values()))
        not_recorded = counts.get(NOT_RECORDED, 0)
        for order, (category, count) in enumerate(counts.items(), start=1):
            rows.append(
                _row(
                    table_id,
                    breakdown,
                    category,
                    order,
                    count,
                    total,
                    total - not_recorded,
                    category == NOT_RECORDED,
                )
            )
    return pd.DataFrame(rows)


def one_table(
    table_id: str,
    cells: Mapping[str, Mapping[str, int]],
    *,
    margin_key: str | None = "people",
    is_additive: bool = True,
    denominators: Mapping[str, int] | None = None,
    **extra: Any,
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    rows = table_rows(table_id, cells, denominators=denominators)
    meta = {
        table_id: metadata_for(table_id, margin_key=margin_key, is_additive=is_additive, **extra)
    }
    return rows, meta


def two_way(
    parts: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, int]]:
    """Add the ``All`` column to breakdown columns of one table."""
    categories = list(dict.fromkeys(c for counts in parts.values() for c in counts))
    everyone = {c: sum(parts[b].get(c, 0) for b in parts) for c in categories}
    return {ALL: everyone} | {b: {c: parts[b].get(c, 0) for c in categories} for b in parts}


def cell(frame: pd.DataFrame, table_id: str, breakdown: str, category: str) -> pd.Series:
    hit = frame[
        (frame["table_id"] == table_id)
        & (frame["breakdown"] == breakdown)
        & (frame["category"] == category)
    ]
    assert len(hit) == 1
    return hit.iloc[0]
