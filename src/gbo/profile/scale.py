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
from gbo.profile.tabulate import Categories, tabulate_rows
from gbo.profile.tidy import TidyTable


def offence_table(profile: Profile, table_id: str, value_sql: str, c: Categories) -> TidyTable:
    """An additive table of offences by one value, for each kind of offending."""
    return tabulate_rows(
        profile.con,
        table_id,
        source="p_offence",
        breakdown_sql="offence_class",
        value_sql=value_sql,
        categories=c,
        breakdowns=OFFENCE_CLASSES,
    )


def build_scale(profile: Profile) -> list[TidyTable]:
    con = profile.con
    tables = [
        offence_table(profile, "scale_offences_by_year", "year", cat.YEARS),
        tabulate_rows(
            con,
            "scale_victims_by_year",
            source="p_victim",
            breakdown_sql="status",
            value_sql="year(first_date)",
            categories=cat.YEARS,
            breakdowns=VICTIM_STATUSES,
        ),
        tabulate_rows(
            con,
            "scale_offenders_by_year",
            source="p_offender",
            breakdown_sql="status",
            value_sql="year(first_date)",
            categories=cat.YEARS,
            breakdowns=OFFENDER_STATUSES,
        ),
        tabulate_rows(
            con,
            "scale_groups_by_year",
            source="p_group",
            breakdown_sql="'All'",
            value_sql="year(first_date)",
            categories=cat.YEARS,
            add_all=False,
            breakdowns=("All",),
        ),
        tabulate_rows(
            con,
            "scale_group_share",
            source="p_offence",
            breakdown_sql="coalesce(CAST(year AS VARCHAR), 'Year not recorded')",
            value_sql="offence_class",
            categories=Categories({c: c for c in OFFENCE_CLASSES}),
        ),
        offence_table(profile, "scale_cocad", "cocad_category", cat.COCAD),
        offence_table(profile, "scale_offence_type", "ho_offence_code", cat.OFFENCE_GROUPS),
        offence_table(profile, "scale_offence_code", "ho_offence_code", cat.OFFENCE_CODES),
        offence_table(
            profile,
            "scale_cse_flag",
            f"CASE WHEN is_cse_flagged THEN '{cat.YES}' "
            f"WHEN NOT is_cse_flagged THEN '{cat.NO}' END",
            cat.YES_NO,
        ),
    ]
    return tables
