"""Building the offender edges with DuckDB (set-based; no Python loop over offences).

One row of ``offender_edge`` per pair of offenders and link type:

* ``shared_offence``: both named in an offender role on the same offence;
* ``shared_victim``: offences against the same victim, at most the window apart (the gap
  between the two offences' date ranges), so undated offences make no such link unless the
  window is switched off;
* ``association``: a recorded association of an allowed type between two offenders.

``weight`` is the evidence behind the pair: shared offences, shared victims or association
records. Edges of every type are written; ``is_in_rule`` marks those the group rule uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from gbo.groups.partition import Links
from gbo.groups.rule import GroupRule
from gbo.groups.settings import EDGE_TYPES

EDGE_COLUMNS = (
    "person_pid_a",
    "person_pid_b",
    "edge_type",
    "first_date",
    "last_date",
    "n_offences",
    "n_victims",
    "n_associations",
    "weight",
    "agencies",
)


def _sql_list(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"


def prepare_person_tables(con: duckdb.DuckDBPyConnection, offender_roles: list[str]) -> None:
    """Offender and victim involvements at person level, and the numbered offender nodes."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE person_involvement AS
        SELECT DISTINCT i.offence_pid, m.person_pid, i.role,
               i.role IN ({_sql_list(offender_roles)}) AS is_offender_role
        FROM involvement i JOIN record_map m USING (record_pid);

        CREATE OR REPLACE TEMP TABLE offender_offence AS
        SELECT pi.offence_pid, pi.person_pid,
               any_value(o.first_date) AS first_date,
               any_value(coalesce(o.last_date, o.first_date)) AS last_date,
               coalesce(any_value(o.agency), 'Not recorded') AS agency
        FROM person_involvement pi LEFT JOIN offence o USING (offence_pid)
        WHERE pi.is_offender_role
        GROUP BY pi.offence_pid, pi.person_pid;

        CREATE OR REPLACE TEMP TABLE victim_offence AS
        SELECT DISTINCT offence_pid, person_pid AS victim_pid
        FROM person_involvement WHERE role = 'VICTIM';

        CREATE OR REPLACE TEMP TABLE offender_node AS
        SELECT person_pid, (row_number() OVER (ORDER BY person_pid) - 1)::BIGINT AS node
        FROM (SELECT DISTINCT person_pid FROM offender_offence);
        """
    )


def build_offender_edges(
    con: duckdb.DuckDBPyConnection,
    *,
    window_days: int | None,
    association_types: tuple[str, ...],
) -> None:
    """Create the temp table ``offender_edge``: every link type, between node numbers."""
    window = (
        ""
        if window_days is None
        else f"""AND a.first_date <= b.last_date + {int(window_days)}
                 AND b.first_date <= a.last_date + {int(window_days)}"""
    )
    # The pairs are found and grouped on numbers, not on pseudonyms (long strings): the
    # offenders' node numbers (numbered in the order of their pseudonyms, so ``a.node <
    # b.node`` is ``a.person_pid < b.person_pid``), and numbers for the offences and the
    # victims (any numbering: they are only matched and counted). The pseudonyms are put
    # back on the edges when they are read (:func:`edge_table`).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE offence_number AS
        SELECT offence_pid, (row_number() OVER ())::BIGINT AS offence
        FROM (SELECT DISTINCT offence_pid FROM offender_offence);

        CREATE OR REPLACE TEMP TABLE offender_offence_node AS
        SELECT f.offence, n.node, o.first_date, o.last_date, o.agency
        FROM offender_offence o JOIN offender_node n USING (person_pid)
        JOIN offence_number f USING (offence_pid);

        CREATE OR REPLACE TEMP TABLE victim_link AS
        WITH victim_number AS (
            SELECT victim_pid, (row_number() OVER ())::BIGINT AS victim
            FROM (SELECT DISTINCT victim_pid FROM victim_offence)
        )
        SELECT w.victim, n.node, f.offence, o.first_date, o.last_date, o.agency
        FROM victim_offence v JOIN offender_offence o USING (offence_pid)
        JOIN offender_node n ON n.person_pid = o.person_pid
        JOIN victim_number w ON w.victim_pid = v.victim_pid
        JOIN offence_number f ON f.offence_pid = o.offence_pid
        WHERE v.victim_pid <> o.person_pid;

        CREATE OR REPLACE TEMP TABLE offender_edge AS
        WITH shared_offence AS (
            SELECT a.node AS node_a, b.node AS node_b,
                   'shared_offence' AS edge_type,
                   min(a.first_date) AS first_date, max(a.last_date) AS last_date,
                   count(*) AS n_offences, 0::BIGINT AS n_victims, 0::BIGINT AS n_associations,
                   count(*)::DOUBLE AS weight,
                   list_sort(list_distinct(list(a.agency))) AS agencies
            FROM offender_offence_node a JOIN offender_offence_node b
              ON a.offence = b.offence AND a.node < b.node
            GROUP BY a.node, b.node
        ),
        shared_victim AS (
            SELECT a.node AS node_a, b.node AS node_b,
                   'shared_victim' AS edge_type,
                   least(min(a.first_date), min(b.first_date)) AS first_date,
                   greatest(max(a.last_date), max(b.last_date)) AS last_date,
                   len(list_distinct(list(a.offence) || list(b.offence)))::BIGINT
                       AS n_offences,
                   count(DISTINCT a.victim) AS n_victims, 0::BIGINT AS n_associations,
                   count(DISTINCT a.victim)::DOUBLE AS weight,
                   list_sort(list_distinct(list(a.agency) || list(b.agency))) AS agencies
            FROM victim_link a JOIN victim_link b
              ON a.victim = b.victim AND a.node < b.node {window}
            GROUP BY a.node, b.node
        ),
        association_pair AS (
            SELECT least(na.node, nb.node) AS node_a, greatest(na.node, nb.node) AS node_b,
                   s.association_date, s.agency
            FROM association s
            JOIN record_map ma ON s.record_pid_a = ma.record_pid
            JOIN record_map mb ON s.record_pid_b = mb.record_pid
            JOIN offender_node na ON na.person_pid = ma.person_pid
            JOIN offender_node nb ON nb.person_pid = mb.person_pid
            WHERE na.node <> nb.node
              AND s.association_type IN ({_sql_list(association_types)})
        ),
        association_edge AS (
            SELECT node_a, node_b, 'association' AS edge_type,
                   min(association_date) AS first_date, max(association_date) AS last_date,
                   0::BIGINT AS n_offences, 0::BIGINT AS n_victims, count(*) AS n_associations,
                   count(*)::DOUBLE AS weight,
                   list_sort(list_distinct(list(agency))) AS agencies
            FROM association_pair
            GROUP BY node_a, node_b
        )
        SELECT * FROM shared_offence
        UNION ALL SELECT * FROM shared_victim
        UNION ALL SELECT * FROM association_edge
        ORDER BY node_a, node_b, edge_type;

        DROP TABLE offender_offence_node;
        DROP TABLE victim_link;
        DROP TABLE offence_number;
        """
    )


