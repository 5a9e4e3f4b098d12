"""What the victims tables' definitions tell a reader, declared to disclosure control.

A victim is counted as looked after (``victims_looked_after``) when any record says so *or*
a looked-after marker is recorded, so in every breakdown the looked-after victims are at
least those with the marker (``victims_vulnerability``, "Looked-after child"). Where the two
totals of ``All`` are equal, a reader then knows each breakdown's are equal too. The
relation is declared (``relations``, gbo.disclosure.declared), and used only where it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gbo.profile.tidy import TidyTable
from gbo.schema import codes

LOOKED_AFTER = ("victims_looked_after", "Looked after")
MARKER = ("victims_vulnerability", codes.VULNERABILITY_MARKERS["LOOKED_AFTER"])


def declare_looked_after(metadata: dict[str, Any], by_id: Mapping[str, TidyTable]) -> None:
    """The marker's count is at most the looked-after count, in each breakdown of both."""
    (status_id, status), (marker_id, marker) = LOOKED_AFTER, MARKER
    status_table, marker_table = by_id.get(status_id), by_id.get(marker_id)
    if status_table is None or marker_table is None or status_id not in metadata:
        return
    if status not in status_table.categories or marker not in marker_table.categories:
        return
    for breakdown in status_table.breakdowns:
        if breakdown in marker_table.breakdowns:
            metadata[status_id].setdefault("relations", []).append(
                {
                    "terms": [
                        [marker_id, breakdown, marker, 1],
                        [status_id, breakdown, status, -1],
                    ],
                    "at_most": 0,
                    "description": f"'{breakdown}': a victim with the looked-after marker is "
                    "counted as looked after",
                }
            )
