"""Only figures the disclosure stage published reach the publication."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.disclosure.symbols import FIGURES, merge_symbols, symbols_used
from gbo.errors import PublishError
from gbo.publish.displayed_tables import prepare_rows, prepare_statistics, split_tables_json

SYMBOLS = ["[c]", "[x]", "[z]", "[u]", "[low]"]

cell = st.tuples(
    st.integers(min_value=0, max_value=10_000),
    st.one_of(st.none(), st.sampled_from(SYMBOLS)),
    st.booleans(),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(cell, min_size=1, max_size=12))
def test_a_figure_shown_as_a_symbol_is_never_published(
    cells: list[tuple[int, str | None, bool]],
) -> None:
    rows = []
    for i, (count, symbol, flagged) in enumerate(cells):
        text = symbol or str(count)
        pct_text = symbol or (f"{count / 100:.1f} [u]" if flagged else f"{count / 100:.1f}")
        rows.append(
            {
                "table_id": "t",
                "breakdown": "All",
                "category": f"c{i}",
                "category_order": i,
                # the numeric column still holds the true count: publishing must not trust it
                "count": count,
                "denominator": 10_000,
                "pct_of_all": count / 100,
                "count_display": text,
                "pct_of_all_display": pct_text,
                "suppression": "primary" if symbol == "[c]" else None,
            }
        )
    out = prepare_rows(pd.DataFrame(rows))
    for (count, symbol, flagged), row in zip(cells, out.to_dict("records"), strict=True):
        if symbol is not None:
            assert pd.isna(row["count"]) and pd.isna(row["pct_of_all"])
            assert row["count_display"] == symbol and row["pct_of_all_display"] == symbol
        else:
            assert row["count"] == count
            assert row["count_display"] == f"{count:,}"
            assert row["pct_of_all_display"].endswith(" [u]") == flagged


def test_figures_without_display_text_are_withheld_on_suppressed_rows() -> None:
    frame = pd.DataFrame(
        {
            "table_id": ["t", "t"],
            "breakdown": ["All", "All"],
            "category": ["a", "Not recorded"],
            "category_order": [1, 2],
            "count": [3, 40],
            "denominator": [43, 43],
            "pct_of_all": [7.0, 93.0],
            "suppression": ["primary", None],
        }
    )
    out = prepare_rows(frame)
    assert out["count_display"].tolist() == ["[c]", "40"]
    assert out["pct_of_all_display"].tolist() == ["[c]", "93.0"]
    assert out["denominator_display"].tolist() == ["43", "43"]
    assert out["pct_of_recorded_display"].tolist() == ["[c]", "[z]"]
    assert out["is_not_recorded"].tolist() == [False, True]
    assert set(FIGURES) <= set(out.columns)


def test_missing_columns_are_reported_by_name() -> None:
    with pytest.raises(PublishError, match="category_order"):
        prepare_rows(
            pd.DataFrame({"table_id": ["t"], "breakdown": ["All"], "category": ["a"], "count": [1]})
        )
    with pytest.raises(PublishError, match="statistic"):
        prepare_statistics(pd.DataFrame({"table_id": ["t"], "breakdown": ["All"], "value": [1.0]}))


def test_tables_json_with_and_without_a_tables_key() -> None:
    flat, symbols = split_tables_json({"a": {"title": "A"}, "symbols": {"c": "hidden"}})
    assert flat == {"a": {"title": "A"}} and symbols == {"c": "hidden"}
    nested, none = split_tables_json({"tables": {"b": {"title": "B"}}})
    assert nested == {"b": {"title": "B"}} and none is None
    legend = merge_symbols([{"symbol": "[c]", "meaning": "withheld"}])
    assert legend["[c]"] == "withheld" and "[z]" in legend
    with pytest.raises(PublishError):
        split_tables_json(["not", "an", "object"])


def test_symbols_are_found_alone_and_after_figures() -> None:
    assert symbols_used(["12", "[c]", "12.5 [u]", "[c]", "[low]"]) == ["[c]", "[u]", "[low]"]


@settings(max_examples=30, deadline=None)
@given(st.lists(cell, min_size=1, max_size=10))
def test_workbook_cells_are_numbers_only_where_published(
    cells: list[tuple[int, str | None, bool]],
) -> None:
    from gbo.publish.layout import Column, workbook_frame

    frame = prepare_rows(
        pd.DataFrame(
            {
                "table_id": "t",
                "breakdown": "All",
                "category": [f"c{i}" for i in range(len(cells))],
                "category_order": range(len(cells)),
                "count": [c for c, _, _ in cells],
                "count_display": [s or str(c) for c, s, _ in cells],
            }
        )
    )
    columns = [Column("category", "Category", is_row_header=True)]
    columns.append(Column("count", "Number of people", is_numeric=True))
    out = workbook_frame(frame, columns)
    for (count, symbol, _), value in zip(cells, out["Number of people"], strict=True):
        if symbol is None:
            assert value == count and isinstance(value, int)
        else:
            assert value == symbol
