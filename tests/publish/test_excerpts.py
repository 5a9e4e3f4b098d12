"""Quotations from case reviews cite their review: the number of reviews cited for a theme
is a lower bound on its count, so a theme whose count is withheld anywhere gets none."""

from __future__ import annotations

import pandas as pd

from gbo.publish.displayed_tables import PublishedTable, TableMeta
from gbo.publish.report import _excerpts


def _lessons(rows: list[tuple[str, str, str]]) -> PublishedTable:
    frame = pd.DataFrame(rows, columns=["breakdown", "category", "count_display"])
    return PublishedTable(TableMeta("lessons_themes_by_area", "Themes", "lessons"), frame)


def test_a_theme_withheld_in_any_lessons_table_is_not_quoted() -> None:
    tables = [
        _lessons(
            [
                ("Area 1", "Exploitation read as consent", "[c]"),
                ("Area 1", "Information not shared", "12"),
                ("Area 2", "Information not shared", "0"),
            ]
        )
    ]
    excerpts = pd.DataFrame(
        {
            "theme_label": ["Exploitation read as consent", "Information not shared"],
            "document_title": ["Serious case review: Area 1, review 1"] * 2,
            "page": [1, 2],
            "excerpt": ["One quoted sentence.", "Another quoted sentence."],
        }
    )
    shown = _excerpts(excerpts, tables)
    assert shown is not None
    assert [theme for theme, _ in shown] == ["Information not shared"]
    assert _excerpts(excerpts.iloc[:1], tables) is None
