"""Profile tables made by hand, and the rows disclosure control reads from them with what
the profile declared: for testing a declaration against the control it is written for."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from gbo.profile.tidy import TidyTable
from tests.disclosure.tables import one_table


def tidy_table(
    table_id: str, counts: dict[tuple[str, str], int], denominators: dict[str, int] | None = None
) -> TidyTable:
    """A table of {(breakdown, category): count}; totals are sums unless given."""
    breakdowns = list(dict.fromkeys(b for b, _ in counts))
    categories = list(dict.fromkeys(c for _, c in counts))
    sums = {b: sum(n for (bb, _), n in counts.items() if bb == b) for b in breakdowns}
    return TidyTable(table_id, breakdowns, categories, counts, sums | (denominators or {}))


def controlled_rows(
    by_id: Mapping[str, TidyTable],
    declared: Mapping[str, Mapping[str, Any]],
    multi_response: Collection[str] = (),
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """The tables as the disclosure stage reads them, with their declarations; the tables in
    ``multi_response`` are not additive (a unit may be in several categories)."""
    frames, meta = [], {}
    for table_id, table in by_id.items():
        cells = {
            b: {c: table.count(b, c) for c in table.categories if (b, c) in table.counts}
            for b in table.breakdowns
        }
        rows, one = one_table(
            table_id,
            cells,
            margin_key=table_id,
            is_additive=table_id not in multi_response,
            denominators=table.denominators,
        )
        frames.append(rows)
        meta[table_id] = one[table_id] | dict(declared.get(table_id, {}))
    return pd.concat(frames, ignore_index=True), meta
