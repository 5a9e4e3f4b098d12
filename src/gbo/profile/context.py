"""Context and outcomes of offences: locations, online element, methods, coarse geography,
and grouped Home Office outcomes, each for group-based and lone offending."""

from __future__ import annotations

from gbo.profile import categories as cat
from gbo.profile.population import OFFENCE_CLASSES, Profile
from gbo.profile.scale import OFFENCE_UNITS, offence_table
from gbo.profile.tabulate import tabulate
from gbo.profile.tidy import TidyTable


def build_context(profile: Profile) -> list[TidyTable]:
    return [
        offence_table(profile, "context_location", "location_type", cat.LOCATIONS),
        offence_table(
            profile,
            "context_online",
            f"CASE WHEN is_online THEN '{cat.YES}' WHEN NOT is_online THEN '{cat.NO}' END",
            cat.YES_NO,
        ),
        tabulate(
            profile.con,
            "context_methods",
            units_sql=OFFENCE_UNITS,
            values_sql="SELECT offence_pid AS unit_id, unnest(methods) AS value FROM p_offence "
            "WHERE methods IS NOT NULL",
            categories=cat.METHODS,
            breakdowns=OFFENCE_CLASSES,
            is_additive=False,
        ),
        offence_table(profile, "context_police_force", "police_force_area", cat.POLICE_FORCES),
        offence_table(profile, "context_local_authority", "local_authority", cat.LOCAL_AUTHORITIES),
    ]


def build_outcomes(profile: Profile) -> list[TidyTable]:
    return [offence_table(profile, "outcomes_group", "outcome_code", cat.OUTCOME_GROUPS)]
