"""Counting in DuckDB: a population of units, their values, and the cells of a table.

Every table is built the same way. ``units_sql`` gives the population, one row per unit and
breakdown (``unit_id``, ``breakdown``); ``values_sql`` gives the unit's values (``unit_id``,
``value``), none, one or (for tables that are not additive) several. A unit with no known
value is counted in ``Not recorded``, so that row can never be lost. The counting runs in one
SQL statement; only the aggregated cells come back to Python.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from gbo.errors import ProfileError
from gbo.profile.tidy import ALL, TidyTable
from gbo.schema.codes import NOT_RECORDED

_names = itertools.count()


@dataclass(frozen=True)
class Categories:
    """How values become categories.

    ``labels`` maps a value (a code) to its category label, in display order; several codes
    may share a label. With ``dynamic`` every value seen becomes a category (labelled from
    ``labels`` when it is there), otherwise values not in ``labels`` count as not recorded.
    ``unknown`` names labels that record an unknown value ("Not stated"): they are shown,
    but left out of the recorded total that ``pct_of_recorded`` divides by.
    """

    labels: Mapping[str, str]
    dynamic: bool = False
    unknown: frozenset[str] = frozenset()

    def ordered_labels(self) -> list[str]:
        return list(dict.fromkeys(self.labels.values()))


def band_labels(bands: Sequence[tuple[str, int, int]]) -> Categories:
    """Categories for a banded number (the band label is the value)."""
    return Categories({label: label for label, _, _ in bands})


def band_case_sql(expr: str, bands: Sequence[tuple[str, int, int]]) -> str:
    """A SQL CASE that puts ``expr`` into its band (NULL outside every band)."""
    whens = " ".join(
        f"WHEN {expr} BETWEEN {int(low)} AND {int(high)} THEN {sql_string(label)}"
        for label, low, high in bands
    )
    return f"(CASE {whens} ELSE NULL END)"


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(sql_string(v) for v in values) + ")"


def tabulate(
    con: duckdb.DuckDBPyConnection,
    table_id: str,
    *,
    units_sql: str,
    values_sql: str,
    categories: Categories,
    breakdowns: Sequence[str] = (),
    add_all: bool = True,
    is_additive: bool = True,
) -> TidyTable:
    """Count the units of ``units_sql`` by the categories of their values."""
    lab = f"_labels_{next(_names)}"
    con.register(
        lab,
        pa.table(
            {
                "code": pa.array(list(categories.labels.keys()), pa.string()),
                "label": pa.array(list(categories.labels.values()), pa.string()),
            }
        ),
    )
    all_units = f"UNION ALL SELECT DISTINCT unit_id, '{ALL}' FROM u" if add_all else ""
    keep = "" if categories.dynamic else "WHERE l.label IS NOT NULL"
    # with dynamic categories every value is a category, so none is unmapped
    unmapped_filter = "WHERE false" if categories.dynamic else ""
    sql = f"""
        WITH u AS MATERIALIZED (SELECT DISTINCT unit_id, CAST(breakdown AS VARCHAR) AS breakdown
                   FROM ({units_sql}) WHERE unit_id IS NOT NULL),
        uu AS MATERIALIZED (SELECT unit_id, coalesce(breakdown, '{NOT_RECORDED}') AS breakdown
               FROM u
               {all_units}),
        raw AS MATERIALIZED (SELECT DISTINCT unit_id, CAST(value AS VARCHAR) AS code
                FROM ({values_sql}) WHERE value IS NOT NULL),
        v AS MATERIALIZED (SELECT DISTINCT raw.unit_id, coalesce(l.label, raw.code) AS label
              FROM raw LEFT JOIN {lab} l ON raw.code = l.code {keep}),
        unmapped AS (SELECT DISTINCT raw.unit_id FROM raw ANTI JOIN {lab} l ON raw.code = l.code
                     {unmapped_filter})
        SELECT 'cell' AS kind, uu.breakdown, v.label, count(*) AS n
            FROM uu JOIN v ON uu.unit_id = v.unit_id GROUP BY ALL
        UNION ALL
        SELECT 'den', breakdown, NULL, count(*) FROM uu GROUP BY ALL
        UNION ALL
        SELECT 'known', breakdown, NULL, count(*) FROM uu SEMI JOIN v ON uu.unit_id = v.unit_id
            GROUP BY ALL
        UNION ALL
        SELECT 'unmapped', breakdown, NULL, count(*) FROM uu
            SEMI JOIN unmapped ON uu.unit_id = unmapped.unit_id GROUP BY ALL
    """
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.unregister(lab)

    counts: dict[tuple[str, str], int] = {}
    dens: dict[str, int] = {}
    known: dict[str, int] = {}
    unmapped: dict[str, int] = {}
    for kind, breakdown, label, n in rows:
        if kind == "cell":
            counts[(breakdown, label)] = int(n)
        elif kind == "den":
            dens[breakdown] = int(n)
        elif kind == "known":
            known[breakdown] = int(n)
        else:
            unmapped[breakdown] = int(n)

    return assemble(
        table_id,
        categories,
        counts=counts,
        dens=dens,
        known=known,
        unmapped=unmapped,
        breakdowns=breakdowns,
        add_all=add_all,
        is_additive=is_additive,
    )


def tabulate_rows(
    con: duckdb.DuckDBPyConnection,
    table_id: str,
    *,
    source: str,
    breakdown_sql: str,
    value_sql: str,
    categories: Categories,
    breakdowns: Sequence[str] = (),
    add_all: bool = True,
) -> TidyTable:
    """The fast path for a source with exactly one row per unit and one value per unit.

    One grouped scan, no joins: each row is counted once in its breakdown (and in All), in
    the category of its value, or in ``Not recorded`` when the value is missing or not in
    the code list. Such a table is additive by construction.
    """
    rows = con.execute(
        f"""
        SELECT CAST({breakdown_sql} AS VARCHAR) AS breakdown, CAST({value_sql} AS VARCHAR) AS code,
               count(*) AS n
        FROM {source} GROUP BY ALL
        """
    ).fetchall()
    counts: dict[tuple[str, str], int] = {}
    dens: dict[str, int] = {}
    known: dict[str, int] = {}
    unmapped: dict[str, int] = {}
    for breakdown, code, n in rows:
        keys = [breakdown if breakdown is not None else NOT_RECORDED]
        if add_all:
            keys.append(ALL)
        label = categories.labels.get(code) if code is not None else None
        if label is None and code is not None and categories.dynamic:
            label = code
        for key in keys:
            dens[key] = dens.get(key, 0) + int(n)
            if label is not None:
                counts[(key, label)] = counts.get((key, label), 0) + int(n)
                known[key] = known.get(key, 0) + int(n)
            elif code is not None:
                unmapped[key] = unmapped.get(key, 0) + int(n)
    return assemble(
        table_id,
        categories,
        counts=counts,
        dens=dens,
        known=known,
        unmapped=unmapped,
        breakdowns=breakdowns,
        add_all=add_all,
        is_additive=True,
    )


def tabulate_lists(
    con: duckdb.DuckDBPyConnection,
    table_id: str,
    *,
    source: str,
    breakdown_sql: str,
    list_sql: str,
    categories: Categories,
    breakdowns: Sequence[str] = (),
) -> TidyTable:
    """The fast path for a list-valued column, one row per unit (not additive).

    A unit counts once in each category its list holds; ``Not recorded`` counts units whose
    list holds no code of the list (empty, missing, or only unknown codes). Each code must
    have its own label.
    """
    if len(set(categories.labels.values())) != len(categories.labels) or categories.dynamic:
        raise ProfileError(f"table {table_id}: list tables need one label per code")
    codes_sql = "[" + ", ".join(sql_string(c) for c in categories.labels) + "]"
    rows = con.execute(
        f"""
        WITH r AS MATERIALIZED (
            SELECT CAST({breakdown_sql} AS VARCHAR) AS breakdown,
                   list_distinct(list_filter({list_sql}, lambda x: list_contains({codes_sql}, x)))
                       AS codes,
                   len(list_filter({list_sql}, lambda x: NOT list_contains({codes_sql}, x)))
                       AS n_unknown
            FROM {source}
        )
        SELECT 'cell', breakdown, code, count(*) FROM
            (SELECT breakdown, unnest(codes) AS code FROM r) GROUP BY ALL
        UNION ALL SELECT 'den', breakdown, NULL, count(*) FROM r GROUP BY ALL
        UNION ALL SELECT 'known', breakdown, NULL, count(*) FROM r WHERE len(codes) > 0
            GROUP BY ALL
        UNION ALL SELECT 'unmapped', breakdown, NULL, count(*) FROM r
            WHERE len(codes) = 0 AND n_unknown > 0 GROUP BY ALL
        """
    ).fetchall()
    counts: dict[tuple[str, str], int] = {}
    totals: dict[str, dict[str, int]] = {"den": {}, "known": {}, "unmapped": {}}
    for kind, breakdown, code, n in rows:
        for key in (breakdown if breakdown is not None else NOT_RECORDED, ALL):
            if kind == "cell":
                cell = (key, categories.labels[code])
                counts[cell] = counts.get(cell, 0) + int(n)
            else:
                totals[kind][key] = totals[kind].get(key, 0) + int(n)
    return assemble(
        table_id,
        categories,
        counts=counts,
        dens=totals["den"],
        known=totals["known"],
        unmapped=totals["unmapped"],
        breakdowns=breakdowns,
        add_all=True,
        is_additive=False,
    )


def assemble(
    table_id: str,
    categories: Categories,
    *,
    counts: dict[tuple[str, str], int],
    dens: dict[str, int],
    known: dict[str, int],
    unmapped: dict[str, int],
    breakdowns: Sequence[str],
    add_all: bool,
    is_additive: bool,
) -> TidyTable:
    """Cells, denominators and known counts to a :class:`TidyTable` in display order."""
    seen_labels = {label for _, label in counts}
    labels = categories.ordered_labels()
    seen = sorted(seen_labels - set(labels)) if categories.dynamic else []
    labels += seen
    labels.append(NOT_RECORDED)
    order = ([ALL] if add_all else []) + [b for b in breakdowns if b != ALL]
    seen_breakdowns = sorted(set(dens) - set(order))
    order += seen_breakdowns
    listed: list[tuple[str, str | None]] = [(b, None) for b in seen_breakdowns if dens[b] > 0]
    if ALL in order:
        listed += [(ALL, c) for c in seen if counts.get((ALL, c), 0) > 0]
    for breakdown in order:
        counts[(breakdown, NOT_RECORDED)] = dens.get(breakdown, 0) - known.get(breakdown, 0)
    table = TidyTable(
        table_id=table_id,
        breakdowns=order,
        categories=labels,
        counts=counts,
        denominators=dens,
        unknown_categories=categories.unknown,
        listed=listed,
    )
    if is_additive:
        check_additive(table)
    head = ALL if add_all else (order[0] if order else None)
    if head is not None and dens.get(head):
        table.completeness = table.recorded(head) / dens[head]
    n_unmapped = unmapped.get(head, 0) if head else 0
    if n_unmapped:
        table.warnings.append(
            f"{table_id}: {n_unmapped} units had a code outside the code list; "
            "they are counted as not recorded"
        )
    return table


def check_additive(table: TidyTable) -> None:
    """Categories of an additive table must add up to its denominator, in every breakdown."""
    for breakdown in table.breakdowns:
        total = sum(table.count(breakdown, c) for c in table.categories)
        if total != table.denominators.get(breakdown, 0):
            raise ProfileError(
                f"table {table.table_id}: categories of breakdown {breakdown!r} add to {total}, "
                f"not to its {table.denominators.get(breakdown, 0)} units",
                hint="a unit has more than one value in an additive table; report this as a bug",
            )
