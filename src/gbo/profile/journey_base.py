"""Each victim's journey in one row: contacts, identification, and what came before and after.

A **contact** is a record the contact rule (``profile.contacts``) names: an event of a listed
type, or (when ``victim_records`` is on) a record of the child as the victim of an offence,
dated when the agency recorded the offence (its first date when that is not recorded) and
credited to the agency that recorded it. The
**identification date** is the earliest dated record the identification rule
(``profile.identification``) names: an event of a listed type, or any event whose recorded
reason is listed. **Prior contacts** are contacts dated strictly before it that are not
themselves identifications (within ``journey_window_days`` when set); **later contacts** are
those dated after it. Undated records cannot be placed and are counted apart.

The same rows are built for other definitions and other linkage (the sensitivity table), so
every step takes the record-to-person map and the victims as table names and writes tables
under a prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from gbo.profile.journey_settings import VICTIM_RECORD
from gbo.profile.population import Profile
from gbo.profile.tabulate import sql_list, sql_string

IDENTIFIED_AFTER_CONTACTS = "Identified after earlier contacts"
IDENTIFIED_AT_FIRST = "Identified at first contact"
KNOWN_NOT_IDENTIFIED = "Known to agencies, not identified"
NO_CONTACTS = "No contacts recorded"
JOURNEY_STATUSES = (
    IDENTIFIED_AFTER_CONTACTS,
    IDENTIFIED_AT_FIRST,
    KNOWN_NOT_IDENTIFIED,
    NO_CONTACTS,
)

IDENTIFIED = "Identified"
NOT_IDENTIFIED = "Known, not identified"
KNOWN_SPLIT = (IDENTIFIED, NOT_IDENTIFIED)


@dataclass(frozen=True)
class Definition:
    """What counts as identification in one computation of the journeys."""

    event_types: tuple[str, ...]
    reasons: tuple[str, ...]

    def sql(self) -> str:
        """A condition on an event row (columns ``kind`` and ``reason``)."""
        parts = []
        if self.event_types:
            parts.append(f"kind IN {sql_list(self.event_types)}")
        if self.reasons:
            parts.append(f"coalesce(reason IN {sql_list(self.reasons)}, false)")
        return "(" + (" OR ".join(parts) or "false") + ")"


def build_journey_rows(
    profile: Profile, prefix: str, record_map: str, victims: str, definition: Definition
) -> None:
    """Create ``{prefix}_rec`` (one row per victim's record) and ``{prefix}_person``.

    ``record_map`` has (record_pid, person_pid) for every person record; ``victims`` has
    (person_pid, status, birth_year), one row per victim.
    """
    con, s = profile.con, profile.settings
    rule = s.contacts
    contact_types = sql_list(rule.event_types) if rule.event_types else "(NULL)"
    victim_records = (
        f"""
        UNION ALL
        SELECT m.person_pid, i.agency, {sql_string(VICTIM_RECORD)} AS kind,
               coalesce(o.recorded_date, o.first_date) AS d,
               NULL AS reason, true AS is_contact, false AS is_ident
        FROM in_involvement i JOIN in_offence o ON i.offence_pid = o.offence_pid
        JOIN {record_map} m ON i.record_pid = m.record_pid
        WHERE i.role = 'VICTIM' AND m.person_pid IN (SELECT person_pid FROM {victims})
        """
        if rule.victim_records
        else ""
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {prefix}_rec AS
        WITH ev AS (
            SELECT m.person_pid, e.agency, e.event_type AS kind, e.event_date AS d,
                   e.event_reason AS reason
            FROM in_event e JOIN {record_map} m ON e.record_pid = m.record_pid
            WHERE m.person_pid IN (SELECT person_pid FROM {victims})
        )
        SELECT person_pid, agency, kind, d, reason,
               coalesce(kind IN {contact_types}, false) AS is_contact,
               {definition.sql()} AS is_ident
        FROM ev
        {victim_records}
        """
    )
    window = (
        f"AND r.d >= p.identified_on - INTERVAL {int(s.journey_window_days)} DAY"
        if s.journey_window_days
        else ""
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {prefix}_ident AS
        SELECT v.person_pid, v.status, v.birth_year,
               min(r.d) FILTER (WHERE r.is_ident) AS identified_on,
               coalesce(bool_or(r.is_ident AND r.d IS NULL), false) AS has_undated_ident,
               min(r.d) FILTER (WHERE r.is_contact OR r.is_ident) AS first_contact,
               max(r.d) FILTER (WHERE r.is_contact OR r.is_ident) AS last_contact,
               count(r.person_pid) FILTER (WHERE (r.is_contact OR r.is_ident)
                                           AND r.d IS NOT NULL) AS n_dated,
               count(r.person_pid) FILTER (WHERE (r.is_contact OR r.is_ident)
                                           AND r.d IS NULL) AS n_undated
        FROM {victims} v LEFT JOIN {prefix}_rec r ON v.person_pid = r.person_pid
        GROUP BY v.person_pid, v.status, v.birth_year
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {prefix}_prior AS
        SELECT r.person_pid, r.agency, r.kind, r.d, p.identified_on
        FROM {prefix}_rec r JOIN {prefix}_ident p ON r.person_pid = p.person_pid
        WHERE r.is_contact AND NOT r.is_ident AND r.d IS NOT NULL
          AND r.d < p.identified_on {window}
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {prefix}_after AS
        SELECT r.person_pid, r.agency, r.kind, r.d, p.identified_on
        FROM {prefix}_rec r JOIN {prefix}_ident p ON r.person_pid = p.person_pid
        WHERE r.is_contact AND r.d IS NOT NULL AND r.d > p.identified_on
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {prefix}_person AS
        WITH pr AS (SELECT person_pid, count(*) AS n_prior, min(d) AS first_prior
                    FROM {prefix}_prior GROUP BY person_pid),
        af AS (SELECT person_pid, count(*) AS n_after FROM {prefix}_after GROUP BY person_pid)
        SELECT i.*, coalesce(pr.n_prior, 0) AS n_prior,
               coalesce(af.n_after, 0) AS n_after,
               -- identified at the first contact: no time passed
               CASE WHEN i.identified_on IS NOT NULL
                    THEN coalesce(date_diff('day', pr.first_prior, i.identified_on), 0)
               END AS days_to_identification,
               date_diff('day', i.first_contact,
                         coalesce(i.identified_on, i.last_contact)) AS days_known,
               CASE
                 WHEN i.identified_on IS NOT NULL AND pr.n_prior > 0
                   THEN '{IDENTIFIED_AFTER_CONTACTS}'
                 WHEN i.identified_on IS NOT NULL THEN '{IDENTIFIED_AT_FIRST}'
                 WHEN i.has_undated_ident THEN NULL
                 WHEN i.n_dated > 0 THEN '{KNOWN_NOT_IDENTIFIED}'
                 WHEN i.n_undated = 0 THEN '{NO_CONTACTS}'
               END AS journey,
               CASE WHEN i.identified_on IS NOT NULL THEN '{IDENTIFIED}'
                    WHEN i.n_dated > 0 AND NOT i.has_undated_ident THEN '{NOT_IDENTIFIED}'
               END AS known
        FROM {prefix}_ident i LEFT JOIN pr ON i.person_pid = pr.person_pid
        LEFT JOIN af ON i.person_pid = af.person_pid
        """
    )


def headline(profile: Profile, prefix: str) -> dict[str, tuple[float | None, int]]:
    """The figures the sensitivity table compares: value and the people it describes."""
    row = profile.one_row(
        f"""
        SELECT count(*),
               count(*) FILTER (WHERE identified_on IS NOT NULL),
               count(*) FILTER (WHERE journey = '{IDENTIFIED_AT_FIRST}'),
               count(*) FILTER (WHERE journey = '{IDENTIFIED_AFTER_CONTACTS}'),
               count(*) FILTER (WHERE journey = '{KNOWN_NOT_IDENTIFIED}'),
               median(days_to_identification),
               count(days_to_identification),
               median(n_prior) FILTER (WHERE identified_on IS NOT NULL)
        FROM {prefix}_person
        """
    )
    assert row is not None
    victims, identified, at_first, after, known, median_days, n_days, median_prior = row
    share = 100.0 * at_first / identified if identified else None
    return {
        "victims": (float(victims), int(victims)),
        "identified": (float(identified), int(identified)),
        "identified_after_contacts": (float(after), int(after)),
        "identified_at_first_contact": (float(at_first), int(at_first)),
        "pct_identified_at_first_contact": (share, int(identified)),
        "known_not_identified": (float(known), int(known)),
        "median_days_to_identification": (
            None if median_days is None else float(median_days),
            int(n_days),
        ),
        "median_prior_contacts": (
            None if median_prior is None else float(median_prior),
            int(identified),
        ),
    }
