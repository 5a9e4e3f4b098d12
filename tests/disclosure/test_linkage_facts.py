"""The linkage facts (report and data quality page) against a reader who relates them:
persons by number of records add up to the persons, to the persons linked and, times their
number of records, to the records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gbo.disclosure.linear_system import build_linear_system
from gbo.disclosure.linkage_facts import RUN_DIAGNOSTICS
from gbo.disclosure.quality_page import controlled_page, page_tables
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import CONFIDENTIAL
from gbo.publish.html_tables import flatten_items
from gbo.publish.report import _controlled_items, template_environment
from gbo.quality.page import render_quality_page
from tests.disclosure.attacker import Attack, solve
from tests.disclosure.attacker_linkage import add_linkage_facts


def _facts() -> dict[str, Any]:
    # seed 11 of the attack benchmark: one person with five records, said as "fewer than
    # 5", was 3,291 persons less the 3,290 of the other bands
    return {
        "backend": "duckdb",
        "n_decisions": 0,
        "n_held_back_by_guards": 13,
        "n_links": 2240,
        "n_links_from_review": 0,
        "n_pairs_scored": 2329,
        "n_persons": 3291,
        "n_persons_conflicting_dob": 10,
        "n_persons_conflicting_sex": 0,
        "n_persons_linked": 1200,
        "n_records": 4992,
        "n_review_queue": 41,
        "n_weak_links": 4,
        "n_weak_links_cut": 0,
        "persons_by_n_records": {"1": 2091, "2": 745, "3": 410, "4": 44, "5": 1},
        "thresholds": {"match_threshold": 0.9},
    }


def _publish(folder: Path, page: dict[str, Any], threshold: int) -> None:
    """The two places a reader finds the facts, rendered as gbo renders them."""
    report = folder / "report"
    report.mkdir()
    items = _controlled_items(flatten_items(page["linkage"], skip=RUN_DIAGNOSTICS), threshold)
    summary = template_environment().from_string(
        '{% from "macros.html.j2" import summary_list %}{{ summary_list(items) }}'
    )
    (report / "index.html").write_text(summary.render(items=items), encoding="utf-8")
    (report / "data-quality.html").write_text(render_quality_page(**page), encoding="utf-8")


@pytest.mark.parametrize("threshold", [5, 10])
def test_persons_by_number_of_records_cannot_be_worked_out(threshold: int, tmp_path: Path) -> None:
    published, control = controlled_page(
        {"linkage": _facts()}, DisclosureSettings(threshold=threshold)
    )
    assert control is not None and control.audit.passed
    linkage = published["linkage"]
    assert linkage["persons_by_n_records"]["5"] == CONFIDENTIAL
    assert linkage["n_weak_links"] == CONFIDENTIAL
    assert linkage["n_records"] == 4992  # the large facts are shown
    _publish(tmp_path, published, threshold)
    attack = Attack()
    add_linkage_facts(attack, tmp_path, threshold)
    narrow, withheld = solve(attack, threshold)
    assert withheld >= 2
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
    assert attack.small_shown == []


def test_a_band_listed_holds_someone(tmp_path: Path) -> None:
    """The red team of stop 60 (sparse world, seed 98, k = 10): bands are listed only when
    someone has that many records, so with 2 and 2 persons of four and five records
    withheld, 3 n3 + 2 n4 + 3 n5 = 31 (from the records, persons and first band) put the
    last band between 1 and 9."""
    facts = _facts() | {
        "n_links": 149, "n_pairs_scored": 149, "n_persons": 180, "n_persons_linked": 79,
        "n_records": 290, "n_review_queue": 13, "n_weak_links": 3, "n_held_back_by_guards": 0,
        "n_persons_conflicting_dob": 1,
        "persons_by_n_records": {"1": 101, "2": 54, "3": 21, "4": 2, "5": 2},
    }  # fmt: skip
    published, control = controlled_page({"linkage": facts}, DisclosureSettings(threshold=10))
    assert control is not None and control.audit.passed
    used = {
        c.description for c in build_linear_system(*page_tables({"linkage": facts})).constraints
    }
    assert "'5' of linkage_persons_by_records is listed, so it is at least 1" in used
    _publish(tmp_path, published, 10)
    attack = Attack()
    add_linkage_facts(attack, tmp_path, 10)
    narrow, withheld = solve(attack, 10)
    assert withheld >= 2
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


def test_the_facts_meet_the_bias_audit_totals() -> None:
    bias = [
        {"dimension": "sex", "group": g, "n_records": n, "n_linked": linked}
        for g, n, linked in (("F", 2648, 1923), ("M", 2278, 939), ("Not recorded", 66, 39))
    ]
    rows, metadata = page_tables({"linkage": _facts(), "bias": bias})
    system = build_linear_system(rows, metadata)
    used = {c.description for c in system.constraints}
    # the records split by sex are the records; those linked, the records of persons with
    # more than one record (4,992 - 2,091)
    assert "the bias audit's sex groups add up to n_records" in used
    assert "the bias audit's linked records by sex are the records of persons linked" in used
    # a relation that does not hold (sex splits records, not pairs) is not used
    assert "the bias audit's sex groups add up to n_pairs_scored" not in used
    _, control = controlled_page({"linkage": _facts(), "bias": bias}, DisclosureSettings())
    assert control is not None and control.audit.passed
