"""Characteristics of people: offenders and victims by sex, age, ethnicity and nationality.

Offenders and victims are counted the same way, each from their own population table
(``p_offender``, ``p_victim``); ethnicity is self-defined (five ONS groups, and 19 categories
when enough is recorded) and officer-defined, always in separate tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from gbo.profile import categories as cat
from gbo.profile.group_breakdowns import quartiles
from gbo.profile.population import (
    OFFENDER_STATUSES,
    VICTIM_STATUSES,
    Profile,
)
from gbo.profile.settings import Band
from gbo.profile.tabulate import (
    Categories,
    band_case_sql,
    band_labels,
    sql_list,
    sql_string,
    tabulate_rows,
)
from gbo.profile.tidy import Statistic, TidyTable

AGE_SQL = "(year(first_date) - birth_year)"


def _person_table(
    profile: Profile,
    table_id: str,
    population: str,
    breakdowns: Sequence[str],
    value_sql: str,
    c: Categories,
) -> TidyTable:
    return tabulate_rows(
        profile.con,
        table_id,
        source=population,
        breakdown_sql="status",
        value_sql=value_sql,
        categories=c,
        breakdowns=breakdowns,
    )


def build_people(
    profile: Profile, prefix: str, population: str, bands: Sequence[Band]
) -> list[TidyTable]:
    """Sex, age band, ethnicity (5, 19, officer) and nationality tables of one population."""
    breakdowns = OFFENDER_STATUSES if prefix == "offenders" else VICTIM_STATUSES
    nationality = (
        f"CASE WHEN nationality IS NULL THEN NULL WHEN nationality = 'GBR' THEN '{cat.UK}' "
        f"ELSE '{cat.OTHER_COUNTRY}' END"
    )
    tables = [
        _person_table(profile, f"{prefix}_sex", population, breakdowns, "sex", cat.SEX),
        _person_table(
            profile,
            f"{prefix}_age_band",
            population,
            breakdowns,
            band_case_sql(AGE_SQL, bands),
            band_labels(bands),
        ),
        _person_table(
            profile, f"{prefix}_ethnicity_5", population, breakdowns, "ethnicity_self", cat.ons5()
        ),
    ]
    n_recorded = profile.scalar(
        f"SELECT count(*) FROM {population} WHERE ethnicity_self IS NOT NULL "
        "AND ethnicity_self <> 'NS'"
    )
    if n_recorded >= profile.settings.ethnicity_detail_min_recorded:
        tables.append(
            _person_table(
                profile,
                f"{prefix}_ethnicity_19",
                population,
                breakdowns,
                "ethnicity_self",
                cat.ons19(),
            )
        )
    else:
        profile.facts[f"{prefix}_ethnicity_19_withheld"] = n_recorded
    tables += [
        _person_table(
            profile,
            f"{prefix}_ethnicity_officer",
            population,
            breakdowns,
            "ethnicity_officer",
            cat.officer(),
        ),
        _person_table(
            profile, f"{prefix}_nationality", population, breakdowns, nationality, cat.NATIONALITY
        ),
    ]
    return tables


def age_statistics(
    profile: Profile, prefix: str, population: str, bands: Sequence[Band]
) -> list[Statistic]:
    """Median and quartiles of age at first offence, for All and each breakdown, over the
    people the age band table places in a band: an age outside every band (a birth year
    after the first offence, from records that disagree) is "Not recorded" there, and the
    statistics' n must be the table's recorded people, or a reader takes the difference for
    the table's "Not recorded" (a red team of stop 60 read 0 where it was 1)."""
    breakdowns = OFFENDER_STATUSES if prefix == "offenders" else VICTIM_STATUSES
    age = f"CASE WHEN {band_case_sql(AGE_SQL, bands)} IS NOT NULL THEN {AGE_SQL} END"
    stats = quartiles(profile, f"{prefix}_age_band", "All", f"SELECT {age} AS x FROM {population}")
    for status in breakdowns:
        stats += quartiles(
            profile,
            f"{prefix}_age_band",
            status,
            f"SELECT {age} AS x FROM {population} WHERE status = {sql_string(status)}",
        )
    return stats


def build_offender_status(profile: Profile) -> TidyTable:
    """Offenders in groups and alone (the breakdown of every other offender table)."""
    return tabulate_rows(
        profile.con,
        "offenders_group_status",
        source="p_offender",
        breakdown_sql="'All'",
        value_sql=f"CASE WHEN status IN {sql_list(OFFENDER_STATUSES)} THEN status END",
        categories=Categories({s: s for s in OFFENDER_STATUSES}),
        add_all=False,
        breakdowns=("All",),
    )


def count_conflicts(profile: Profile) -> dict[str, int]:
    """People whose linked records disagree on sex or birth date (quoted in notes)."""
    out: dict[str, int] = {}
    for prefix, population in (("offenders", "p_offender"), ("victims", "p_victim")):
        row = profile.one_row(
            f"SELECT count(*) FILTER (WHERE has_conflicting_sex), "
            f"count(*) FILTER (WHERE has_conflicting_dob) FROM {population}"
        )
        out[f"{prefix}_conflicting_sex"] = int(row[0]) if row else 0
        out[f"{prefix}_conflicting_dob"] = int(row[1]) if row else 0
    return out
