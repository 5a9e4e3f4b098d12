"""Each agency's column of the contacts timeline is the identified victims with a contact
with that agency: the same people as that agency's count in contacts before
identification, by agency.

On a 300-record world (seed 61) the earlier release withheld "Police" in contacts by agency
(journeys_contacts_agency) and showed the timeline's Police column total, 43: the same
figure, so the reader had it exactly. The profile now declares the timeline's population
part of the identified victims, and disclosure control takes the two as one figure.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbo.disclosure.cells import CellRef
from gbo.disclosure.linear_system import build_linear_system
from gbo.profile.registry import REGISTRY, declarations
from tests.disclosure.tables import one_table


def test_the_timeline_column_and_the_agency_count_are_one_figure() -> None:
    tables = {
        "journeys_contacts_agency": {"All": {"Health services": 27, "Police": 43}},
        "journeys_contacts_timeline": {
            "Police": {"Under 1 month before": 3, "1 to 5 months before": 16, "Later": 24}
        },
    }
    frames: list[pd.DataFrame] = []
    meta: dict[str, dict[str, Any]] = {}
    for table_id, cells in tables.items():
        margin = REGISTRY[table_id].margin_key
        denominators = {"All": 46} if table_id == "journeys_contacts_agency" else None
        rows, table_meta = one_table(
            table_id, cells, margin_key=margin, is_additive=False, denominators=denominators
        )
        table_meta[table_id] |= declarations(table_id, margin)
        frames.append(rows)
        meta |= table_meta
    system = build_linear_system(pd.concat(frames, ignore_index=True), meta)
    agency = system.ref_index[CellRef("journeys_contacts_agency", "All", "Police")]
    column = system.ref_index[CellRef("journeys_contacts_timeline", "Police", None)]
    assert agency == column
