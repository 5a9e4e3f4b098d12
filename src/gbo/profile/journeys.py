"""Victims' journeys: agency contacts before exploitation was first identified.

For each victim, the **identification date** is the earliest dated identification event
(``codes.IDENTIFICATION_EVENTS``) on any of their linked records. **Prior contacts** are their
other dated events strictly before that date (within ``journey_window_days`` when set). The
**time to identification** runs from the earliest prior contact to the identification date.
Events without a date cannot be placed on the timeline and are left out (counted in notes).
"""

from __future__ import annotations

from gbo.profile import categories as cat
from gbo.profile.group_tables import quartiles
from gbo.profile.population import VICTIM_STATUSES, Profile
from gbo.profile.tabulate import Categories, band_case_sql, band_labels, sql_list, tabulate
from gbo.profile.tidy import Statistic, TidyTable
from gbo.schema import codes

IDENTIFIED_UNITS = "SELECT person_pid AS unit_id, status AS breakdown FROM p_identified"


def build_journey_tables(profile: Profile) -> None:
    """Create ``p_event``, ``p_identified`` and ``p_prior``."""
    con, s = profile.con, profile.settings
    ident = sql_list(sorted(codes.IDENTIFICATION_EVENTS))
    window = (
        f"AND e.event_date >= i.identified_on - INTERVAL {int(s.journey_window_days)} DAY"
        if s.journey_window_days
        else ""
    )
    con.execute(
        """
        CREATE TEMP TABLE p_event AS
        SELECT r.person_pid, e.agency, e.event_type, e.event_date
        FROM in_event e JOIN p_record r ON e.record_pid = r.record_pid
        WHERE r.person_pid IN (SELECT person_pid FROM p_victim)
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE p_identified AS
        SELECT v.person_pid, v.status, min(e.event_date) AS identified_on
        FROM p_victim v JOIN p_event e ON v.person_pid = e.person_pid
        WHERE e.event_type IN {ident} AND e.event_date IS NOT NULL
        GROUP BY v.person_pid, v.status
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE p_prior AS
        SELECT e.person_pid, e.agency, e.event_type, e.event_date, i.identified_on
        FROM p_event e JOIN p_identified i ON e.person_pid = i.person_pid
        WHERE e.event_type NOT IN {ident} AND e.event_date IS NOT NULL
          AND e.event_date < i.identified_on {window}
        """
    )
    profile.facts["journey_events_without_date"] = profile.scalar(
        "SELECT count(*) FROM p_event WHERE event_date IS NULL"
    )


def build_journeys(profile: Profile) -> tuple[list[TidyTable], list[Statistic]]:
    build_journey_tables(profile)
    con, s = profile.con, profile.settings
    health = sql_list(s.health_event_types)
    signals_sql = f"""
        SELECT person_pid AS unit_id, CASE
            WHEN event_type = 'MISSING_EPISODE' THEN '{cat.MISSING_EPISODE}'
            WHEN event_type IN {health} THEN '{cat.HEALTH_CONTACT}'
            WHEN event_type = 'SOCIAL_CARE_REFERRAL' THEN '{cat.SOCIAL_CARE_REFERRAL}'
        END AS value FROM p_prior
    """
    n_prior_sql = """
        SELECT i.person_pid, i.status, count(p.person_pid) AS x,
               date_diff('day', min(p.event_date), i.identified_on) AS days
        FROM p_identified i LEFT JOIN p_prior p ON i.person_pid = p.person_pid
        GROUP BY i.person_pid, i.status, i.identified_on
    """

    def identified(table_id: str, values_sql: str, c: Categories, additive: bool) -> TidyTable:
        return tabulate(
            con,
            table_id,
            units_sql=IDENTIFIED_UNITS,
            values_sql=values_sql,
            categories=c,
            breakdowns=VICTIM_STATUSES,
            is_additive=additive,
        )

    tables = [
        tabulate(
            con,
            "journeys_identification",
            units_sql="SELECT person_pid AS unit_id, status AS breakdown FROM p_victim",
            values_sql=f"SELECT person_pid AS unit_id, '{cat.IDENTIFIED}' AS value "
            "FROM p_identified",
            categories=cat.IDENTIFICATION,
            breakdowns=VICTIM_STATUSES,
        ),
        identified(
            "journeys_prior_contacts",
            f"SELECT person_pid AS unit_id, {band_case_sql('x', s.prior_contact_bands)} AS value "
            f"FROM ({n_prior_sql})",
            band_labels(s.prior_contact_bands),
            True,
        ),
        identified(
            "journeys_contacts_agency",
            "SELECT person_pid AS unit_id, agency AS value FROM p_prior",
            cat.AGENCIES,
            False,
        ),
        identified(
            "journeys_contacts_event_type",
            "SELECT person_pid AS unit_id, event_type AS value FROM p_prior",
            cat.EVENT_TYPES_BEFORE,
            False,
        ),
        identified("journeys_signals", signals_sql, cat.SIGNALS, False),
        identified(
            "journeys_time_to_identification",
            "SELECT person_pid AS unit_id, "
            f"{band_case_sql('days', s.time_to_identification_bands)} AS value "
            f"FROM ({n_prior_sql})",
            band_labels(s.time_to_identification_bands),
            True,
        ),
    ]
    stats: list[Statistic] = []
    for breakdown, where in [("All", "")] + [
        (status, f"WHERE status = '{status}'") for status in VICTIM_STATUSES
    ]:
        stats += quartiles(
            profile,
            "journeys_time_to_identification",
            breakdown,
            f"SELECT days AS x FROM ({n_prior_sql}) {where}",
        )
        stats += quartiles(
            profile,
            "journeys_prior_contacts",
            breakdown,
            f"SELECT x FROM ({n_prior_sql}) {where}",
        )
    for table_id, column in (
        ("journeys_contacts_agency", "agency"),
        ("journeys_contacts_event_type", "event_type"),
    ):
        rows = con.execute(
            f"SELECT {column}, count(*), count(DISTINCT person_pid) FROM p_prior "
            f"WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY {column}"
        ).fetchall()
        labels = codes.EVENT_TYPES if column == "event_type" else {}
        for value, n_contacts, n_people in rows:
            stats.append(
                Statistic(
                    table_id,
                    labels.get(value, value),
                    "contacts_before_identification",
                    float(n_contacts),
                    int(n_people),
                )
            )
    return tables, stats
