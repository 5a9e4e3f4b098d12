"""docs/data-model.md is the text generated from gbo.schema.tables."""

from __future__ import annotations

from pathlib import Path

from gbo.ingest.data_model_doc import render_data_model
from gbo.schema.tables import CANONICAL_TABLES, PSEUDONYMISED_TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"


def test_checked_in_data_model_matches_the_code() -> None:
    assert DOC.read_text(encoding="utf-8") == render_data_model(), (
        "docs/data-model.md is out of date: run "
        "`python -m gbo.ingest.data_model_doc > docs/data-model.md`"
    )


def test_every_table_and_column_is_documented() -> None:
    text = render_data_model()
    for spec in [*CANONICAL_TABLES.values(), *PSEUDONYMISED_TABLES.values()]:
        assert f"### `{spec.name}`" in text
        for column in spec.columns:
            assert f"| `{column.name}` |" in text
