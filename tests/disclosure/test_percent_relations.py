"""Published percentages and shares recorded are relations the audit solves.

A percentage of those recorded, shown to one decimal place beside a withheld ``Not
recorded`` count, pins that count: 166 of the recorded is 61.5% only if 270 are recorded.
The audit models every such figure as an interval from its rounding, so it sees the leak;
the stage withholds the percentage, and the release it makes passes that audit and the
independent attacker.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbo.disclosure.audit import audit_published_tables
from gbo.disclosure.cells import FAMILY_PERCENT, FAMILY_SHARE_RECORDED
from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.attacker import attack_tables, solve
from tests.disclosure.factories import ALL, NOT_RECORDED
from tests.disclosure.tables import cell, one_table

SEX = {ALL: {"Female": 166, "Male": 104, NOT_RECORDED: 1}}


def _audit(rows: pd.DataFrame, published: pd.DataFrame, meta: Any, **kwargs: Any) -> Any:
    return audit_published_tables(
        rows, published, meta, threshold=5, protection=5, integer=True, **kwargs
    )


def _show(published: pd.DataFrame, category: str, column: str, text: str) -> pd.DataFrame:
    leaky = published.copy()
    where = (leaky["category"] == category) & (leaky["breakdown"] == ALL)
    leaky.loc[where, f"{column}_display"] = text
    return leaky


def test_rounded_percentage_of_recorded_would_give_the_withheld_count_away() -> None:
    rows, meta = one_table("sex", SEX)
    result = control_disclosure(rows, meta, DisclosureSettings())
    published = result.tables
    assert cell(published, "sex", ALL, NOT_RECORDED)["count_display"] == "[c]"
    female = cell(published, "sex", ALL, "Female")
    # the stage withholds the percentage: it would narrow the withheld count
    assert female["pct_of_recorded_display"] == "[c]"
    assert result.audit.passed
    assert result.audit.families[FAMILY_PERCENT] > 0
    # shown as the profile worked it out (61.5), the audit solves it and finds the leak
    leaky = _show(published, "Female", "pct_of_recorded", "61.5")
    if female["count_display"] == "[c]":
        leaky = _show(leaky, "Female", "count", "166")
    report = _audit(rows, leaky, meta)
    assert not report.passed
    pinned = [r for r in report.narrow if any(ref.category == NOT_RECORDED for ref in r.refs)]
    assert pinned and pinned[0].lower == pinned[0].upper == 1


def test_the_controlled_release_resists_a_reader_of_its_percentages() -> None:
    rows, meta = one_table("sex", SEX)
    result = control_disclosure(rows, meta, DisclosureSettings())
    published = {"sex": result.tables.astype(str).replace({"<NA>": ""})}
    attack = attack_tables(published, {"sex": "People"}, {}, {"sex": True}, 5)
    narrow, n_withheld = solve(attack, 5)
    assert n_withheld > 0
    assert narrow == []


def test_share_recorded_is_modelled_and_withheld_where_it_leaks() -> None:
    rows, meta = one_table("sex", SEX, completeness=270 / 271)
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert result.metadata["sex"]["completeness"] is None
    assert result.audit.passed
    # the share as the profile stage wrote it (99.6% of 271 recorded) pins Not recorded
    shown = {"sex": {**result.metadata["sex"], "completeness": 270 / 271}}
    report = _audit(rows, result.tables, meta, published_meta=shown)
    assert report.families[FAMILY_SHARE_RECORDED] == 2
    assert not report.passed


def test_percentage_of_rounded_figures_beside_a_withheld_one_is_outside_the_model() -> None:
    rows, meta = one_table("sex", SEX)
    controls = DisclosureSettings(rounding="base5")
    result = control_disclosure(rows, meta, controls)
    assert result.audit.passed
    leaky = _show(result.tables, NOT_RECORDED, "pct_of_all", "0.4")
    report = audit_published_tables(
        rows, leaky, meta, threshold=5, protection=5, rounding_base=5, integer=True
    )
    assert any("outside the audited model" in p for p in report.problems)
    assert not report.passed


def test_wilson_interval_beside_a_withheld_count_is_outside_the_model() -> None:
    rows, meta = one_table("sex", SEX)
    result = control_disclosure(rows, meta, DisclosureSettings())
    leaky = _show(result.tables, NOT_RECORDED, "ci_upper", "2.1")
    report = _audit(rows, leaky, meta)
    assert any("Wilson interval" in p for p in report.problems)
