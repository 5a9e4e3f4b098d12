"""The LP audit: it passes controlled tables and catches every planted way back to a cell."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from gbo.disclosure.audit import AuditReport, audit_published_tables
from gbo.disclosure.cells import CellRef
from gbo.disclosure.control import control_disclosure
from gbo.disclosure.display_figures import publish_tables
from gbo.disclosure.linear_system import build_linear_system
from gbo.disclosure.primary import apply_primary_rules
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import SuppressionState
from tests.disclosure.factories import metadata_for
from tests.disclosure.tables import cell, one_table, table_rows, two_way


def audit(
    rows: pd.DataFrame,
    published: pd.DataFrame,
    meta: Mapping[str, Mapping[str, Any]],
    settings: DisclosureSettings,
) -> AuditReport:
    return audit_published_tables(
        rows,
        published,
        meta,
        threshold=settings.threshold,
        protection=settings.protection,
        rounding_base=settings.rounding_base,
    )


def primary_only(
    rows: pd.DataFrame, meta: Mapping[str, Mapping[str, Any]], settings: DisclosureSettings
) -> pd.DataFrame:
    """Publish with primary suppression and nothing else: the naive, unsafe way."""
    system = build_linear_system(rows, meta)
    state = apply_primary_rules(system, rows, meta, settings)
    return publish_tables(rows, meta, system, state, settings)


def test_single_hidden_cell_beside_a_published_total_fails() -> None:
    rows, meta = one_table("t", {"All": {"A": 3, "B": 50, "C": 60, "Not recorded": 11}})
    settings = DisclosureSettings()
    report = audit(rows, primary_only(rows, meta, settings), meta, settings)
    assert not report.passed
    (narrow,) = report.narrow
    assert narrow.refs == [CellRef("t", "All", "A")]
    assert narrow.lower == narrow.upper == 3


def test_controlled_version_of_the_same_table_passes() -> None:
    rows, meta = one_table("t", {"All": {"A": 3, "B": 50, "C": 60, "Not recorded": 11}})
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert result.audit.passed
    assert cell(result.tables, "t", "All", "A")["count_display"] == "[c]"
    assert (result.tables["suppression"] == "secondary").sum() >= 1


def test_two_small_cells_that_only_hide_each_other_fail() -> None:
    # A and B are hidden, but together they are 3: each is pinned to 0..3, too narrow
    rows, meta = one_table("t", {"All": {"A": 1, "B": 2, "C": 50, "D": 60}})
    settings = DisclosureSettings()
    report = audit(rows, primary_only(rows, meta, settings), meta, settings)
    assert not report.passed
    assert {r.refs[0].category for r in report.narrow} == {"A", "B"}
    assert all(math.isclose(r.width, 3) for r in report.narrow)


def test_rectangle_in_a_two_way_table_is_measured_exactly() -> None:
    parts = {"X": {"A": 2, "B": 40, "C": 30}, "Y": {"A": 40, "B": 3, "C": 30}}
    rows, meta = one_table("t", two_way(parts))
    settings = DisclosureSettings()
    report = audit(rows, primary_only(rows, meta, settings), meta, settings)
    assert not report.passed
    result = control_disclosure(rows, meta, settings)
    assert result.audit.passed


def test_cell_recoverable_only_across_linked_tables_fails() -> None:
    # Table 'by_group' hides the small total of breakdown 'X' and its cells; a second table
    # about the same people publishes how many are in 'X', which undoes the suppression.
    parts = {"X": {"A": 2, "B": 1, "Not recorded": 1}, "Y": {"A": 40, "B": 35, "Not recorded": 9}}
    rows_a, meta_a = one_table("by_group", two_way(parts))
    rows_b = table_rows("group_status", {"All": {"X": 4, "Y": 84}})
    meta_b = {"group_status": metadata_for("group_status", margin_key="people")}
    settings = DisclosureSettings()
    controlled_a = control_disclosure(rows_a, meta_a, settings)
    assert controlled_a.audit.passed  # safe on its own
    naive_b = primary_only(rows_b, meta_b, settings)
    rows = pd.concat([rows_a, rows_b], ignore_index=True)
    meta = meta_a | meta_b
    published = pd.concat([controlled_a.tables, naive_b], ignore_index=True)
    report = audit(rows, published, meta, settings)
    assert not report.passed
    # controlling both tables together protects them
    together = control_disclosure(rows, meta, settings)
    assert together.audit.passed


def test_figure_shown_in_one_table_and_hidden_in_another_is_a_problem() -> None:
    rows_a, meta_a = one_table("a", {"All": {"P": 30, "Q": 40}})
    rows_b, meta_b = one_table("b", {"All": {"R": 33, "S": 37}})
    rows = pd.concat([rows_a, rows_b], ignore_index=True)
    meta = meta_a | meta_b
    settings = DisclosureSettings()
    system = build_linear_system(rows, meta)
    # both tables count the same 70 people: their grand totals are one figure
    total = system.ref_index[CellRef("a", "All", None)]
    assert system.ref_index[CellRef("b", "All", None)] == total
    state = SuppressionState.all_published(system.size)
    for category in ("P", "Q", "R", "S"):
        table = "a" if category in "PQ" else "b"
        state.status[system.ref_index[CellRef(table, "All", category)]] = 2
    state.status[total] = 2
    published = publish_tables(rows, meta, system, state, settings)
    assert audit(rows, published, meta, settings).passed
    in_b = published["table_id"] == "b"
    published.loc[in_b, "denominator"] = 70
    published.loc[in_b, "denominator_display"] = "70"
    report = audit(rows, published, meta, settings)
    assert any("shown elsewhere" in p for p in report.problems)


def test_percentage_shown_for_a_hidden_count_is_a_problem() -> None:
    rows, meta = one_table("t", {"All": {"A": 3, "B": 50, "C": 60, "Not recorded": 11}})
    settings = DisclosureSettings()
    result = control_disclosure(rows, meta, settings)
    tampered = result.tables.copy()
    hidden = tampered["count_display"] == "[c]"
    tampered.loc[hidden, "pct_of_all_display"] = "2.4"
    report = audit(rows, tampered, meta, settings)
    assert not report.passed
    assert any("pct_of_all" in p for p in report.problems)


def test_small_count_shown_is_a_problem() -> None:
    rows, meta = one_table("t", {"All": {"A": 3, "B": 50, "C": 60, "Not recorded": 11}})
    settings = DisclosureSettings()
    result = control_disclosure(rows, meta, settings)
    tampered = result.tables.copy()
    row = (tampered["category"] == "A") & (tampered["breakdown"] == "All")
    tampered.loc[row, "count"] = 3
    tampered.loc[row, "count_display"] = "3"
    report = audit(rows, tampered, meta, settings)
    assert any("below 5" in p for p in report.problems)


def test_audit_json_lists_every_withheld_figure() -> None:
    rows, meta = one_table("t", two_way({"X": {"A": 2, "B": 40}, "Y": {"A": 30, "B": 30}}))
    result = control_disclosure(rows, meta, DisclosureSettings())
    data = result.audit.to_json()
    assert data["passed"] is True
    assert data["n_withheld"] == len(data["ranges"]) > 0
    assert data["table_sets"]["margin:people"]["min_width"] >= 5
    for entry in data["ranges"]:
        assert entry["width"] is None or entry["width"] >= 5


def test_bogus_hints_cannot_make_a_failing_audit_pass() -> None:
    rows, meta = one_table("t", {"All": {"A": 3, "B": 50, "C": 60, "Not recorded": 11}})
    settings = DisclosureSettings()
    published = primary_only(rows, meta, settings)
    system = build_linear_system(rows, meta)
    a = system.ref_index[CellRef("t", "All", "A")]
    # 'A' set far from the truth: breaks the row total, so it must be rejected
    bogus = [{a: 100.0}, {a: 0.0}, {q: 0.0 for q in range(system.size)}]
    report = audit_published_tables(rows, published, meta, threshold=5, protection=5, hints=bogus)
    assert not report.passed
    assert report.n_hints_used == 0


def test_exact_and_fast_audits_agree() -> None:
    rows = pd.concat(
        [
            table_rows(
                "s", two_way({"X": {"A": 2, "B": 40, "C": 7}, "Y": {"A": 30, "B": 4, "C": 9}})
            ),
            table_rows("g", {"All": {"X": 49, "Y": 43}}),
        ],
        ignore_index=True,
    )
    meta = {t: metadata_for(t, margin_key="people") for t in ("s", "g")}
    settings = DisclosureSettings()
    result = control_disclosure(rows, meta, settings)
    exact = audit_published_tables(rows, result.tables, meta, threshold=5, protection=5, exact=True)
    fast = audit_published_tables(rows, result.tables, meta, threshold=5, protection=5)
    assert exact.passed and fast.passed
    assert exact.n_programmes >= 2 * len(exact.ranges) - sum(
        math.isinf(r.upper) for r in exact.ranges
    )
    by_cells = {tuple(r.refs): r for r in exact.ranges}
    for r in fast.ranges:
        wide = by_cells[tuple(r.refs)]
        assert wide.lower <= r.lower + 1e-6 and r.upper <= wide.upper + 1e-6


def test_multi_response_table_uses_the_covering_relation() -> None:
    # 14 victims: 5 with neither marker, so the markers together cover at least 9 of them
    rows, meta = one_table(
        "markers",
        {"All": {"Looked after": 3, "Missing": 6, "Not recorded": 5}},
        denominators={"All": 14},
        is_additive=False,
    )
    settings = DisclosureSettings(protection_interval=8)
    report = audit(rows, primary_only(rows, meta, settings), meta, settings)
    (narrow,) = report.narrow
    assert narrow.refs == [CellRef("markers", "All", "Looked after")]
    assert (narrow.lower, narrow.upper) == (3.0, 9.0)
    assert control_disclosure(rows, meta, settings).audit.passed


def test_statistic_about_too_few_people_is_a_problem() -> None:
    from gbo.disclosure.audit import AuditReport, check_statistics

    stats = pd.DataFrame(
        [
            {
                "table_id": "t",
                "breakdown": "All",
                "statistic": "median_age",
                "value": 30.0,
                "n": 3,
                "value_display": "30",
            },
            {
                "table_id": "t",
                "breakdown": "X",
                "statistic": "median_age",
                "value": None,
                "n": None,
                "value_display": "[c]",
            },
            {
                "table_id": "t",
                "breakdown": "Y",
                "statistic": "median_age",
                "value": 41.0,
                "n": 25,
                "value_display": "41",
            },
        ]
    )
    meta = {"t": metadata_for("t", margin_key="people")}
    report = AuditReport(protection=5, threshold=5, rounding_base=1, integer=False)
    check_statistics(stats, meta, 5, report)
    assert len(report.problems) == 1 and "fewer than 5" in report.problems[0]
    # a table of documents is controlled all the same (a document can be about one child)
    lessons = {"t": metadata_for("t", margin_key=None, personal=False)}
    documents = AuditReport(protection=5, threshold=5, rounding_base=1, integer=False)
    check_statistics(stats, lessons, 5, documents)
    assert not documents.passed
