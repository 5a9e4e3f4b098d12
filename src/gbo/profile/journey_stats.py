"""Summary statistics of victims' journeys, each with the number of people it describes.

Every statistic carries ``n``, the people behind it, so that disclosure control can withhold
any statistic about fewer people than its minimum (see ``disclosure.statistic_threshold``).
"""

from __future__ import annotations

from collections.abc import Mapping

import igraph as ig

from gbo.profile.population import Profile
from gbo.profile.tabulate import sql_string
from gbo.profile.tidy import Statistic
from gbo.schema import codes

SUMMARY_STATISTICS = ("lower_quartile", "median", "upper_quartile", "mean")
CONTACTS_BEFORE = "contacts_before_identification"
CONTACTS_AFTER = "contacts_after_identification"


def summary(
    profile: Profile, table_id: str, breakdown: str, sql: str, prefix: str = ""
) -> list[Statistic]:
    """Quartiles (linear interpolation) and mean of column ``x`` of ``sql`` (one row a person);
    ``prefix`` tells apart several measures of one table (``days_known_median``)."""
    row = profile.one_row(
        "SELECT quantile_cont(x, [0.25, 0.5, 0.75]), avg(x), count(x) "
        f"FROM ({sql}) WHERE x IS NOT NULL"
    )
    n = int(row[2]) if row else 0
    q = row[0] if row and row[0] is not None else [None, None, None]
    mean = float(row[1]) if row and row[1] is not None else None
    values = [*q, mean]
    return [
        Statistic(table_id, breakdown, prefix + name, None if v is None else float(v), n)
        for name, v in zip(SUMMARY_STATISTICS, values, strict=True)
    ]


def contact_totals(
    profile: Profile,
    table_id: str,
    column: str,
    labels: Mapping[str, str],
    source: str = "j_prior",
    statistic: str = CONTACTS_BEFORE,
) -> list[Statistic]:
    """The number of contacts under each label of ``column``, with the people behind it."""
    whens = " ".join(f"WHEN {sql_string(k)} THEN {sql_string(v)}" for k, v in labels.items())
    label_sql = f"(CASE {column} {whens} ELSE '{codes.NOT_RECORDED}' END)" if whens else "NULL"
    rows = profile.con.execute(
        f"SELECT {label_sql} AS label, count(*), count(DISTINCT person_pid) FROM {source} "
        f"WHERE {column} IS NOT NULL GROUP BY label ORDER BY label"
    ).fetchall()
    return [
        Statistic(table_id, str(label), statistic, float(n_contacts), int(n_people))
        for label, n_contacts, n_people in rows
        if label is not None
    ]


def contact_sums(
    profile: Profile,
    sides: Mapping[str, tuple[str, Mapping[str, str]]],
    source: str = "j_prior",
) -> list[list[tuple[str, str]]]:
    """Sets of contact totals (:func:`contact_totals`) that add up to one another: each
    connected part of the graph of agencies and the contact types they record, as the
    (table, label) pairs of its two sides, the agencies' first. A contact type recorded by
    one agency only makes that agency's total the sum of its types, which a reader can read
    off the figures and use to work out a withheld one. A part is left out where a contact of
    it lacks its agency or its type (the sums then differ).

    ``sides`` is ``{column: (table, labels)}`` for the two columns, agency and type."""
    (first, (first_table, first_labels)), (second, (second_table, second_labels)) = sides.items()
    rows = profile.con.execute(
        f"SELECT DISTINCT {first}, {second} FROM {source} "
        f"WHERE {first} IS NOT NULL OR {second} IS NOT NULL"
    ).fetchall()

    def node(table: str, labels: Mapping[str, str], value: object) -> tuple[str, str] | None:
        return None if value is None else (table, labels.get(str(value), codes.NOT_RECORDED))

    pairs = [
        (node(first_table, first_labels, a), node(second_table, second_labels, b)) for a, b in rows
    ]
    # a contact on one side only breaks the sums of the part it is in
    broken = {x or y for x, y in pairs if x is None or y is None}
    graph = ig.Graph.TupleList([(x, y) for x, y in pairs if x is not None and y is not None])
    parts = [[graph.vs[i]["name"] for i in part] for part in graph.connected_components()]
    return [
        sorted(members, key=lambda m: (m[0] != first_table, m))
        for members in parts
        if not broken & set(members) and len(members) >= 2
    ]
