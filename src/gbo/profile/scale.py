"""Scale and trend: offences, victims, offenders and groups by year; group-based share;
offences by COCAD category, offence group and CSE flag."""

from __future__ import annotations

from gbo.profile import categories as cat
from gbo.profile.population import (
    OFFENCE_CLASSES,
    OFFENDER_STATUSES,
    VICTIM_STATUSES,
    Profile,
)
from gbo.profile.tabulate import Categories, tabulate
from gbo.profile.tidy import TidyTable

OFFENCE_UNITS = "SELECT offence_pid AS unit_id, offence_class AS breakdown FROM p_offence"
OFFENDER_UNITS = "SELECT person_pid AS unit_id, status AS breakdown FROM p_offender"
VICTIM_UNITS = "SELECT person_pid AS unit_id, status AS breakdown FROM p_victim"


def offence_table(profile: Profile, table_id: str, value_sql: str, c: Categories) -> TidyTable:
    """An additive table of offences by one value, for each kind of offending."""
    return tabulate(
        profile.con,
        table_id,
        units_sql=OFFENCE_UNITS,
        values_sql=f"SELECT offence_pid AS unit_id, {value_sql} AS value FROM p_offence",
        categories=c,
        breakdowns=OFFENCE_CLASSES,
    )


def build_scale(profile: Profile) -> list[TidyTable]:
    con = profile.con
    tables = [
        offence_table(profile, "scale_offences_by_year", "year", cat.YEARS),
        tabulate(
            con,
            "scale_victims_by_year",
            units_sql=VICTIM_UNITS,
            values_sql="SELECT person_pid AS unit_id, year(first_date) AS value FROM p_victim",
            categories=cat.YEARS,
            breakdowns=VICTIM_STATUSES,
        ),
        tabulate(
            con,
            "scale_offenders_by_year",
            units_sql=OFFENDER_UNITS,
            values_sql="SELECT person_pid AS unit_id, year(first_date) AS value FROM p_offender",
            categories=cat.YEARS,
            breakdowns=OFFENDER_STATUSES,
        ),
        tabulate(
            con,
            "scale_groups_by_year",
            units_sql="SELECT group_pid AS unit_id, 'All' AS breakdown FROM p_group",
            values_sql="SELECT group_pid AS unit_id, year(first_date) AS value FROM p_group",
            categories=cat.YEARS,
            add_all=False,
            breakdowns=("All",),
        ),
        tabulate(
            con,
            "scale_group_share",
            units_sql="SELECT offence_pid AS unit_id, "
            "coalesce(CAST(year AS VARCHAR), 'Year not recorded') AS breakdown FROM p_offence",
            values_sql="SELECT offence_pid AS unit_id, offence_class AS value FROM p_offence",
            categories=Categories({c: c for c in OFFENCE_CLASSES}),
        ),
        offence_table(profile, "scale_cocad", "cocad_category", cat.COCAD),
        offence_table(profile, "scale_offence_type", "ho_offence_code", cat.OFFENCE_GROUPS),
        offence_table(
            profile,
            "scale_cse_flag",
            f"CASE WHEN is_cse_flagged THEN '{cat.YES}' "
            f"WHEN NOT is_cse_flagged THEN '{cat.NO}' END",
            cat.YES_NO,
        ),
    ]
    return tables
