"""Counts of people published as statistics, controlled as figures of the one system.

A table of statistics may name counts of people among its statistics
(``statistics_figures``: the statistics, the breakdowns, which statistic is each
breakdown's total, and the relations and shared figures its definitions give). The
journeys sensitivity table is one: the victims, the identified and the known but never
identified under each definition of identification. Its definitions tie those counts to
the tables (the configured counts are the identification table's; the victims without
contacts are the same under a broader rule), which the statistics' own checks cannot see:
the eighth red team of stop 62 pinned complementary figures of the journeys tables through
them. Here they become a table of their own (``<table>__counts``), not additive, with the
declared relations, so that primary and secondary suppression and the audit treat them
like any figure. :mod:`gbo.disclosure.statistics_control` then shows such a count only
where its figure is shown, and withholds a statistic whose ``n`` is a withheld count of its
row (a median's ``n`` is the identified). The table is audited and never published as one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from gbo.disclosure.page_builder import PageTables
from gbo.disclosure.statistics_relations import number

FIGURES_SUFFIX = "__counts"


def figure_table_id(table_id: str) -> str:
    """The table of a statistics table's counts of people."""
    return f"{table_id}{FIGURES_SUFFIX}"


def statistic_figure_tables(
    statistics: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]]
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """The counts each table names (``statistics_figures``) as tidy rows, with metadata."""
    t = PageTables()
    if statistics.empty:
        return pd.DataFrame(t.rows), t.metadata
    for table_id, meta in metadata.items():
        spec = meta.get("statistics_figures")
        if not spec:
            continue
        own = statistics[statistics["table_id"].astype(str) == str(table_id)]
        values: dict[tuple[str, str], float] = {}
        for row in own.itertuples(index=False):
            value = number(row.value)
            if value is not None:
                values[(str(row.breakdown), str(row.statistic))] = value
        figures = figure_table_id(str(table_id))
        for breakdown in spec["breakdowns"]:
            total = values.get((str(breakdown), str(spec["total"])))
            if total is None:
                continue
            if figures not in t.metadata:
                t.table(figures, additive=False, margin=meta.get("margin_key"))
                t.metadata[figures]["unit"] = meta.get("unit", "people")
            for statistic in spec["statistics"]:
                value = values.get((str(breakdown), str(statistic)))
                if value is not None:
                    t.add(figures, str(breakdown), str(statistic), int(value), int(total))
        if figures in t.metadata:
            for key in ("relations", "same_figures"):
                if spec.get(key):
                    t.metadata[figures][key] = list(spec[key])
    return pd.DataFrame(t.rows), t.metadata
