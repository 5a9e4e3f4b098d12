"""How the time to identification and the timeline of earlier contacts bound each other,
declared to disclosure control.

A victim's time to identification runs from their first earlier contact, so that contact is
in the timeline (``journeys_contacts_timeline``: victims with a contact with each agency, by
how long before identification) in the period holding the time, with its agency. Each band
of the time to identification (in the ``All`` column of ``journeys_time_to_identification``
and of ``journeys_by_year``) is therefore at most the timeline's cells of the periods that
overlap it, summed over the agencies; and a victim in a period of the timeline took at least
that long, so each cell of the timeline is at most the bands of time that reach the period.

The third red team of stop 61 read them together: with every agency's "5 years or more
before" shown as 0, the withheld "5 years or more" of the time to identification (a zero
withheld to hide that every victim took 2 to 5 years) was 0 in every column and year.

Each is declared as an explicit relation (``relations``, gbo.disclosure.declared), kept
only where it holds on the true figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gbo.profile.settings import Band
from gbo.profile.tidy import ALL, TidyTable

TIMELINE = "journeys_contacts_timeline"
# tables of identified victims by time to identification, with an All column
TIME_TABLES = ("journeys_time_to_identification", "journeys_by_year")


def _overlap(a: Band, b: Band) -> bool:
    return a[1] <= b[2] and b[1] <= a[2]


def declare_timeline_bounds(
    metadata: dict[str, Any],
    by_id: Mapping[str, TidyTable],
    time_bands: Sequence[Band],
    before_bands: Sequence[Band],
) -> None:
    """Each time band at most the timeline periods it overlaps (over every agency), and each
    timeline cell at most the time bands that overlap its period or lie beyond it."""
    timeline = by_id.get(TIMELINE)
    if timeline is None or TIMELINE not in metadata:
        return
    periods = [band for band in before_bands if band[0] in timeline.categories]
    agencies = list(timeline.breakdowns)
    for table_id in TIME_TABLES:
        table = by_id.get(table_id)
        if table is None or table_id not in metadata or ALL not in table.breakdowns:
            continue
        bands = [band for band in time_bands if band[0] in table.categories]
        relations = metadata[table_id].setdefault("relations", [])
        for band in bands:
            within = [p[0] for p in periods if _overlap(band, p)]
            relations.append(
                {
                    "terms": [
                        [table_id, ALL, band[0], 1],
                        *([TIMELINE, a, p, -1] for a in agencies for p in within),
                    ],
                    "at_most": 0,
                    "description": f"victims who took '{band[0]}' had their first earlier "
                    "contact in a period of the timeline that overlaps it",
                }
            )
        for period in periods:
            reaching = [b[0] for b in bands if b[2] >= period[1]]
            for agency in agencies:
                relations.append(
                    {
                        "terms": [
                            [TIMELINE, agency, period[0], 1],
                            *([table_id, ALL, b, -1] for b in reaching),
                        ],
                        "at_most": 0,
                        "description": f"victims with a contact with {agency} "
                        f"'{period[0]}' took at least that long to be identified",
                    }
                )
