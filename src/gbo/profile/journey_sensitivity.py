"""How much the journeys figures depend on the definition of identification and on linkage.

Three computations of the same headline figures, in ``journeys_sensitivity``:

* **As configured**: the contact and identification rules of the run;
* **Broader identification**: the broader event types and reasons of
  ``profile.identification`` (for example adding referrals for risk of exploitation);
* **Review-queue links accepted**: every pair still waiting in the link stage's clerical
  review queue (``03_link/review_queue.csv``) accepted, so the persons either side of it
  become one; victims' records are re-joined and every figure recomputed.

The last rows give each figure as a range, from the configured value to the value with the
review queue accepted (``ci_lower`` and ``ci_upper`` hold the ends): linkage decisions still
to be made can move the figure anywhere in it. Those rows show the other two again, so they
are declared to disclosure control as ranges of them (:func:`declare_ranges`): withheld
wherever either end is.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from gbo.profile.journey_base import Definition, build_journey_rows, headline
from gbo.profile.population import Profile
from gbo.profile.tidy import Statistic

TABLE = "journeys_sensitivity"
CONFIGURED = "As configured"
REVIEW_ACCEPTED = "Review-queue links accepted"
LINKAGE_RANGE = "Range with review-queue links accepted"


def broader_label(profile: Profile) -> str:
    return f"Broader identification ({profile.settings.identification.broader_name})"


def declare_ranges(metadata: dict[str, Any]) -> None:
    """The range rows' statistics are the configured and the accepted ones
    (``statistics_ranges``, gbo.disclosure.statistics_relations)."""
    if TABLE in metadata:
        metadata[TABLE]["statistics_ranges"] = [
            {"breakdown": LINKAGE_RANGE, "ends": [CONFIGURED, REVIEW_ACCEPTED]}
        ]


def build_sensitivity(profile: Profile) -> list[Statistic]:
    rule = profile.settings.identification
    configured = headline(profile, "j")
    build_journey_rows(
        profile,
        "jb",
        "p_record",
        "p_victim",
        Definition(rule.broader_event_types, rule.broader_reasons),
    )
    broader = headline(profile, "jb")
    n_affected = _accept_review_queue(profile)
    build_journey_rows(
        profile, "jr", "jr_map", "jr_victim", Definition(rule.event_types, rule.reasons)
    )
    accepted = headline(profile, "jr")
    stats: list[Statistic] = []
    for breakdown, figures in (
        (CONFIGURED, configured),
        (broader_label(profile), broader),
        (REVIEW_ACCEPTED, accepted),
    ):
        stats += [Statistic(TABLE, breakdown, name, v, n) for name, (v, n) in figures.items()]
    for name, (value, n) in configured.items():
        other, n_other = accepted[name]
        ends = [x for x in (value, other) if x is not None]
        stats.append(
            Statistic(
                TABLE,
                LINKAGE_RANGE,
                name,
                value,
                min(n, n_other),
                min(ends) if ends else None,
                max(ends) if ends else None,
            )
        )
    stats.append(
        Statistic(TABLE, REVIEW_ACCEPTED, "victims_joined_by_review_links", n_affected, n_affected)
    )
    return stats


def _accept_review_queue(profile: Profile) -> int:
    """Create ``jr_map`` (records to persons with the queue accepted) and ``jr_victim``;
    return how many victims (as configured) the accepted pairs join to another person."""
    con = profile.con
    pairs = con.execute(
        """
        SELECT DISTINCT a.person_pid, b.person_pid
        FROM in_review_queue q
        JOIN p_record a ON q.record_pid_l = a.record_pid
        JOIN p_record b ON q.record_pid_r = b.record_pid
        WHERE a.person_pid <> b.person_pid
        """
    ).fetchall()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(str(a)), find(str(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    merged = {p: find(p) for p in parent}
    con.register(
        "_jr_merge",
        pa.table(
            {
                "person_pid": pa.array(list(merged), pa.string()),
                "new_pid": pa.array(["merged:" + r for r in merged.values()], pa.string()),
            }
        ),
    )
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE jr_merge AS SELECT * FROM _jr_merge")
    finally:
        con.unregister("_jr_merge")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE jr_map AS
        SELECT r.record_pid, coalesce(m.new_pid, r.person_pid) AS person_pid
        FROM p_record r LEFT JOIN jr_merge m ON r.person_pid = m.person_pid
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE jr_victim AS
        SELECT coalesce(m.new_pid, v.person_pid) AS person_pid, 'All' AS status,
               min(v.birth_year) AS birth_year
        FROM p_victim v LEFT JOIN jr_merge m ON v.person_pid = m.person_pid
        GROUP BY 1
        """
    )
    return profile.scalar(
        "SELECT count(*) FROM p_victim WHERE person_pid IN (SELECT person_pid FROM jr_merge)"
    )