def edge_table(con: duckdb.DuckDBPyConnection, rule: GroupRule) -> pa.Table:
    """``offender_edge`` as written: every link type, with ``is_in_rule``, in the order of
    the two pseudonyms and the type (the order of the node numbers)."""
    columns = ", ".join(c for c in EDGE_COLUMNS if c not in ("person_pid_a", "person_pid_b"))
    return con.sql(
        f"""SELECT na.person_pid AS person_pid_a, nb.person_pid AS person_pid_b, {columns},
                   edge_type IN ({_sql_list(rule.edge_types)}) AS is_in_rule
            FROM offender_edge e
            JOIN offender_node na ON na.node = e.node_a
            JOIN offender_node nb ON nb.node = e.node_b
            ORDER BY e.node_a, e.node_b, e.edge_type"""
    ).to_arrow_table()


def count_nodes(con: duckdb.DuckDBPyConnection) -> int:
    rows = con.sql("SELECT count(*) FROM offender_node").fetchall()
    return int(rows[0][0]) if rows else 0


@dataclass(frozen=True)
class EdgeArrays:
    """``offender_edge`` as arrays, in its order: node pair, type (index in
    :data:`EDGE_TYPES`) and evidence. Read once; every rule's links are made from it."""

    n_nodes: int
    node_a: npt.NDArray[np.int64]
    node_b: npt.NDArray[np.int64]
    edge_type: npt.NDArray[np.int64]
    evidence: npt.NDArray[np.float64]


def read_edge_arrays(con: duckdb.DuckDBPyConnection, n_nodes: int) -> EdgeArrays:
    """The node pairs, types and evidence of ``offender_edge`` (in the order it was made)."""
    edges = con.sql("SELECT node_a, node_b, edge_type, weight FROM offender_edge").to_arrow_table()
    kinds = pc.index_in(edges.column("edge_type"), value_set=pa.array(EDGE_TYPES, pa.string()))
    return EdgeArrays(
        n_nodes,
        edges.column("node_a").to_numpy().astype(np.int64),
        edges.column("node_b").to_numpy().astype(np.int64),
        kinds.to_numpy().astype(np.int64),
        edges.column("weight").to_numpy().astype(np.float64),
    )


def links_for_rule(edges: EdgeArrays, rule: GroupRule) -> Links:
    """Unique weighted node pairs under a rule: sum of type weight x evidence over types
    (summed in the order of ``offender_edge``: node pair, then type)."""
    weights = [rule.edge_weights[t] if t in rule.edge_types else 0.0 for t in EDGE_TYPES]
    type_weight = np.asarray(weights, dtype=np.float64)[edges.edge_type]
    keep = type_weight > 0
    base = max(edges.n_nodes, 1)
    codes = edges.node_a[keep] * base + edges.node_b[keep]
    unique, inverse = np.unique(codes, return_inverse=True)
    weight = np.bincount(inverse, weights=(edges.evidence * type_weight)[keep])
    return Links(edges.n_nodes, unique // base, unique % base, weight.astype(np.float64))
