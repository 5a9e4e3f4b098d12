"""Tidy CSV files: one per published table, withheld figures empty with their symbol."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def test_every_published_table_has_a_csv(publish_dir: Path) -> None:
    names = sorted(p.stem for p in (publish_dir / "csv").glob("*.csv"))
    assert names == sorted(
        [
            "scale_summary",
            "offenders_sex",
            "offenders_ethnicity",
            "groups_size",
            "victims_age",
            "journeys_contacts_before",
            "journeys_contacts_before_statistics",
            "lessons_themes",
        ]
    )


def test_withheld_figures_are_empty_and_marked(publish_dir: Path) -> None:
    frame = pd.read_csv(publish_dir / "csv" / "offenders_sex.csv", keep_default_na=False)
    assert list(frame.columns[:5]) == [
        "table_id",
        "breakdown",
        "category",
        "category_order",
        "is_not_recorded",
    ]
    hidden = frame[frame["count_display"] == "[c]"]
    assert len(hidden) == 4
    assert (hidden["count"] == "").all() and (hidden["pct_of_all"] == "").all()
    assert "suppression" not in frame.columns  # primary or secondary is never published
    shown = frame[frame["count_display"] != "[c]"]
    assert shown["count"].astype(int).tolist() == [181, 30]


def test_statistics_csv_keeps_its_symbols(publish_dir: Path) -> None:
    frame = pd.read_csv(
        publish_dir / "csv" / "journeys_contacts_before_statistics.csv", keep_default_na=False
    )
    assert frame["value_display"].tolist() == ["412", "[c]"]
    assert [str(v) for v in frame["value"]] == ["412.0", ""]
