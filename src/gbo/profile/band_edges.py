"""The band edges of each banded table, declared in its metadata for disclosure control.

A table of people by a banded number (ages, group sizes, contacts, days to identification)
is published with the quartiles and mean of the same number. A reader bounds the bands
from those statistics (:mod:`gbo.disclosure.quantile_control`), so the check must know
each band's edges in the statistics' unit. Labels do not always say them in that unit
("Under 6 months" of a number of days), and bands are a setting, so the edges are declared
from the bands the table was built with (``bands``: [label, lowest, highest], highest
null for an open band), never read back from the labels.
"""

from __future__ import annotations

from typing import Any

from gbo.profile.journey_base import IDENTIFIED_AT_FIRST
from gbo.profile.settings import Band, ProfileSettings

OPEN_END = 1_000_000  # the settings' upper end of an open band ("10 or more")
# table -> the setting holding the bands it was built with
BANDED_TABLES: dict[str, str] = {
    "victims_age_band": "victim_age_bands",
    "offenders_age_band": "offender_age_bands",
    "groups_size": "group_size_bands",
    "groups_duration": "group_duration_bands",
    "groups_victims": "victims_per_group_bands",
    "journeys_age_first_contact": "victim_age_bands",
    "journeys_age_identification": "victim_age_bands",
    "journeys_prior_contacts": "prior_contact_bands",
    "journeys_contacts_after": "prior_contact_bands",
    "journeys_known_contacts": "prior_contact_bands",
    "journeys_time_to_identification": "time_to_identification_bands",
    "journeys_by_year": "time_to_identification_bands",
    "journeys_contacts_timeline": "time_before_identification_bands",
}

# categories outside the bands setting that hold one value of the statistics: a victim
# identified at the first contact took no time
FIXED_VALUE_CATEGORIES: dict[str, list[list[Any]]] = {
    "journeys_time_to_identification": [[IDENTIFIED_AT_FIRST, 0, 0]],
    "journeys_by_year": [[IDENTIFIED_AT_FIRST, 0, 0]],
}


def band_edges(bands: tuple[Band, ...]) -> list[list[Any]]:
    """[label, lowest, highest] of each band; highest is None for an open band."""
    return [[label, low, None if high >= OPEN_END else high] for label, low, high in bands]


def declare_band_edges(metadata: dict[str, Any], settings: ProfileSettings) -> None:
    """Add ``bands`` to the metadata of every banded table that was made."""
    for table_id, setting in BANDED_TABLES.items():
        if table_id in metadata:
            metadata[table_id]["bands"] = [
                *FIXED_VALUE_CATEGORIES.get(table_id, []),
                *band_edges(getattr(settings, setting)),
            ]
