"""Each margin of a cross-tabulation against the data quality page.

A table of offences by location type (its categories) and online element (its breakdowns)
classifies the same offence rows the page checks for both fields. The page's rows with the
online element recorded give the total of the table's "Not recorded" breakdown, and a
category worked out from two fields (an age from a birth year and an offence date) holds at
least the rows without each field. Before, the relation was declared only for tables that
classify one field, so the page gave away the withheld margin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from gbo.disclosure.linear_system import build_linear_system
from gbo.disclosure.page_relations import table_relations
from gbo.disclosure.quality_page import page_tables
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.stage import control_release
from gbo.quality.page import render_quality_page
from tests.disclosure.attacker import attack_tables, solve
from tests.disclosure.attacker_fields import add_margins
from tests.disclosure.attacker_pages import add_quality_page
from tests.disclosure.factories import ALL, NOT_RECORDED, _row
from tests.disclosure.tables import two_way

CROSS = "context_location_online"
LOCATIONS = ("Private dwelling", "Vehicle", "Hotel")
# online element (breakdowns) by location (categories); 3 offences without an online element
PARTS = {
    "Online": {"Private dwelling": 40, "Vehicle": 31, "Hotel": 22, NOT_RECORDED: 12},
    "Not online": {"Private dwelling": 55, "Vehicle": 47, "Hotel": 38, NOT_RECORDED: 15},
    NOT_RECORDED: {"Private dwelling": 1, "Vehicle": 1, "Hotel": 0, NOT_RECORDED: 1},
}
AGE = "offenders_age_band"
# age from two fields: 31 rows without a birth year, every row with a date; Not recorded
# (withheld to protect the 3) holds at least the 31 without a birth year and at most the
# rows without one or the other, 31 + 0: the page would pin it, and the 3 with it
AGES = {"18 to 24": 3, "25 to 39": 52, "40 and over": 41, NOT_RECORDED: 31}


def _rows(table_id: str, cells: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    rows = []
    for b, counts in cells.items():
        total = sum(counts.values())
        for order, (c, n) in enumerate(counts.items(), start=1):
            nr = counts.get(NOT_RECORDED, 0)
            rows.append(_row(table_id, b, c, order, n, total, total - nr, c == NOT_RECORDED))
    return rows


def _meta(table_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": table_id,
        "is_additive": True,
        "margin_key": table_id,
        "unit": "offences",
        "notes": [],
        **extra,
    }


def _release() -> tuple[pd.DataFrame, dict[str, dict[str, Any]], dict[str, Any]]:
    cross = two_way(PARTS)
    rows = pd.DataFrame(_rows(CROSS, cross) + _rows(AGE, {ALL: AGES}))
    meta = {
        CROSS: _meta(
            CROSS,
            fields=[["offence", "location_type"]],
            breakdown_fields=[["offence", "is_online"]],
        ),
        AGE: _meta(AGE, fields=[["suspect", "birth_year"], ["suspect", "offence_date"]]),
    }
    rows_cross = sum(cross[ALL].values())
    rows_age = sum(AGES.values())
    figures = (
        ("offence", "location_type", rows_cross, rows_cross - cross[ALL][NOT_RECORDED]),
        ("offence", "is_online", rows_cross, rows_cross - sum(PARTS[NOT_RECORDED].values())),
        ("suspect", "birth_year", rows_age, rows_age - AGES[NOT_RECORDED]),
        ("suspect", "offence_date", rows_age, rows_age),
    )
    page = {
        "completeness": [
            {"agency": "police", "table": t, "field": f, "n": n, "n_recorded": r,
             "share_recorded": r / n}
            for t, f, n, r in figures
        ]
    }  # fmt: skip
    return rows, meta, page


def _reader(control: Any, tmp_path: Path, k: int) -> list[Any]:
    published = {
        str(t): f.astype(str).replace({"<NA>": ""})
        for t, f in control.tables.tables.groupby("table_id", sort=False)
    }
    attack = attack_tables(
        published, {CROSS: "Offences", AGE: "Suspects"}, {}, {t: True for t in published}, k
    )
    html = tmp_path / "data-quality.html"
    html.write_text(render_quality_page(**control.page), encoding="utf-8")
    add_quality_page(attack, html, k)
    add_margins(
        attack,
        published,
        {
            CROSS: ([("offence", "location_type")], [("offence", "is_online")]),
            AGE: ([("suspect", "birth_year"), ("suspect", "offence_date")], []),
        },
    )
    narrow, withheld = solve(attack, k)
    assert withheld > 0
    return narrow


@pytest.mark.parametrize("threshold", [5, 10])
def test_every_margin_of_a_cross_tab_is_protected_against_the_page(
    threshold: int, tmp_path: Path
) -> None:
    rows, meta, page = _release()
    control = control_release(
        rows, meta, pd.DataFrame(), page, DisclosureSettings(threshold=threshold)
    )
    assert control.result.audit.passed
    narrow = _reader(control, tmp_path, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


def test_the_margins_relations_are_declared() -> None:
    rows, meta, page = _release()
    page_rows, page_meta = page_tables(page)
    table_relations(rows, meta, page, page_meta)
    system = build_linear_system(
        pd.concat([rows, page_rows], ignore_index=True), {**meta, **page_meta}
    )
    # declared, and true on the figures (so used)
    used = " | ".join(c.description for c in system.constraints)
    assert f"the Not recorded breakdown of {CROSS}" in used
    assert f"the Not recorded of {AGE} holds every row without birth_year" in used
    assert f"the Not recorded of {AGE} holds only rows without one of its fields" in used
