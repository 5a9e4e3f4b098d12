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
are declared to disclosure control as ranges of them: withheld wherever either end is.

The counts of people among the figures are declared too (:func:`declare_sensitivity`), to
be controlled as figures of the tables' one system (gbo.disclosure.statistic_figures): the
configured counts are the identification table's, the identified are those identified
after earlier contacts and at first contact, and the victims neither identified nor known
without being identified (no contacts, or only undated ones) are the same under the broader
rule, whose victims are the same people. Each relation is declared only where it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from gbo.disclosure.statistic_figures import figure_table_id
from gbo.profile.journey_base import (
    IDENTIFIED_AFTER_CONTACTS,
    IDENTIFIED_AT_FIRST,
    KNOWN_NOT_IDENTIFIED,
    Definition,
    build_journey_rows,
    headline,
)
from gbo.profile.journey_relations import JOURNEYS, PRIOR
from gbo.profile.population import Profile
from gbo.profile.tidy import ALL, Statistic, TidyTable

TABLE = "journeys_sensitivity"
CONFIGURED = "As configured"
REVIEW_ACCEPTED = "Review-queue links accepted"
LINKAGE_RANGE = "Range with review-queue links accepted"


def broader_label(profile: Profile) -> str:
    return f"Broader identification ({profile.settings.identification.broader_name})"


COUNTS = (
    "victims",
    "identified",
    "identified_after_contacts",
    "identified_at_first_contact",
    "known_not_identified",
)
# the configured counts -> (table, category) of the All column that counts them (None: the
# total): the identification table's, and the identified victims' own tables' total
CONFIGURED_AS = {
    "victims": (JOURNEYS, None),
    "identified": (PRIOR, None),
    "identified_after_contacts": (JOURNEYS, IDENTIFIED_AFTER_CONTACTS),
    "identified_at_first_contact": (JOURNEYS, IDENTIFIED_AT_FIRST),
    "known_not_identified": (JOURNEYS, KNOWN_NOT_IDENTIFIED),
}


def declare_sensitivity(
    metadata: dict[str, Any], stats: Sequence[Statistic], by_id: Mapping[str, TidyTable]
) -> None:
    """The range rows as ranges of the configured and accepted rows (``statistics_ranges``,
    gbo.disclosure.statistics_relations), and the counts of people as figures with what
    the definitions say of them (``statistics_figures``, module docstring)."""
    if TABLE not in metadata:
        return
    metadata[TABLE]["statistics_ranges"] = [
        {"breakdown": LINKAGE_RANGE, "ends": [CONFIGURED, REVIEW_ACCEPTED]}
    ]
    value = {
        (s.breakdown, s.statistic): int(s.value)
        for s in stats
        if s.table_id == TABLE and s.statistic in COUNTS and s.value is not None
    }
    breakdowns = list(dict.fromkeys(b for b, _ in value if b != LINKAGE_RANGE))
    figures = figure_table_id(TABLE)
    relations: list[dict[str, Any]] = []

    def declare(terms: list[tuple[str, str, int]], description: str) -> None:
        known = all((b, c) in value for b, c, _ in terms)
        if known and sum(value[(b, c)] * k for b, c, k in terms) == 0:
            relations.append(
                {
                    "terms": [[figures, b, c, k] for b, c, k in terms],
                    "equals": 0,
                    "description": description,
                }
            )

    for b in breakdowns:
        declare(
            [
                (b, "identified", 1),
                (b, "identified_after_contacts", -1),
                (b, "identified_at_first_contact", -1),
            ],
            f"'{b}': the identified are those identified after contacts and at first contact",
        )
    for b in breakdowns:
        if b not in (CONFIGURED, REVIEW_ACCEPTED):
            declare([(b, "victims", 1), (CONFIGURED, "victims", -1)], f"'{b}': the same victims")
            declare(
                [
                    (b, "victims", 1),
                    (b, "identified", -1),
                    (b, "known_not_identified", -1),
                    (CONFIGURED, "victims", -1),
                    (CONFIGURED, "identified", 1),
                    (CONFIGURED, "known_not_identified", 1),
                ],
                f"'{b}': the same victims, and the same of them without contacts",
            )
    same = [
        [CONFIGURED, statistic, table_id, ALL, category]
        for statistic, (table_id, category) in CONFIGURED_AS.items()
        if (table := by_id.get(table_id)) is not None
        and (CONFIGURED, statistic) in value
        and value[(CONFIGURED, statistic)]
        == (table.denominators.get(ALL) if category is None else table.counts.get((ALL, category)))
    ]
    metadata[TABLE]["statistics_figures"] = {
        "statistics": list(COUNTS),
        "breakdowns": breakdowns,
        "total": "victims",
        "relations": relations,
        "same_figures": same,
    }


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
