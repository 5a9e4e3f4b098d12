"""One small publication per relation family that would leak a withheld cell without it.

Each test builds tables where a reader using the relation recovers a withheld count, shows
that control without the declaration lets it through (the audit that knows the relation
fails on that release), and that control with the declaration protects it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbo.disclosure.audit import audit_published_tables
from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.text_figures import figure_in_text
from tests.disclosure.factories import ALL, NOT_RECORDED
from tests.disclosure.tables import cell, one_table, two_way

SETTINGS = DisclosureSettings()


def _tables(
    *parts: tuple[pd.DataFrame, dict[str, dict[str, Any]]],
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    rows = pd.concat([p[0] for p in parts], ignore_index=True)
    meta: dict[str, dict[str, Any]] = {}
    for _, m in parts:
        meta.update(m)
    return rows, meta


def _without(meta: dict[str, dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {t: {k: v for k, v in m.items() if k != key} for t, m in meta.items()}


def _leaks_without_and_holds_with(
    rows: pd.DataFrame, declared: dict[str, dict[str, Any]], key: str
) -> pd.DataFrame:
    leaky = control_disclosure(rows, _without(declared, key), SETTINGS)
    assert leaky.audit.passed  # blind to the relation, it thinks the release is safe
    seen = audit_published_tables(rows, leaky.tables, declared, threshold=5, protection=5)
    assert not seen.passed and seen.narrow, "the relation should give a withheld cell away"
    safe = control_disclosure(rows, declared, SETTINGS)
    assert safe.audit.passed
    again = audit_published_tables(rows, safe.tables, declared, threshold=5, protection=5)
    assert again.passed
    return safe.tables


def test_hierarchy_ethnicity_19_nests_in_5_groups() -> None:
    detailed = {
        ALL: {
            "Indian": 10,
            "Pakistani": 30,
            "Arab": 3,
            "Any other ethnic group": 40,
            NOT_RECORDED: 20,
        }
    }
    coarse = {
        ALL: {"Asian, Asian British or Asian Welsh": 40, "Other ethnic group": 43, NOT_RECORDED: 20}
    }
    rows, meta = _tables(
        one_table("eth19", detailed, classification="ethnicity_19"),
        one_table("eth5", coarse, classification="ethnicity_5"),
    )
    published = _leaks_without_and_holds_with(rows, meta, "classification")
    assert cell(published, "eth19", ALL, "Arab")["count_display"] == "[c]"


def test_one_population_under_two_labels() -> None:
    identified = {ALL: {"Identification recorded": 40, NOT_RECORDED: 3}}
    contacts = {ALL: {"None before": 18, "One or more": 22}}
    rows, meta = _tables(
        one_table("identification", identified, margin_key="victims"),
        one_table(
            "contacts",
            contacts,
            margin_key="identified_victims",
            population_is={"table": "identification", "category": "Identification recorded"},
        ),
    )
    published = _leaks_without_and_holds_with(rows, meta, "population_is")
    assert cell(published, "identification", ALL, NOT_RECORDED)["count_display"] == "[c]"


def test_a_row_of_zeros_beside_withheld_cells_is_withheld() -> None:
    by_year = two_way(
        {
            "In a group": {"2022": 15, "2023": 20, "2024": 0},
            "Alone": {"2022": 25, "2023": 30, "2024": 2},
        }
    )
    rows, meta = one_table("offenders_by_year", by_year)
    result = control_disclosure(rows, meta, SETTINGS)
    assert result.audit.passed
    # shown, the zero would say every offender of 2024 offended alone
    assert cell(result.tables, "offenders_by_year", "In a group", "2024")["count_display"] == "[c]"
    assert cell(result.tables, "offenders_by_year", "Alone", "2024")["count_display"] == "[c]"


def test_share_recorded_is_withheld_when_it_gives_a_count_back() -> None:
    cells = {ALL: {"Female": 705, "Male": 166, NOT_RECORDED: 1}}
    rows, meta = one_table("victims_sex", cells, completeness=871 / 872)
    result = control_disclosure(rows, meta, SETTINGS)
    assert cell(result.tables, "victims_sex", ALL, NOT_RECORDED)["count_display"] == "[c]"
    assert result.metadata["victims_sex"]["completeness"] is None
    shown = {ALL: {"Female": 700, "Male": 160, NOT_RECORDED: 12}}
    rows, meta = one_table("victims_sex", shown, completeness=860 / 872)
    kept = control_disclosure(rows, meta, SETTINGS)
    assert kept.metadata["victims_sex"]["completeness"] == 860 / 872


def test_counts_and_dates_in_text_are_controlled() -> None:
    text = (
        f"{figure_in_text('a', 3)} offenders disagree; {figure_in_text('b', 12)} agree; "
        f"{figure_in_text('c', 0)}. Period: first dates 2012-02-02 to 2024-03-18"
    )
    rows, meta = one_table("t", {ALL: {"X": 40, "Y": 60}}, notes=[text])
    for settings, said in (
        (SETTINGS, "12"),
        (DisclosureSettings(threshold=10, rounding="base5"), "10"),
    ):
        note = control_disclosure(rows, meta, settings).metadata["t"]["notes"][0]
        assert note == (
            f"[c] offenders disagree; {said} agree; 0. "
            "Period: first dates February 2012 to March 2024"
        )
