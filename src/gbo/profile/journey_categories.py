"""Categories and per-person values shared by the journeys tables."""

from __future__ import annotations

from gbo.profile.journey_base import IDENTIFIED_AT_FIRST
from gbo.profile.journey_settings import VICTIM_RECORD, VICTIM_RECORD_LABEL
from gbo.profile.population import Profile
from gbo.profile.tabulate import Categories, band_case_sql, band_labels
from gbo.schema import codes


def agency_categories(profile: Profile) -> Categories:
    """Every agency in the data under its label (never its raw name)."""
    rows = profile.con.execute(
        "SELECT DISTINCT agency FROM j_rec WHERE agency IS NOT NULL ORDER BY agency"
    ).fetchall()
    rule = profile.settings.contacts
    return Categories({str(a): rule.agency_label(str(a)) for (a,) in rows})


def contact_type_categories() -> Categories:
    return Categories({**codes.EVENT_TYPES, VICTIM_RECORD: VICTIM_RECORD_LABEL})


def time_categories(profile: Profile) -> Categories:
    labels = {IDENTIFIED_AT_FIRST: IDENTIFIED_AT_FIRST}
    labels |= band_labels(profile.settings.time_to_identification_bands).labels
    return Categories(labels)


def time_value_sql(profile: Profile) -> str:
    """A person's time from first contact to identification: a band, or at first contact."""
    bands = band_case_sql("days_to_identification", profile.settings.time_to_identification_bands)
    return (
        f"CASE WHEN identified_on IS NOT NULL AND n_prior = 0 THEN '{IDENTIFIED_AT_FIRST}' "
        f"ELSE {bands} END"
    )
