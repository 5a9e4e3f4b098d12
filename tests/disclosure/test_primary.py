"""Primary suppression: the threshold, zeros, dominance and structural zeros."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import pytest

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.linear_system import build_linear_system
from gbo.disclosure.primary import apply_primary_rules
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import PRIMARY, PUBLISHED, RULE_DOMINANCE, RULE_THRESHOLD, STRUCTURAL
from gbo.errors import DisclosureError
from tests.disclosure.tables import cell, one_table, two_way


def status_of(
    rows: pd.DataFrame,
    meta: Mapping[str, Mapping[str, Any]],
    settings: DisclosureSettings,
    table_id: str,
    breakdown: str,
    category: str | None,
) -> tuple[int, str | None]:
    system = build_linear_system(rows, meta)
    state = apply_primary_rules(system, rows, meta, settings)
    from gbo.disclosure.cells import CellRef

    q = system.ref_index[CellRef(table_id, breakdown, category)]
    return int(state.status[q]), state.rules.get(q)


@pytest.mark.parametrize("threshold", [5, 10])
def test_counts_below_threshold_are_primary_and_zeros_are_not(threshold: int) -> None:
    rows, meta = one_table(
        "t", {"All": {"A": threshold - 1, "B": threshold, "C": 0, "D": 40, "Not recorded": 7}}
    )
    settings = DisclosureSettings(threshold=threshold)
    assert status_of(rows, meta, settings, "t", "All", "A") == (PRIMARY, RULE_THRESHOLD)
    assert status_of(rows, meta, settings, "t", "All", "B")[0] == PUBLISHED
    assert status_of(rows, meta, settings, "t", "All", "C")[0] == PUBLISHED


def test_small_totals_are_primary() -> None:
    rows, meta = one_table("t", two_way({"X": {"A": 2, "B": 1}, "Y": {"A": 30, "B": 30}}))
    system = build_linear_system(rows, meta)
    state = apply_primary_rules(system, rows, meta, DisclosureSettings())
    from gbo.disclosure.cells import CellRef

    assert int(state.status[system.ref_index[CellRef("t", "X", None)]]) == PRIMARY


def test_all_in_one_category_hides_the_column() -> None:
    parts = {
        "X": {"Yes": 12, "No": 0, "Not recorded": 6},
        "Y": {"Yes": 20, "No": 25, "Not recorded": 0},
    }
    rows, meta = one_table("t", two_way(parts))
    settings = DisclosureSettings()
    assert status_of(rows, meta, settings, "t", "X", "Yes") == (PRIMARY, RULE_DOMINANCE)
    assert status_of(rows, meta, settings, "t", "X", "No") == (PRIMARY, RULE_DOMINANCE)
    # 'Not recorded' is never the attribute disclosed and stays published
    assert status_of(rows, meta, settings, "t", "X", "Not recorded")[0] == PUBLISHED
    assert status_of(rows, meta, settings, "t", "Y", "Yes")[0] == PUBLISHED

    result = control_disclosure(rows, meta, settings)
    assert result.audit.passed
    shown = cell(result.tables, "t", "X", "No")
    assert shown["count_display"] == "[c]"
    # the zero beside a dominant cell must not be derivable either
    narrow = [r for r in result.audit.ranges if r.width < settings.protection]
    assert not narrow
    log = result.log
    assert (log["rule"] == RULE_DOMINANCE).sum() >= 2


def test_everyone_unrecorded_is_not_dominance() -> None:
    rows, meta = one_table("t", {"All": {"Yes": 0, "No": 0, "Not recorded": 40}})
    assert status_of(rows, meta, DisclosureSettings(), "t", "All", "Yes")[0] == PUBLISHED


def test_dominance_share_below_one() -> None:
    rows, meta = one_table("t", {"All": {"Yes": 95, "No": 5, "Not recorded": 0}})
    assert status_of(rows, meta, DisclosureSettings(), "t", "All", "Yes")[0] == PUBLISHED
    loose = DisclosureSettings(dominance_share=0.9)
    assert status_of(rows, meta, loose, "t", "All", "Yes") == (PRIMARY, RULE_DOMINANCE)


def test_exempt_tables_skip_dominance() -> None:
    rows, meta = one_table("sex", {"All": {"Female": 0, "Male": 60, "Not recorded": 9}})
    exempt = DisclosureSettings(dominance_exempt_tables=["sex"])
    assert status_of(rows, meta, exempt, "sex", "All", "Male")[0] == PUBLISHED
    assert status_of(rows, meta, DisclosureSettings(), "sex", "All", "Male")[0] == PRIMARY


def test_marker_held_by_everyone_in_a_multi_response_table() -> None:
    rows, meta = one_table(
        "markers",
        {"All": {"Looked after": 30, "Missing": 12, "Not recorded": 0}},
        denominators={"All": 30},
        is_additive=False,
    )
    settings = DisclosureSettings()
    assert status_of(rows, meta, settings, "markers", "All", "Looked after") == (
        PRIMARY,
        RULE_DOMINANCE,
    )
    assert status_of(rows, meta, settings, "markers", "All", "Missing")[0] == PUBLISHED
    result = control_disclosure(rows, meta, settings)
    assert result.audit.passed
    assert cell(result.tables, "markers", "All", "Looked after")["count_display"] == "[c]"


def test_structural_zeros_show_z() -> None:
    rows, meta = one_table(
        "t",
        {"All": {"A": 20, "Roma": 0, "B": 30, "Not recorded": 6}},
        structural_zeros=[["All", "Roma"]],
    )
    settings = DisclosureSettings()
    assert status_of(rows, meta, settings, "t", "All", "Roma") == (STRUCTURAL, "structural_zero")
    result = control_disclosure(rows, meta, settings)
    row = cell(result.tables, "t", "All", "Roma")
    assert row["count_display"] == "[z]"
    assert row["pct_of_all_display"] == "[z]"
    assert "[z]" in result.metadata["t"]["symbols"]


def test_structural_zero_that_is_not_zero_is_an_error() -> None:
    rows, meta = one_table("t", {"All": {"A": 20, "B": 3}}, structural_zeros=[["All", "B"]])
    with pytest.raises(DisclosureError, match="structural zero"):
        control_disclosure(rows, meta, DisclosureSettings())


@pytest.mark.parametrize("describes_victims", [False, True])
def test_a_row_of_offences_all_in_one_class_is_an_attribute_of_its_victims(
    describes_victims: bool,
) -> None:
    """Offences by area and class: every offence in area 9 was group-based, so a reader who
    knows a child was abused there learns the child was a group-based victim (the profiles
    round of December 2026). Where the table says its classes describe the victims, the
    row's zeros (and its one class) are withheld."""
    parts = {
        "Group-based": {"Area 9": 24, "Area 2": 30, "Area 4": 12},
        "Lone offending": {"Area 9": 0, "Area 2": 20, "Area 4": 15},
        "No offender recorded": {"Area 9": 0, "Area 2": 6, "Area 4": 7},
    }
    rows, meta = one_table("offences_by_area", two_way(parts), unit="offences")
    if describes_victims:
        meta["offences_by_area"]["breakdowns_describe_victims"] = True
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5))
    assert result.audit.passed
    shown = {
        b: cell(result.tables, "offences_by_area", b, "Area 9")["count_display"] for b in parts
    }
    if describes_victims:
        assert set(shown.values()) == {"[c]"}
    else:
        assert shown == {"Group-based": "24", "Lone offending": "0", "No offender recorded": "0"}
