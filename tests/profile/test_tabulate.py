"""Tabulation: what a table lists only because someone has it is declared to be at least 1."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.profile import categories as cat
from gbo.profile.tabulate import tabulate_rows
from gbo.profile.tidy import ALL, TidyTable
from gbo.schema.codes import NOT_RECORDED

STATUSES = ("Group-based", "Lone offending")
UNITS = st.lists(
    st.tuples(
        st.sampled_from([*STATUSES, None]),  # a unit without a status lists "Not recorded"
        st.one_of(st.none(), st.integers(2010, 2016)),
    ),
    min_size=1,
    max_size=40,
)


def _table(units: list[tuple[str | None, int | None]]) -> TidyTable:
    con = duckdb.connect()
    con.execute("CREATE TABLE people (status VARCHAR, year INTEGER)")
    con.executemany("INSERT INTO people VALUES (?, ?)", units)
    return tabulate_rows(
        con,
        "by_year",
        source="people",
        breakdown_sql="status",
        value_sql="year",
        categories=cat.YEARS,
        breakdowns=STATUSES,
    )


@settings(deadline=None, max_examples=60)
@given(UNITS)
def test_what_is_listed_because_seen_is_declared_at_least_one(
    units: list[tuple[str | None, int | None]],
) -> None:
    table = _table(units)
    years = {str(y) for _, y in units if y is not None}
    seen_breakdowns = {NOT_RECORDED} if any(s is None for s, _ in units) else set()
    assert set(table.listed) == {(ALL, y) for y in years} | {(b, None) for b in seen_breakdowns}
    for breakdown, category in table.listed:
        shown = (
            table.denominators[breakdown] if category is None else table.count(breakdown, category)
        )
        assert shown >= 1
    relations = table.listed_relations()
    assert len(relations) == len(table.listed)
    for relation, (breakdown, category) in zip(relations, table.listed, strict=True):
        assert relation["terms"] == [["by_year", breakdown, category, -1]]
        assert relation["at_most"] == -1


def test_declared_breakdowns_and_code_list_categories_say_nothing() -> None:
    # both statuses are declared, so listed even when empty; sex comes from its code list
    con = duckdb.connect()
    con.execute("CREATE TABLE people AS SELECT 'Group-based' AS status, 'F' AS sex")
    table = tabulate_rows(
        con,
        "by_sex",
        source="people",
        breakdown_sql="status",
        value_sql="sex",
        categories=cat.SEX,
        breakdowns=STATUSES,
    )
    assert "Lone offending" in table.breakdowns
    assert table.listed == []
