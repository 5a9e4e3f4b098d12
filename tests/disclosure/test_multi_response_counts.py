"""A multi-response table beside a table of the same people by how many categories they
have.

Victims with each marker: A 25, B 22, C 3 (withheld), none 10, of 50. Victims by number of
markers: 30 with one, 10 with two, none with three or more, 10 with none. The markers then
number exactly 30 + 2 x 10 = 50, so C = 50 - 25 - 22 = 3: without the relation, disclosure
control saw C anywhere from 0 to 40 (a count is at most the people with any marker) and
withheld nothing more. The banded table now declares which table's categories it counts.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.linear_system import build_linear_system
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.attacker import attack_tables, solve
from tests.disclosure.attacker_multi import add_multi_response
from tests.disclosure.factories import ALL, NOT_RECORDED
from tests.disclosure.tables import table_rows

MARKERS = {ALL: {"A": 25, "B": 22, "C": 3, NOT_RECORDED: 10}}
COUNTS = {ALL: {"1": 30, "2": 10, "3 or more": 0, NOT_RECORDED: 10}}
# pairs: 8 with A and B, 1 with A and C, 1 with B and C (the 10 with two markers)
PAIRS = {
    "A": {"A": 25, "B": 8, "C": 1},
    "B": {"A": 8, "B": 22, "C": 1},
    "C": {"A": 1, "B": 1, "C": 3},
}
TITLES = {
    "victims_markers": "Victims with each marker",
    "victims_markers_count": "Victims by number of markers",
}


def _tables(declared: bool, pairs: bool = False) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    frames = [
        table_rows("victims_markers", MARKERS, denominators={ALL: 50}),
        table_rows("victims_markers_count", COUNTS),
    ]
    if pairs:
        frames.append(
            table_rows("victims_markers_pairs", PAIRS, denominators={m: PAIRS[m][m] for m in PAIRS})
        )
    rows = pd.concat(frames, ignore_index=True)
    base = {"unit": "people", "margin_key": "victims", "notes": []}
    meta: dict[str, dict[str, Any]] = {
        "victims_markers": {**base, "title": TITLES["victims_markers"], "is_additive": False},
        "victims_markers_count": {
            **base,
            "title": TITLES["victims_markers_count"],
            "is_additive": True,
            **({"counts_categories_of": "victims_markers"} if declared else {}),
        },
    }
    if pairs:
        meta["victims_markers_pairs"] = {
            **base,
            "margin_key": "victims_with_marker",
            "population_subset_of": "victims",
            "title": "Co-occurrence of markers",
            "is_additive": False,
            **({"pairs_of": "victims_markers"} if declared else {}),
        }
    return rows, meta


def _reader(published: pd.DataFrame, threshold: int) -> list[Any]:
    tables = {
        str(t): f.astype(str).replace({"<NA>": ""})
        for t, f in published.groupby("table_id", sort=False)
    }
    additive = {"victims_markers": False, "victims_markers_count": True}
    additive["victims_markers_pairs"] = False
    attack = attack_tables(tables, {t: "Victims" for t in tables}, {}, additive, threshold)
    add_multi_response(attack, tables, additive, TITLES)
    narrow, withheld = solve(attack, threshold)
    assert withheld > 0
    return narrow


def test_undeclared_the_count_table_gives_the_category_away() -> None:
    rows, meta = _tables(declared=False)
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5))
    narrow = _reader(result.tables, 5)
    assert [(f.cell[-1], f.low, f.high) for f in narrow] == [("C", 3, 3)]


@pytest.mark.parametrize("threshold", [5, 10])
def test_declared_nothing_is_given_away(threshold: int) -> None:
    rows, meta = _tables(declared=True)
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=threshold))
    assert result.audit.passed
    narrow = _reader(result.tables, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


def test_the_pairs_bounds_are_declared_and_hold() -> None:
    # 30 with one marker, 10 with two: exactly 20 pairs off the diagonal of the pairs table
    rows, meta = _tables(declared=True, pairs=True)
    system = build_linear_system(rows, meta)
    used = [c.description for c in system.constraints]
    assert sum("off the diagonal of victims_markers_pairs" in d for d in used) == 2


@pytest.mark.parametrize("threshold", [5, 10])
def test_declared_pairs_give_nothing_away(threshold: int) -> None:
    rows, meta = _tables(declared=True, pairs=True)
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=threshold))
    assert result.audit.passed
    narrow = _reader(result.tables, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
