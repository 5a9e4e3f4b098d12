"""The figures of a release and the relations between them: the building blocks.

A :class:`CellRef` names one published figure; a :class:`Constraint` is one linear relation
between quantities. Both the relations found in the tables (:mod:`.linear_system`) and the
declared ones (:mod:`.declared`) are made of these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class CellRef:
    """One published figure: a count (``category`` set) or a column total (``category`` None)."""

    table_id: str
    breakdown: str
    category: str | None

    @property
    def figure(self) -> str:
        return "denominator" if self.category is None else "count"

    def describe(self) -> str:
        what = f"'{self.category}'" if self.category is not None else "the total"
        return f"{what} in breakdown '{self.breakdown}' of table {self.table_id}"


# the families of relations a reader can use; every relation belongs to one
FAMILY_ADDITIVE = "categories add to their column total"
FAMILY_MARGINS = "breakdowns add to All (cells and totals)"
FAMILY_MULTI_RESPONSE = "multi-response bounds (no count above its total)"
FAMILY_HIERARCHY = "declared hierarchies of public code lists"
FAMILY_POPULATION = "declared population identities"
FAMILY_PERCENT = "published percentages as intervals from their rounding"
FAMILY_SHARE_RECORDED = "published shares recorded as intervals from their rounding"
FAMILY_DECLARED = "declared relations between figures of different tables"


@dataclass
class Constraint:
    """``sum(coefficient * quantity) == rhs`` (equality) or ``<= rhs`` (inequality)."""

    members: list[int]
    coefficients: list[int]
    description: str
    is_equality: bool = True
    family: str = FAMILY_ADDITIVE
    rhs: int = 0


def is_personal(meta: Mapping[str, Any] | None) -> bool:
    """Tables are about people unless their metadata says ``"personal": false``.

    Only the wording of the notes depends on it: a table of documents (case reviews) is
    controlled like any other, since a document can be about one child.
    """
    return not (meta is not None and meta.get("personal") is False)


def margin_group(table_id: str, meta: Mapping[str, Any] | None) -> str:
    key = (meta or {}).get("margin_key")
    return f"margin:{key}" if key else f"table:{table_id}"
