"""Small published tables built the way the publish stage builds them."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from gbo.publish.displayed_tables import build_tables, prepare_rows, prepare_statistics
from gbo.publish.plan import PublicationPlan, plan_publication


def category_rows(
    table_id: str,
    breakdown: str,
    counts: dict[str, int | None],
    *,
    withheld: Collection[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Tidy rows of one breakdown; categories in ``withheld`` are published as ``[c]``."""
    total = sum(c or 0 for c in counts.values())
    rows = []
    for order, (category, count) in enumerate(counts.items(), start=1):
        share = 100 * (count or 0) / total if total else None
        hidden = category in withheld
        row: dict[str, Any] = {
            "table_id": table_id,
            "breakdown": breakdown,
            "category": category,
            "category_order": order,
            "is_not_recorded": category == "Not recorded",
            "count": count,
            "count_display": "[c]" if hidden else str(count),
            "denominator": total,
            "denominator_display": str(total),
        }
        for figure, value in (
            ("pct_of_all", share),
            ("ci_lower", None if share is None else max(share - 5, 0)),
            ("ci_upper", None if share is None else min(share + 5, 100)),
        ):
            row[figure] = value
            row[f"{figure}_display"] = "[c]" if hidden or value is None else f"{value:.1f}"
        rows.append(row)
    return rows


def statistic_rows(
    table_id: str, breakdown: str, values: dict[str, float], n: int
) -> list[dict[str, Any]]:
    return [
        {
            "table_id": table_id,
            "breakdown": breakdown,
            "statistic": name,
            "value": value,
            "value_display": f"{value:g}",
            "n": n,
            "n_display": str(n),
        }
        for name, value in values.items()
    ]


def make_plan(
    rows: list[dict[str, Any]],
    statistics: list[dict[str, Any]] | None = None,
    sections: dict[str, str] | None = None,
) -> PublicationPlan:
    frame = prepare_rows(pd.DataFrame(rows))
    stats = prepare_statistics(pd.DataFrame(statistics or []))
    ids = list(dict.fromkeys(r["table_id"] for r in rows))
    ids += [s["table_id"] for s in statistics or [] if s["table_id"] not in ids]
    metadata = {
        t: {
            "title": t.replace("_", " ").capitalize(),
            "section": (sections or {}).get(t, "offenders"),
        }
        for t in dict.fromkeys(ids)
    }
    tables, _ = build_tables(frame, stats, metadata)
    return plan_publication(tables)
