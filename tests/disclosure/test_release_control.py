"""The tables and the data quality page are one release: the page's rows with a field
recorded give the Not recorded of a table that classifies the same rows by that field.

Seed 3 of the attack benchmark: offences by COCAD category withheld "Ritualistic" (small)
and, to protect it, "Not recorded" (493); the page showed 646 of the 1,139 offence rows
with the category recorded, so Not recorded was 1,139 - 646 = 493 and Ritualistic the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.quality_page import controlled_page
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.stage import control_release
from gbo.quality.page import render_quality_page
from tests.disclosure.attacker import attack_tables, solve
from tests.disclosure.attacker_fields import add_fields_to_tables
from tests.disclosure.attacker_pages import add_bias_groups, add_quality_page
from tests.disclosure.factories import ALL
from tests.disclosure.tables import one_table

TABLE = "scale_cocad"
COUNTS = {
    "Familial": 116,
    "Child sexual exploitation": 109,
    "Institutional": 100,
    "Ritualistic": 3,
    "Other": 123,
    "Unknown": 99,
    "Not recorded": 40,
}
TOTAL = sum(COUNTS.values())


def _tables() -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    rows = [
        {
            "table_id": TABLE,
            "breakdown": "All",
            "category": c,
            "category_order": i,
            "count": n,
            "denominator": TOTAL,
            "is_not_recorded": c == "Not recorded",
        }
        for i, (c, n) in enumerate(COUNTS.items(), start=1)
    ]
    meta = {
        TABLE: {
            "title": "Offences by COCAD category",
            "is_additive": True,
            "margin_key": "offences",
            "unit": "offences",
            "fields": [["offence", "cocad_category"]],
            "notes": [],
        }
    }
    return pd.DataFrame(rows), meta


def _page() -> dict[str, Any]:
    recorded = TOTAL - COUNTS["Not recorded"]
    return {
        "completeness": [
            {"agency": "police", "table": "offence", "field": field, "n": TOTAL,
             "n_recorded": n, "share_recorded": n / TOTAL}
            for field, n in (("cocad_category", recorded), ("first_date", TOTAL))
        ]
    }  # fmt: skip


def _attack(tables: pd.DataFrame, page: dict[str, Any], folder: Path, k: int) -> list[Any]:
    """The outside reader on the published table and page (display text only)."""
    frame = tables.astype(str)
    published = {TABLE: frame}
    attack = attack_tables(published, {TABLE: "Offences"}, {}, {TABLE: True}, k)
    html = folder / "data-quality.html"
    html.write_text(render_quality_page(**page), encoding="utf-8")
    add_quality_page(attack, html, k)
    add_fields_to_tables(attack, published)
    narrow, withheld = solve(attack, k)
    assert withheld > 0
    return narrow


def test_controlled_apart_the_page_gives_the_table_away(tmp_path: Path) -> None:
    # what the stage did before: the table and the page each protected on its own
    rows, meta = _tables()
    settings = DisclosureSettings(threshold=5)
    tables = control_disclosure(rows, meta, settings).tables
    page, _ = controlled_page(_page(), settings)
    narrow = _attack(tables, page, tmp_path, 5)
    assert {f.cell[-1] for f in narrow} >= {"Ritualistic"}


@pytest.mark.parametrize("threshold", [5, 10])
def test_controlled_together_nothing_is_given_away(threshold: int, tmp_path: Path) -> None:
    rows, meta = _tables()
    control = control_release(
        rows, meta, pd.DataFrame(), _page(), DisclosureSettings(threshold=threshold)
    )
    assert control.result.audit.passed
    assert control.page is not None
    assert set(control.tables.tables["table_id"]) == {TABLE}  # the page's tables left out
    narrow = _attack(control.tables.tables, control.page, tmp_path, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


SEX_TABLE = "victims_sex"
SEXES = {"Female": 97, "Male": 8, "Other": 0, "Not recorded": 0}


def _sex_page() -> dict[str, Any]:
    """A bias audit whose records are of two sexes only: no record says O."""
    return {
        "bias": [
            {"dimension": "sex", "group": g, "n_records": n, "n_linked": linked,
             "pct_linked": round(100 * linked / n, 2)}
            for g, n, linked in (("F", 310, 220), ("M", 120, 60))
        ]
    }  # fmt: skip


@pytest.mark.parametrize("threshold", [5, 10])
def test_a_sex_the_bias_audit_never_lists_is_known_to_be_nobody(
    threshold: int, tmp_path: Path
) -> None:
    """Victims by sex under a 90% all-in-one rule (Female withheld) beside a bias audit that
    lists F and M only: the reader knows Other is 0, so Other cannot be Female's complement
    (seed 83 of the settings round: Female 97 came back exactly)."""
    rows, meta = one_table(
        SEX_TABLE, {ALL: SEXES}, margin_key="victims", fields=[["person_record", "sex"]]
    )
    meta[SEX_TABLE]["unit"] = "people"
    settings = DisclosureSettings(threshold=threshold, dominance_share=0.9)
    control = control_release(rows, meta, pd.DataFrame(), _sex_page(), settings)
    assert control.result.audit.passed
    assert not control.warnings
    shown = control.tables.tables.set_index("category")["count_display"]
    assert shown["Female"] == "[c]"
    assert control.page is not None
    frame = control.tables.tables.astype(str)
    attack = attack_tables({SEX_TABLE: frame}, {SEX_TABLE: "Victims"}, {}, {SEX_TABLE: True},
                           threshold)  # fmt: skip
    attack.people.add(SEX_TABLE)
    html = tmp_path / "data-quality.html"
    html.write_text(render_quality_page(**control.page), encoding="utf-8")
    add_quality_page(attack, html, threshold)
    add_bias_groups(attack)
    narrow, _ = solve(attack, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
