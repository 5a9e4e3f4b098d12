"""Figures of a page (the data quality page, the linkage facts) as tidy tables.

A page that is not one of the profile's tables still publishes counts. :class:`PageTables`
collects them as rows of the tidy format with each table's metadata, so that
:func:`~gbo.disclosure.control.control_disclosure` withholds, completes and audits them
like any table; :meth:`PageTables.relate` declares what a reader knows beyond each table on
its own (see ``relations`` in :mod:`gbo.disclosure.declared`).
"""

from __future__ import annotations

from typing import Any

ALL = "All"
Row = dict[str, Any]
Term = tuple[str, str, str | None, int]


class PageTables:
    """Tidy rows and metadata of a page's tables, built one figure at a time."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.metadata: dict[str, dict[str, Any]] = {}
        self._order: dict[str, int] = {}

    def table(self, table_id: str, *, additive: bool, margin: str | None = None) -> None:
        self.metadata[table_id] = {
            "title": table_id,
            "is_additive": additive,
            "margin_key": margin,
            "unit": "records",
            "notes": [],
        }

    def relate(
        self,
        owner: str,
        terms: list[Term],
        description: str,
        *,
        equals: bool = False,
        rhs: int = 0,
    ) -> None:
        """Declare ``sum(coefficient * figure) <= rhs`` (or ``== rhs``) on the owner table.

        A term names a figure as (table, breakdown, category, coefficient); a category of
        None is the column total. The relation is used only if it holds on the figures.
        """
        declare(self.metadata[owner], terms, description, equals=equals, rhs=rhs)

    def listed(self, table_id: str, breakdown: str, category: str, count: int) -> None:
        """A figure the page lists only because it is not zero (a rule that quarantined
        rows, a code value seen, a band of persons): a reader knows it is at least 1."""
        if count >= 1:
            declare_listed(self.metadata[table_id], table_id, breakdown, category)

    def add(self, table_id: str, breakdown: str, category: str, count: int, total: int) -> None:
        self._order[table_id] = self._order.get(table_id, 0) + 1
        self.rows.append(
            {
                "table_id": table_id,
                "breakdown": breakdown,
                "category": category,
                "category_order": self._order[table_id],
                "count": int(count),
                "denominator": int(total),
                "is_not_recorded": False,
            }
        )


def declare(
    meta: dict[str, Any],
    terms: list[Term],
    description: str,
    *,
    equals: bool = False,
    rhs: int = 0,
) -> None:
    """Add ``sum(coefficient * figure) <= rhs`` (or ``== rhs``) to a table's ``relations``."""
    relation: dict[str, Any] = {"terms": [list(t) for t in terms], "description": description}
    relation["equals" if equals else "at_most"] = int(rhs)
    meta.setdefault("relations", []).append(relation)


def declare_listed(
    meta: dict[str, Any], table_id: str, breakdown: str, category: str | None
) -> None:
    """Declare that a figure a table lists only because it is not zero is at least 1 (a
    category of None names the breakdown's total: a breakdown listed only when seen)."""
    declare(
        meta,
        [(table_id, breakdown, category, -1)],
        f"'{category or breakdown}' of {table_id} is listed, so it is at least 1",
        rhs=-1,
    )
