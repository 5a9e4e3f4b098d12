"""What reviewers ask of victims' journeys beyond the time to identification.

* ages at first contact and at identification;
* victims known to agencies but never identified, beside those identified (which agencies
  knew them, how many contacts, for how long);
* the time to identification by year of identification;
* contacts after identification;
* contacts with each agency by how long before identification they were (the chart of
  agency contacts over time).
"""

from __future__ import annotations

from gbo.profile.journey_base import KNOWN_SPLIT, NOT_IDENTIFIED
from gbo.profile.journey_categories import time_categories, time_value_sql
from gbo.profile.journey_stats import CONTACTS_AFTER, contact_totals, summary
from gbo.profile.population import VICTIM_STATUSES, Profile
from gbo.profile.tabulate import Categories, band_case_sql, band_labels, sql_string, tabulate
from gbo.profile.tidy import Statistic, TidyTable

IDENTIFIED_UNITS = (
    "SELECT person_pid AS unit_id, status AS breakdown FROM j_person "
    "WHERE identified_on IS NOT NULL"
)
KNOWN_UNITS = (
    "SELECT person_pid AS unit_id, known AS breakdown FROM j_person WHERE known IS NOT NULL"
)
# contacts counted for the comparison: before identification, or every contact if never
KNOWN_CONTACTS = f"""
    SELECT person_pid, agency FROM j_prior
    UNION ALL
    SELECT r.person_pid, r.agency FROM j_rec r JOIN j_person p ON r.person_pid = p.person_pid
    WHERE p.known = '{NOT_IDENTIFIED}' AND r.is_contact AND r.d IS NOT NULL
"""


def after_identification(agencies: Categories) -> Categories:
    """Agency labels for contacts after identification ("Police, after identification"), so
    that no label names two different groups of victims in one publication."""
    return Categories(
        {code: f"{label}, after identification" for code, label in agencies.labels.items()}
    )


def build_measures(
    profile: Profile, agencies: Categories
) -> tuple[list[TidyTable], list[Statistic]]:
    con, s = profile.con, profile.settings
    ages = s.victim_age_bands
    known_contacts_n = "CASE WHEN known = 'Identified' THEN n_prior ELSE n_dated END"  # per person

    def table(
        table_id: str,
        units: str,
        values: str,
        c: Categories,
        breakdowns: tuple[str, ...] | list[str],
        additive: bool = True,
        add_all: bool = True,
    ) -> TidyTable:
        return tabulate(
            con,
            table_id,
            units_sql=units,
            values_sql=values,
            categories=c,
            breakdowns=breakdowns,
            is_additive=additive,
            add_all=add_all,
        )

    years = [
        str(y)
        for (y,) in con.execute(
            "SELECT DISTINCT year(identified_on) FROM j_person "
            "WHERE identified_on IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    agency_labels = agencies.ordered_labels()
    before_sql = band_case_sql(
        "date_diff('day', d, identified_on)", s.time_before_identification_bands
    )
    whens = " ".join(
        f"WHEN {sql_string(k)} THEN {sql_string(v)}" for k, v in agencies.labels.items()
    )
    agency_label_sql = f"(CASE agency {whens} END)" if whens else "NULL"
    tables = [
        table(
            "journeys_age_first_contact",
            KNOWN_UNITS,
            "SELECT person_pid AS unit_id, "
            f"{band_case_sql('year(first_contact) - birth_year', ages)} AS value FROM j_person",
            band_labels(ages),
            KNOWN_SPLIT,
        ),
        table(
            "journeys_age_identification",
            IDENTIFIED_UNITS,
            "SELECT person_pid AS unit_id, "
            f"{band_case_sql('year(identified_on) - birth_year', ages)} AS value FROM j_person",
            band_labels(ages),
            VICTIM_STATUSES,
        ),
        table(
            "journeys_known_agency",
            KNOWN_UNITS,
            f"SELECT person_pid AS unit_id, agency AS value FROM ({KNOWN_CONTACTS})",
            agencies,
            KNOWN_SPLIT,
            additive=False,
        ),
        table(
            "journeys_known_contacts",
            KNOWN_UNITS,
            "SELECT person_pid AS unit_id, "
            f"{band_case_sql(known_contacts_n, s.prior_contact_bands)} AS value FROM j_person",
            band_labels(s.prior_contact_bands),
            KNOWN_SPLIT,
        ),
        table(
            "journeys_by_year",
            "SELECT person_pid AS unit_id, CAST(year(identified_on) AS VARCHAR) AS breakdown "
            "FROM j_person WHERE identified_on IS NOT NULL",
            f"SELECT person_pid AS unit_id, {time_value_sql(profile)} AS value FROM j_person",
            time_categories(profile),
            years,
        ),
        table(
            "journeys_contacts_after",
            IDENTIFIED_UNITS,
            "SELECT person_pid AS unit_id, "
            f"{band_case_sql('n_after', s.prior_contact_bands)} AS value FROM j_person",
            band_labels(s.prior_contact_bands),
            VICTIM_STATUSES,
        ),
        table(
            "journeys_contacts_after_agency",
            IDENTIFIED_UNITS,
            "SELECT person_pid AS unit_id, agency AS value FROM j_after",
            after_identification(agencies),
            VICTIM_STATUSES,
            additive=False,
        ),
        table(
            "journeys_contacts_timeline",
            f"SELECT person_pid || '|' || agency AS unit_id, {agency_label_sql} AS breakdown "
            "FROM j_prior",
            f"SELECT person_pid || '|' || agency AS unit_id, {before_sql} AS value FROM j_prior",
            band_labels(s.time_before_identification_bands),
            agency_labels,
            additive=False,
            add_all=False,
        ),
    ]
    stats: list[Statistic] = []
    splits = [("All", "")] + [(k, f"AND known = {sql_string(k)}") for k in KNOWN_SPLIT]
    for breakdown, where in splits:
        stats += summary(
            profile,
            "journeys_age_first_contact",
            breakdown,
            "SELECT year(first_contact) - birth_year AS x FROM j_person "
            f"WHERE known IS NOT NULL {where}",
        )
        stats += summary(
            profile,
            "journeys_known_contacts",
            breakdown,
            f"SELECT days_known AS x FROM j_person WHERE known IS NOT NULL {where}",
            prefix="days_known_",
        )
        stats += summary(
            profile,
            "journeys_known_contacts",
            breakdown,
            f"SELECT {known_contacts_n} AS x FROM j_person WHERE known IS NOT NULL {where}",
        )
    statuses = [("All", "")] + [(v, f"AND status = {sql_string(v)}") for v in VICTIM_STATUSES]
    for breakdown, where in statuses:
        stats += summary(
            profile,
            "journeys_age_identification",
            breakdown,
            "SELECT year(identified_on) - birth_year AS x FROM j_person "
            f"WHERE identified_on IS NOT NULL {where}",
        )
        stats += summary(
            profile,
            "journeys_contacts_after",
            breakdown,
            f"SELECT n_after AS x FROM j_person WHERE identified_on IS NOT NULL {where}",
        )
    for year in years:
        stats += summary(
            profile,
            "journeys_by_year",
            year,
            "SELECT days_to_identification AS x FROM j_person "
            f"WHERE year(identified_on) = {int(year)}",
        )
    stats += contact_totals(
        profile,
        "journeys_contacts_after_agency",
        "agency",
        dict(after_identification(agencies).labels),
        source="j_after",
        statistic=CONTACTS_AFTER,
    )
    return tables, stats
