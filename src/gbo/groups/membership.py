"""From a partition of the offender nodes to ``group_membership`` with group pseudonyms.

``group_pid`` is the keyed pseudonym of ``"<rule version>:<smallest person_pid in the
group>"`` (namespace ``group``, prefix ``grp``), so the same group under the same rule keeps
its pseudonym from run to run, and a group found under another rule gets another one.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from gbo.groups.partition import Partition
from gbo.groups.rule import GroupRule
from gbo.security import KeyRing, pseudonymise


def group_pids(
    keys: KeyRing, rule: GroupRule, person_pids: list[str], partition: Partition
) -> list[str]:
    """The pseudonym of each group (index = group number)."""
    n_groups = partition.n_groups
    if n_groups == 0:
        return []
    nodes = np.arange(partition.group.size)
    in_group = partition.group >= 0
    first = np.full(n_groups, partition.group.size, dtype=np.int64)
    np.minimum.at(first, partition.group[in_group], nodes[in_group])
    # Nodes are numbered in person_pid order, so the lowest node has the smallest person_pid.
    return [pseudonymise(keys, "group", f"{rule.version}:{person_pids[i]}", "grp") for i in first]


def build_membership(
    con: duckdb.DuckDBPyConnection, keys: KeyRing, rule: GroupRule, partition: Partition
) -> pa.Table:
    """``group_membership``: one row per offender, in a group or lone, with role flags."""
    person_pids = [
        r[0] for r in con.sql("SELECT person_pid FROM offender_node ORDER BY node").fetchall()
    ]
    pids = group_pids(keys, rule, person_pids, partition)
    sizes = partition.group_sizes()
    group = partition.group
    in_group = group >= 0
    base = pa.table(
        {
            "person_pid": pa.array(person_pids, pa.string()),
            "group_pid": pa.array(
                [pids[g] if g >= 0 else None for g in group.tolist()], pa.string()
            ),
            "component_size": pa.array(partition.component_size, pa.int64()),
            "group_size": pa.array(
                [int(sizes[g]) if g >= 0 else None for g in group.tolist()], pa.int64()
            ),
            "is_lone": pa.array(partition.component_size == 1, pa.bool_()),
            "is_in_group": pa.array(in_group, pa.bool_()),
            "is_split_component": pa.array(partition.is_split, pa.bool_()),
        }
    )
    con.register("membership_base", base)
    return con.sql(
        """
        SELECT b.*,
               coalesce(r.n_offences, 0)::BIGINT AS n_offences,
               coalesce(r.is_suspect, false) AS is_suspect,
               coalesce(r.is_accused, false) AS is_accused,
               coalesce(r.is_convicted, false) AS is_convicted,
               coalesce(r.is_also_victim, false) AS is_also_victim
        FROM membership_base b
        LEFT JOIN (
            SELECT person_pid,
                   count(DISTINCT offence_pid) FILTER (WHERE is_offender_role) AS n_offences,
                   bool_or(role = 'SUSPECT') AS is_suspect,
                   bool_or(role = 'ACCUSED') AS is_accused,
                   bool_or(role = 'CONVICTED') AS is_convicted,
                   bool_or(role = 'VICTIM') AS is_also_victim
            FROM person_involvement GROUP BY person_pid
        ) r USING (person_pid)
        ORDER BY b.person_pid
        """
    ).to_arrow_table()
