"""Quotations from case reviews cite their review: the number of reviews cited for a theme
is a lower bound on its count, so a theme whose count is withheld anywhere gets none."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gbo.publish.displayed_tables import PublishedTable, TableMeta
from gbo.publish.report import _excerpts
from gbo.runfolder import StageResult


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


def test_linkage_facts_withhold_small_counts_not_scores() -> None:
    from gbo.publish.html_tables import flatten_items
    from gbo.publish.report import _controlled_items

    facts = {
        "n_persons_conflicting_dob": 3,
        "cluster_precision_vs_ground_truth": 1,
        "persons_by_n_records": {"1": 2127, "6": 1},
    }
    shown = dict(_controlled_items(flatten_items(facts), 5))
    assert shown["Number of persons conflicting dob"] == "fewer than 5"
    assert shown["Persons by n records: 6"] == "fewer than 5"
    assert shown["Persons by n records: 1"] == "2,127"
    assert shown["Cluster precision vs ground truth"] == "1"


def test_report_completeness_is_the_controlled_copy(published: tuple[Path, StageResult]) -> None:
    folder, _ = published
    page = (folder / "report" / "index.html").read_text(encoding="utf-8")
    block = page[page.index('id="data-quality-heading"') :]
    block = block[: block.index('id="linkage-quality-heading"')]
    assert "1,482" in block  # a shown figure
    assert "1,496" not in block and "99.8%" not in block  # withheld on the quality page
    assert "[c]" in block
