"""Numbering tables and notes, and naming their files and sheets."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from gbo.publish.displayed_tables import build_tables, prepare_rows
from gbo.publish.plan import file_stem, plan_publication, sheet_name


def _rows(table_ids: list[str]) -> pd.DataFrame:
    return prepare_rows(
        pd.DataFrame(
            {
                "table_id": table_ids,
                "breakdown": "All",
                "category": "a",
                "category_order": 1,
                "count": 10,
                "denominator": 10,
            }
        )
    )


@given(st.text(min_size=1, max_size=60))
def test_file_stems_never_leave_their_folder(table_id: str) -> None:
    stem = file_stem(table_id)
    assert stem and "/" not in stem and "\\" not in stem and ".." not in stem
    assert set(stem) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


@given(st.integers(min_value=1, max_value=999), st.text(min_size=1, max_size=80))
def test_sheet_names_are_short_and_numbered(number: int, table_id: str) -> None:
    name = sheet_name(number, table_id)
    assert len(name) <= 31 and name.startswith(f"T{number}_")


def test_notes_are_numbered_once_in_reading_order() -> None:
    metadata: dict[str, dict[str, Any]] = {
        "a": {"title": "A", "section": "offenders", "notes": ["first", "shared"]},
        "b": {"title": "B", "section": "offenders", "notes": ["shared", "second"]},
        "../odd id": {"title": "Odd", "section": "victims"},
    }
    tables, warnings = build_tables(_rows(["a", "b", "../odd id"]), pd.DataFrame(), metadata)
    assert warnings == []
    plan = plan_publication(tables)
    assert [p.number for p in plan.tables] == [1, 2, 3]
    assert plan.tables[0].notes.title == (1, 2)
    assert plan.tables[1].notes.title == (2, 3)
    assert plan.notes.texts == ["first", "shared", "second"]
    odd = plan.tables[2]
    assert odd.file_stem == "odd_id" and odd.anchor == "table-odd-id"
    assert odd.sheet == "T3_odd_id"


def test_tables_without_metadata_or_rows_are_reported() -> None:
    metadata = {"described": {"title": "Described"}, "empty": {"title": "No rows"}}
    tables, warnings = build_tables(_rows(["described", "undescribed"]), pd.DataFrame(), metadata)
    assert [t.table_id for t in tables] == ["described", "undescribed"]
    assert any("undescribed" in w and "no entry" in w for w in warnings)
    assert any("empty" in w and "no rows" in w for w in warnings)
