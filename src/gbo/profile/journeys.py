"""Victims' journeys: who was known to which agency, for how long, before identification.

The rows per victim come from :mod:`gbo.profile.journey_base` under the configured contact
and identification rules; this module counts them into the ``journeys_*`` tables and their
statistics. :mod:`gbo.profile.journey_measures` adds ages, years, later contacts and the
comparison with victims never identified; :mod:`gbo.profile.journey_sensitivity` the
figures under a broader definition and with the review queue's links accepted.
"""

from __future__ import annotations

from gbo.profile import categories as cat
from gbo.profile.journey_base import JOURNEY_STATUSES, Definition, build_journey_rows
from gbo.profile.journey_categories import (
    agency_categories,
    contact_type_categories,
    time_categories,
    time_value_sql,
)
from gbo.profile.journey_measures import build_measures
from gbo.profile.journey_sensitivity import build_sensitivity
from gbo.profile.journey_settings import VICTIM_RECORD
from gbo.profile.journey_stats import contact_totals, summary
from gbo.profile.population import VICTIM_STATUSES, Profile
from gbo.profile.tabulate import Categories, band_case_sql, band_labels, sql_list, tabulate
from gbo.profile.tidy import Statistic, TidyTable

IDENTIFIED_UNITS = (
    "SELECT person_pid AS unit_id, status AS breakdown FROM j_person "
    "WHERE identified_on IS NOT NULL"
)


def build_journeys(profile: Profile) -> tuple[list[TidyTable], list[Statistic]]:
    s = profile.settings
    rule = s.identification
    build_journey_rows(
        profile, "j", "p_record", "p_victim", Definition(rule.event_types, rule.reasons)
    )
    con = profile.con
    # victims' events as recorded (the completeness table counts their dates)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW p_event AS SELECT person_pid, agency, kind AS event_type, "
        f"d AS event_date FROM j_rec WHERE kind <> '{VICTIM_RECORD}'"
    )
    profile.facts["journey_events_without_date"] = profile.scalar(
        "SELECT count(*) FROM j_rec WHERE d IS NULL AND (is_contact OR is_ident)"
    )
    agencies = agency_categories(profile)
    health = sql_list(s.health_event_types)
    missing = (
        sql_list(s.contacts.missing_event_types) if s.contacts.missing_event_types else "(NULL)"
    )
    signals_sql = f"""
        SELECT person_pid AS unit_id, CASE
            WHEN kind IN {missing} THEN '{cat.MISSING_EPISODE}'
            WHEN kind IN {health} THEN '{cat.HEALTH_CONTACT}'
            WHEN kind = 'SOCIAL_CARE_REFERRAL' THEN '{cat.SOCIAL_CARE_REFERRAL}'
            WHEN kind = '{VICTIM_RECORD}' THEN '{cat.VICTIM_RECORD}'
        END AS value FROM j_prior
        UNION ALL
        SELECT r.person_pid, '{cat.MISSING_MARKER}' FROM in_vulnerability v
        JOIN p_record r ON v.record_pid = r.record_pid
        JOIN j_person p ON r.person_pid = p.person_pid
        WHERE v.marker = 'MISSING_HISTORY' AND v.marker_date < p.identified_on
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
            units_sql="SELECT person_pid AS unit_id, status AS breakdown FROM j_person",
            values_sql="SELECT person_pid AS unit_id, journey AS value FROM j_person",
            categories=Categories({j: j for j in JOURNEY_STATUSES}),
            breakdowns=VICTIM_STATUSES,
        ),
        identified(
            "journeys_prior_contacts",
            f"SELECT person_pid AS unit_id, {band_case_sql('n_prior', s.prior_contact_bands)} "
            "AS value FROM j_person",
            band_labels(s.prior_contact_bands),
            True,
        ),
        identified(
            "journeys_contacts_agency",
            "SELECT person_pid AS unit_id, agency AS value FROM j_prior",
            agencies,
            False,
        ),
        identified(
            "journeys_contacts_event_type",
            "SELECT person_pid AS unit_id, kind AS value FROM j_prior",
            contact_type_categories(),
            False,
        ),
        identified("journeys_signals", signals_sql, cat.SIGNALS, False),
        identified(
            "journeys_time_to_identification",
            f"SELECT person_pid AS unit_id, {time_value_sql(profile)} AS value FROM j_person",
            time_categories(profile),
            True,
        ),
    ]
    stats: list[Statistic] = []
    for breakdown, where in [("All", "")] + [
        (status, f"AND status = '{status}'") for status in VICTIM_STATUSES
    ]:
        stats += summary(
            profile,
            "journeys_time_to_identification",
            breakdown,
            f"SELECT days_to_identification AS x FROM j_person WHERE true {where}",
        )
        stats += summary(
            profile,
            "journeys_prior_contacts",
            breakdown,
            f"SELECT n_prior AS x FROM j_person WHERE identified_on IS NOT NULL {where}",
        )
    stats += contact_totals(profile, "journeys_contacts_agency", "agency", agencies.labels)
    stats += contact_totals(
        profile, "journeys_contacts_event_type", "kind", contact_type_categories().labels
    )
    measure_tables, measure_stats = build_measures(profile, agencies)
    sensitivity_stats = build_sensitivity(profile)
    return tables + measure_tables, stats + measure_stats + sensitivity_stats
