"""``group``, ``group_offence`` and ``group_victim`` from the membership, with DuckDB.

A group's offences are every offence in which at least one member is named in an offender
role (``is_co_offence`` marks those with two or more members named); its victims are the
victims named on those offences. Dates are the offences' date ranges; ``duration_days`` is
last date minus first date. Members' ages are taken at the group's first date from the birth
year (so they may be a year out). ``density`` is the share of possible member pairs that are
linked under the group rule.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from gbo.groups import composition
from gbo.groups.rule import GroupRule


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v + "'" for v in values) or "NULL"


def build_group_offence(con: duckdb.DuckDBPyConnection) -> pa.Table:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE group_offence AS
        SELECT m.group_pid, oo.offence_pid, count(*)::BIGINT AS n_members_named,
               count(*) >= 2 AS is_co_offence
        FROM offender_offence oo JOIN membership m USING (person_pid)
        WHERE m.group_pid IS NOT NULL
        GROUP BY m.group_pid, oo.offence_pid
        ORDER BY m.group_pid, oo.offence_pid
        """
    )
    return con.sql("SELECT * FROM group_offence").to_arrow_table()


def build_group_victim(con: duckdb.DuckDBPyConnection) -> pa.Table:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE group_victim AS
        SELECT g.group_pid, v.victim_pid AS person_pid, count(DISTINCT g.offence_pid)::BIGINT
               AS n_offences
        FROM group_offence g JOIN victim_offence v USING (offence_pid)
        GROUP BY g.group_pid, v.victim_pid
        ORDER BY g.group_pid, v.victim_pid
        """
    )
    return con.sql("SELECT * FROM group_victim").to_arrow_table()


def build_group(con: duckdb.DuckDBPyConnection, rule: GroupRule) -> pa.Table:
    """One row per group: size, dates, offence mix, places, density and composition."""
    offence_cols = ",\n".join(composition.offence_mix_columns())
    member_cols = ",\n".join(composition.member_columns())
    victim_cols = ",\n".join(composition.victim_columns())
    sql = f"""
    WITH base AS (
        SELECT group_pid, count(*)::BIGINT AS n_offenders,
               max(component_size)::BIGINT AS component_size,
               bool_or(is_split_component) AS is_from_split_component
        FROM membership WHERE group_pid IS NOT NULL GROUP BY group_pid
    ),
    offences AS (
        SELECT g.group_pid,
               count(*)::BIGINT AS n_offences,
               count(*) FILTER (WHERE g.is_co_offence)::BIGINT AS n_co_offences,
               min(o.first_date) AS first_date,
               max(coalesce(o.last_date, o.first_date)) AS last_date,
               count(*) FILTER (WHERE o.first_date IS NULL)::BIGINT AS n_offences_undated,
               coalesce(bool_or(o.is_online OR o.location_type = 'ONLINE'), false) AS has_online,
               count(*) FILTER (WHERE o.is_cse_flagged)::BIGINT AS n_offences_cse_flagged,
               count(DISTINCT o.location_type)::BIGINT AS n_location_types,
               list_sort(list_distinct(list(o.agency))) AS offence_agencies,
               {offence_cols}
        FROM group_offence g LEFT JOIN offence o USING (offence_pid)
        GROUP BY g.group_pid
    ),
    victims AS (
        SELECT v.group_pid, count(*)::BIGINT AS n_victims, {victim_cols}
        FROM group_victim v LEFT JOIN person p USING (person_pid)
        GROUP BY v.group_pid
    ),
    members AS (
        SELECT m.group_pid, {member_cols}
        FROM membership m LEFT JOIN person p USING (person_pid)
        WHERE m.group_pid IS NOT NULL
        GROUP BY m.group_pid
    ),
    ages AS (
        SELECT m.group_pid,
               min(year(f.first_date) - p.birth_year)::BIGINT AS min_member_age,
               max(year(f.first_date) - p.birth_year)::BIGINT AS max_member_age,
               count(*) FILTER (WHERE year(f.first_date) - p.birth_year < 18)::BIGINT
                   AS n_members_aged_under_18,
               count(*) FILTER (WHERE year(f.first_date) - p.birth_year >= 18)::BIGINT
                   AS n_members_aged_18_and_over,
               count(*) FILTER (WHERE p.birth_year IS NULL OR f.first_date IS NULL)::BIGINT
                   AS n_members_age_not_recorded
        FROM membership m
        JOIN offences f USING (group_pid)
        LEFT JOIN person p USING (person_pid)
        WHERE m.group_pid IS NOT NULL
        GROUP BY m.group_pid
    ),
    links AS (
        SELECT ma.group_pid, count(DISTINCT (e.node_a, e.node_b))::BIGINT AS n_links
        FROM offender_edge e
        JOIN offender_node na ON na.node = e.node_a
        JOIN offender_node nb ON nb.node = e.node_b
        JOIN membership ma ON ma.person_pid = na.person_pid
        JOIN membership mb ON mb.person_pid = nb.person_pid
        WHERE ma.group_pid = mb.group_pid
          AND e.edge_type IN ({_sql_list(rule.edge_types)})
        GROUP BY ma.group_pid
    )
    SELECT b.group_pid, b.n_offenders,
           coalesce(v.n_victims, 0)::BIGINT AS n_victims,
           coalesce(f.n_offences, 0)::BIGINT AS n_offences,
           f.n_co_offences, f.first_date, f.last_date,
           (f.last_date - f.first_date)::BIGINT AS duration_days,
           f.n_offences_undated, f.has_online, f.n_offences_cse_flagged, f.n_location_types,
           coalesce(l.n_links, 0)::BIGINT AS n_links,
           coalesce(l.n_links, 0) / (b.n_offenders * (b.n_offenders - 1) / 2.0) AS density,
           b.component_size, b.is_from_split_component,
           a.min_member_age, a.max_member_age, a.n_members_aged_under_18,
           a.n_members_aged_18_and_over, a.n_members_age_not_recorded,
           f.offence_agencies AS agencies,
           f.* EXCLUDE (group_pid, n_offences, n_co_offences, first_date, last_date,
                        n_offences_undated, has_online, n_offences_cse_flagged,
                        n_location_types, offence_agencies),
           m.* EXCLUDE (group_pid),
           v.* EXCLUDE (group_pid, n_victims)
    FROM base b
    LEFT JOIN offences f USING (group_pid)
    LEFT JOIN victims v USING (group_pid)
    LEFT JOIN members m USING (group_pid)
    LEFT JOIN ages a USING (group_pid)
    LEFT JOIN links l USING (group_pid)
    ORDER BY b.group_pid
    """
    table = con.sql(sql).to_arrow_table()
    # Victim counts are zero, not missing, for a group whose offences name no victim.
    for name in table.column_names:
        if name.startswith("n_victims_"):
            index = table.column_names.index(name)
            filled = table.column(name).fill_null(0)
            table = table.set_column(index, name, filled)
    return table
