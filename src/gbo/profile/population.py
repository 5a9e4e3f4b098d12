"""The populations every table counts: offences, offenders, victims, groups.

Built once per run as DuckDB temporary tables from the input views (see
:mod:`gbo.profile.sources`); the section modules count from these. Definitions here are the
ones the table registry quotes:

* an **offence** is a row of the offence table whose first date falls in the period (every
  offence when no period is set);
* an offence is **group-based** when the groups stage put it in a group, **lone offending**
  when it has a recorded offender but no group, otherwise **no offender recorded**;
* an **offender** is a linked person with a suspect, accused or convicted role on an offence;
  **in a group** when the groups stage gave them a group, **alone** when it did not;
* a **victim** is a linked person with a victim role on an offence; **group-based** when the
  groups stage links them to a group or they are a victim of a group-based offence;
* a **group** is a row of the groups stage's group table with an offence in the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from gbo.errors import ProfileError
from gbo.profile.settings import ProfileSettings
from gbo.profile.tabulate import sql_list
from gbo.schema import codes
from gbo.stages import stage_folder_name

GROUP_BASED = "Group-based"
LONE = "Lone offending"
NO_OFFENDER = "No offender recorded"
OFFENCE_CLASSES = (GROUP_BASED, LONE, NO_OFFENDER)

IN_GROUP = "In a group"
ALONE = "Alone"
STATUS_NOT_RECORDED = "Group status not recorded"
OFFENDER_STATUSES = (IN_GROUP, ALONE)

VICTIM_GROUP = "Group-based"
VICTIM_OTHER = "Not group-based"
VICTIM_STATUSES = (VICTIM_GROUP, VICTIM_OTHER)

OFFENDER_ROLES_SQL = sql_list(sorted(codes.OFFENDER_ROLES))


@dataclass
class Profile:
    """What the section modules need: the connection, the settings and a warning sink."""

    con: duckdb.DuckDBPyConnection
    settings: ProfileSettings
    warn: Callable[[str], None]
    period: str = ""
    facts: dict[str, int] = field(default_factory=dict)

    def one_row(self, sql: str) -> tuple[Any, ...] | None:
        """The first row of a query (fetching all, so the connection is free afterwards)."""
        rows = self.con.execute(sql).fetchall()
        return tuple(rows[0]) if rows else None

    def scalar(self, sql: str) -> int:
        row = self.one_row(sql)
        return int(row[0]) if row and row[0] is not None else 0


def _sde(column: str) -> str:
    """Self-defined ethnicity on the 18+1 list (16+1 Chinese, O1, becomes A4)."""
    return f"CASE WHEN {column} = 'O1' THEN 'A4' ELSE {column} END"


def build_populations(profile: Profile) -> None:
    """Create the temporary tables ``p_offence``, ``p_involvement``, ``p_offender``,
    ``p_victim``, ``p_group`` and ``p_record`` (person records with their person)."""
    con, s = profile.con, profile.settings
    where = []
    if s.period_start:
        where.append(f"first_date >= DATE '{s.period_start.isoformat()}'")
    if s.period_end:
        where.append(f"first_date <= DATE '{s.period_end.isoformat()}'")
    period_filter = ("WHERE " + " AND ".join(where)) if where else ""
    con.execute(
        f"""
        CREATE TEMP TABLE p_offence AS
        WITH grouped AS (SELECT DISTINCT offence_pid FROM in_group_offence),
        with_offender AS (SELECT DISTINCT offence_pid FROM in_involvement
                          WHERE role IN {OFFENDER_ROLES_SQL})
        SELECT o.*, year(o.first_date) AS year,
            CASE WHEN g.offence_pid IS NOT NULL THEN '{GROUP_BASED}'
                 WHEN w.offence_pid IS NOT NULL THEN '{LONE}'
                 ELSE '{NO_OFFENDER}' END AS offence_class
        FROM (SELECT * FROM in_offence {period_filter}) o
        LEFT JOIN grouped g ON o.offence_pid = g.offence_pid
        LEFT JOIN with_offender w ON o.offence_pid = w.offence_pid
        """
    )
    n_all = profile.scalar("SELECT count(*) FROM in_offence")
    n_in = profile.scalar("SELECT count(*) FROM p_offence")
    profile.facts["offences_outside_period"] = n_all - n_in
    if where and n_all != n_in:
        profile.warn(
            f"{n_all - n_in} offences fall outside the period or have no first date; "
            "they are left out of every table"
        )
    # Records without a person (not linked) stand for themselves, so nobody is lost.
    con.execute(
        """
        CREATE TEMP TABLE p_record AS
        SELECT r.*, coalesce(m.person_pid, 'unlinked:' || r.record_pid) AS person_pid
        FROM in_person_record r LEFT JOIN in_person_record_map m ON r.record_pid = m.record_pid
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE p_involvement AS
        SELECT i.offence_pid, coalesce(r.person_pid, 'unlinked:' || i.record_pid) AS person_pid,
               i.role, i.agency, o.first_date, o.offence_class
        FROM in_involvement i
        JOIN p_offence o ON i.offence_pid = o.offence_pid
        LEFT JOIN p_record r ON i.record_pid = r.record_pid
        """
    )
    person_columns = f"""
        p.sex, p.birth_year, {_sde("p.ethnicity_self")} AS ethnicity_self,
        p.ethnicity_officer, p.nationality,
        coalesce(p.has_conflicting_sex, false) AS has_conflicting_sex,
        coalesce(p.has_conflicting_dob, false) AS has_conflicting_dob
    """
    con.execute(
        f"""
        CREATE TEMP TABLE p_offender AS
        WITH o AS (SELECT person_pid, min(first_date) AS first_date FROM p_involvement
                   WHERE role IN {OFFENDER_ROLES_SQL} GROUP BY person_pid),
        gm AS (SELECT person_pid, bool_or(group_pid IS NOT NULL) AS in_group
               FROM in_group_membership GROUP BY person_pid)
        SELECT o.person_pid, o.first_date,
            CASE WHEN gm.in_group THEN '{IN_GROUP}'
                 WHEN gm.person_pid IS NOT NULL THEN '{ALONE}'
                 ELSE '{STATUS_NOT_RECORDED}' END AS status,
            {person_columns}
        FROM o LEFT JOIN gm ON o.person_pid = gm.person_pid
        LEFT JOIN in_person p ON o.person_pid = p.person_pid
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE p_victim AS
        WITH v AS (SELECT person_pid, min(first_date) AS first_date,
                          bool_or(offence_class = '{GROUP_BASED}') AS of_group_offence
                   FROM p_involvement WHERE role = 'VICTIM' GROUP BY person_pid),
        gv AS (SELECT DISTINCT person_pid FROM in_group_victim)
        SELECT v.person_pid, v.first_date,
            CASE WHEN gv.person_pid IS NOT NULL OR v.of_group_offence THEN '{VICTIM_GROUP}'
                 ELSE '{VICTIM_OTHER}' END AS status,
            {person_columns}
        FROM v LEFT JOIN gv ON v.person_pid = gv.person_pid
        LEFT JOIN in_person p ON v.person_pid = p.person_pid
        """
    )
    group_filter = (
        "WHERE group_pid IN (SELECT go.group_pid FROM in_group_offence go "
        "JOIN p_offence o ON go.offence_pid = o.offence_pid)"
        if where
        else ""
    )
    con.execute(f"CREATE TEMP TABLE p_group AS SELECT * FROM in_group {group_filter}")
    for table, key, source in (
        ("p_offence", "offence_pid", f"{stage_folder_name('vault')} offence"),
        ("p_offender", "person_pid", f"{stage_folder_name('link')} person"),
        ("p_victim", "person_pid", f"{stage_folder_name('link')} person"),
        ("p_group", "group_pid", f"{stage_folder_name('groups')} group"),
    ):
        check_unique(profile, table, key, source)
    profile.period = describe_period(profile)


def check_unique(profile: Profile, table: str, key: str, source: str) -> None:
    """Every unit once: a repeated key upstream would count someone twice."""
    row = profile.one_row(f"SELECT count(*), count(DISTINCT {key}) FROM {table}")
    if row and row[0] != row[1]:
        raise ProfileError(
            f"{source}: {row[0] - row[1]} repeated {key} value(s); each must appear once",
            hint=f"rerun the stage that writes {source.split()[1]} and report this as a bug",
        )


def describe_period(profile: Profile) -> str:
    s = profile.settings
    if s.period_start or s.period_end:
        start = s.period_start.isoformat() if s.period_start else "the earliest offence"
        end = s.period_end.isoformat() if s.period_end else "the latest offence"
        return f"Offences first dated from {start} to {end}"
    row = profile.one_row("SELECT min(first_date), max(first_date) FROM p_offence")
    if not row or row[0] is None:
        return "All offences in the data (no offence dates recorded)"
    return f"All offences in the data (first dates {row[0]} to {row[1]})"


def declare_victim_breakdowns(metadata: dict[str, Any], breakdowns: dict[str, list[str]]) -> None:
    """Mark the tables of offences split by offence class (``breakdowns``: table -> its
    breakdowns): a victim of a group-based offence is a group-based victim, so a row of
    such a table all in one class ("every offence in this area was group-based") tells a
    reader who knows where a child was abused which kind of victim the child was. Disclosure
    control then reads their rows as it reads those of tables of people
    (``breakdowns_describe_victims``)."""
    for table_id, columns in breakdowns.items():
        if table_id in metadata and set(OFFENCE_CLASSES) <= set(columns):
            metadata[table_id]["breakdowns_describe_victims"] = True
