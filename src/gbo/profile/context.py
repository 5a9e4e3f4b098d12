"""Context and outcomes of offences: locations, online element, methods, coarse geography,
and grouped Home Office outcomes, each for group-based and lone offending."""

from __future__ import annotations

from gbo.profile import categories as cat
from gbo.profile.group_breakdowns import quartiles
from gbo.profile.population import OFFENCE_CLASSES, Profile
from gbo.profile.scale import offence_table
from gbo.profile.tabulate import sql_list, sql_string, tabulate_lists
from gbo.profile.tidy import Statistic, TidyTable
from gbo.schema import codes


def build_context(profile: Profile) -> list[TidyTable]:
    return [
        offence_table(profile, "context_location", "location_type", cat.LOCATIONS),
        offence_table(
            profile,
            "context_online",
            f"CASE WHEN is_online THEN '{cat.YES}' WHEN NOT is_online THEN '{cat.NO}' END",
            cat.YES_NO,
        ),
        tabulate_lists(
            profile.con,
            "context_methods",
            source="p_offence",
            breakdown_sql="offence_class",
            list_sql="methods",
            categories=cat.METHODS,
            breakdowns=OFFENCE_CLASSES,
        ),
        offence_table(profile, "context_police_force", "police_force_area", cat.POLICE_FORCES),
        offence_table(profile, "context_local_authority", "local_authority", cat.LOCAL_AUTHORITIES),
    ]


def build_outcomes(profile: Profile) -> tuple[list[TidyTable], list[Statistic]]:
    """Outcome groups, and the days from first offence date to a charge or summons."""
    tables = [offence_table(profile, "outcomes_group", "outcome_code", cat.OUTCOME_GROUPS)]
    charge = sql_list([k for k, (_, group) in codes.OUTCOMES.items() if group == "CHARGE"])
    days = (
        "SELECT date_diff('day', first_date, outcome_date) AS x FROM p_offence "
        f"WHERE outcome_code IN {charge} AND outcome_date >= first_date"
    )
    stats: list[Statistic] = []
    for breakdown, where in [("All", "")] + [
        (c, f" AND offence_class = {sql_string(c)}") for c in OFFENCE_CLASSES
    ]:
        for s in quartiles(profile, "outcomes_group", breakdown, days + where):
            s.statistic = f"days_to_charge_{s.statistic}"
            stats.append(s)
    return tables, stats
