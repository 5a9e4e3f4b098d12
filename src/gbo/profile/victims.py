"""Victims' vulnerability markers, their co-occurrence, and looked-after status."""

from __future__ import annotations

from gbo.profile import categories as cat
from gbo.profile.population import VICTIM_STATUSES, Profile
from gbo.profile.tabulate import Categories, tabulate
from gbo.profile.tidy import TidyTable
from gbo.schema import codes

VICTIM_UNITS = "SELECT person_pid AS unit_id, status AS breakdown FROM p_victim"


def build_victim_markers(profile: Profile) -> list[TidyTable]:
    con = profile.con
    # every marker recorded for a victim, on any of their linked records
    con.execute(
        """
        CREATE TEMP TABLE p_victim_marker AS
        SELECT DISTINCT r.person_pid, v.marker
        FROM in_vulnerability v
        JOIN p_record r ON v.record_pid = r.record_pid
        JOIN p_victim pv ON r.person_pid = pv.person_pid
        WHERE v.marker IS NOT NULL
        """
    )
    known = ", ".join(f"'{m}'" for m in codes.VULNERABILITY_MARKERS)
    count_labels = {"1": "1", "2": "2", "3": "3 or more"}
    tables = [
        tabulate(
            con,
            "victims_vulnerability",
            units_sql=VICTIM_UNITS,
            values_sql="SELECT person_pid AS unit_id, marker AS value FROM p_victim_marker",
            categories=cat.MARKERS,
            breakdowns=VICTIM_STATUSES,
            is_additive=False,
        ),
        tabulate(
            con,
            "victims_vulnerability_count",
            units_sql=VICTIM_UNITS,
            values_sql=f"""
                SELECT person_pid AS unit_id, CAST(least(count(*), 3) AS VARCHAR) AS value
                FROM p_victim_marker WHERE marker IN ({known}) GROUP BY person_pid
            """,
            categories=Categories(count_labels),
            breakdowns=VICTIM_STATUSES,
        ),
        tabulate(
            con,
            "victims_vulnerability_pairs",
            units_sql="SELECT person_pid AS unit_id, marker AS breakdown FROM p_victim_marker "
            f"WHERE marker IN ({known})",
            values_sql="SELECT person_pid AS unit_id, marker AS value FROM p_victim_marker",
            categories=cat.MARKERS,
            breakdowns=list(codes.VULNERABILITY_MARKERS),
            add_all=False,
            is_additive=False,
        ),
        tabulate(
            con,
            "victims_looked_after",
            units_sql=VICTIM_UNITS,
            values_sql=f"""
                WITH flags AS (
                    SELECT person_pid, bool_or(is_looked_after) AS yes,
                           bool_or(NOT is_looked_after) AS no
                    FROM p_record WHERE person_pid IN (SELECT person_pid FROM p_victim)
                    GROUP BY person_pid
                    UNION ALL
                    SELECT person_pid, true, NULL FROM p_victim_marker
                    WHERE marker = 'LOOKED_AFTER'
                )
                SELECT person_pid AS unit_id,
                    CASE WHEN bool_or(yes) THEN '{cat.YES}' WHEN bool_or(no) THEN '{cat.NO}'
                    END AS value
                FROM flags GROUP BY person_pid
            """,
            categories=Categories({cat.YES: "Looked after", cat.NO: "Not looked after"}),
            breakdowns=VICTIM_STATUSES,
        ),
    ]
    # the pairs table is keyed by marker code; show the markers' labels as breakdowns
    pairs = tables[2]
    relabel = dict(codes.VULNERABILITY_MARKERS)
    pairs.breakdowns = [relabel.get(b, b) for b in pairs.breakdowns]
    pairs.denominators = {relabel.get(b, b): n for b, n in pairs.denominators.items()}
    pairs.counts = {(relabel.get(b, b), c): n for (b, c), n in pairs.counts.items()}
    return tables
