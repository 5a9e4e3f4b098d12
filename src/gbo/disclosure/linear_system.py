"""The linear relations an intruder can use against a set of published tables.

Every count and every column total (``denominator``) of a table about people is a
*quantity*. Figures that must be the same number wherever they appear are one quantity:
the totals of tables that share a ``margin_key`` and a breakdown, a category count that is
the population of another table's breakdown, and a cross-tabulated cell published in two
orientations. The relations are linear:

* in an additive table, the categories of each breakdown add to its total;
* breakdowns other than ``All`` add to ``All``, cell by cell and total by total (declared by
  ``is_additive``, or found to hold exactly in a non-additive table);
* in a non-additive table (people may fall in several categories) no count exceeds its total.

Figures are joined by label and value across margin groups too (see
:func:`_unify_shared_figures`), since a labelled group of people is recognisable wherever
it is published, and wherever a table declares a figure the same as another table's
(``same_figures``: the journeys tables' two populations, gbo.profile.journey_relations).

Relations are only ever added when they hold on the true figures, so the system is always
feasible at the truth; an extra relation can only make suppression more cautious.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.cells import (
    FAMILY_MARGINS,
    FAMILY_MULTI_RESPONSE,
    CellRef,
    Constraint,
    margin_group,
)
from gbo.disclosure.declared import declared_constraints
from gbo.errors import DisclosureError

ALL = "All"

TIER_CELL = 0
TIER_ALL_CELL = 1
TIER_TOTAL = 2
TIER_GRAND_TOTAL = 3


@dataclass
class LinearSystem:
    """Quantities, their true values and the relations between them."""

    values: np.ndarray
    refs: list[list[CellRef]]
    ref_index: dict[CellRef, int]
    tiers: np.ndarray
    table_sets: list[str]
    constraints: list[Constraint]
    by_quantity: list[list[int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.values)

    def describe(self, quantity: int) -> str:
        return self.refs[quantity][0].describe()

    def add_constraint(self, constraint: Constraint) -> None:
        """Add one more relation (e.g. a published percentage) to the system."""
        merged = _merge_members(constraint)
        if merged is None:
            return
        index = len(self.constraints)
        self.constraints.append(merged)
        for q in merged.members:
            self.by_quantity[q].append(index)

    def families(self) -> dict[str, int]:
        """How many relations of each family the system holds."""
        out: dict[str, int] = {}
        for constraint in self.constraints:
            out[constraint.family] = out.get(constraint.family, 0) + 1
        return out


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _check_counts(rows: pd.DataFrame) -> None:
    for column in ("count", "denominator"):
        values = rows[column]
        bad = values.isna() | (pd.to_numeric(values, errors="coerce") < 0)
        if bad.any():
            first = rows.loc[bad].iloc[0]
            raise DisclosureError(
                f"column {column!r} has a missing or negative value in table "
                f"{first['table_id']!r} (breakdown {first['breakdown']!r})",
                hint="the profile stage must give whole, non-negative counts",
                path="tables.parquet",
            )


def build_linear_system(
    rows: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]]
) -> LinearSystem:
    """The quantities and relations of every table about people in ``rows``."""
    _check_counts(rows)
    refs: list[CellRef] = []
    values: list[int] = []
    index: dict[CellRef, int] = {}
    warnings: list[str] = []

    def add(ref: CellRef, value: int) -> int:
        if ref in index:
            if values[index[ref]] != value:
                raise DisclosureError(
                    f"{ref.describe()} appears twice with different values",
                    hint="each table x breakdown x category must be one row, and every row of "
                    "a breakdown must carry the same denominator",
                    path="tables.parquet",
                )
            return index[ref]
        index[ref] = len(refs)
        refs.append(ref)
        values.append(value)
        return index[ref]

    tables = {str(t): frame for t, frame in rows.groupby("table_id", sort=False)}
    for table_id, frame in tables.items():
        for b, c, n, d in zip(
            frame["breakdown"], frame["category"], frame["count"], frame["denominator"], strict=True
        ):
            add(CellRef(table_id, str(b), str(c)), int(n))
            add(CellRef(table_id, str(b), None), int(d))

    uf = _UnionFind(len(refs))
    _unify_shared_figures(refs, values, tables, metadata, uf)
    _unify_declared_figures(index, values, metadata, uf, warnings)
    roots = [uf.find(i) for i in range(len(refs))]
    root_to_q: dict[int, int] = {}
    for root in roots:
        root_to_q.setdefault(root, len(root_to_q))
    q_of_ref = [root_to_q[r] for r in roots]
    n_q = len(root_to_q)
    q_values = np.zeros(n_q, dtype=np.int64)
    q_refs: list[list[CellRef]] = [[] for _ in range(n_q)]
    tiers = np.zeros(n_q, dtype=np.int8)
    q_sets = [""] * n_q
    for i, ref in enumerate(refs):
        q = q_of_ref[i]
        q_values[q] = values[i]
        q_refs[q].append(ref)
        tiers[q] = max(int(tiers[q]), _tier(ref))
        q_sets[q] = margin_group(ref.table_id, metadata.get(ref.table_id))
    ref_q = {ref: q_of_ref[i] for ref, i in index.items()}

    constraints: list[Constraint] = []
    for table_id, frame in tables.items():
        meta = metadata.get(table_id) or {}
        constraints += _table_constraints(table_id, frame, meta, ref_q, q_values, warnings)

    constraints += declared_constraints(tables, metadata, ref_q, q_values, warnings)
    system = LinearSystem(q_values, q_refs, ref_q, tiers, q_sets, [], warnings=warnings)
    for constraint in constraints:
        merged = _merge_members(constraint)
        if merged is not None:
            system.constraints.append(merged)
    system.by_quantity = [[] for _ in range(n_q)]
    for ci, constraint in enumerate(system.constraints):
        for q in constraint.members:
            system.by_quantity[q].append(ci)
    return system


def _tier(ref: CellRef) -> int:
    if ref.category is None:
        return TIER_GRAND_TOTAL if ref.breakdown == ALL else TIER_TOTAL
    return TIER_ALL_CELL if ref.breakdown == ALL else TIER_CELL


def _unify_shared_figures(
    refs: list[CellRef],
    values: list[int],
    tables: Mapping[str, pd.DataFrame],
    metadata: Mapping[str, Mapping[str, Any]],
    uf: _UnionFind,
) -> None:
    """Join figures that are the same people seen from two tables.

    A grand total is the population of its margin group. Any other figure is a labelled
    group of people ("In a group", "Looked-after child"), and a reader would take two
    figures with the same label and the same value in tables of the same population to be
    the same people; across populations, only where a table declares its population part
    of another (``population_subset_of``: victims with a marker are victims), a category
    counted among the larger population that is the population of a breakdown of the
    smaller one.
    """
    not_recorded = {
        (str(t), str(c))
        for t, frame in tables.items()
        for c in frame.loc[frame["is_not_recorded"].astype(bool), "category"]
    }
    seen: dict[tuple[Any, ...], list[tuple[str, str, str | None, int]]] = {}
    for i, ref in enumerate(refs):
        group = margin_group(ref.table_id, metadata.get(ref.table_id))
        key: tuple[Any, ...] | None = None
        kind = "total"
        if ref.category is None:
            if ref.breakdown == ALL:
                key = ("everyone", group, values[i])
            else:
                key = ("population", ref.breakdown, values[i])
        elif (ref.table_id, ref.category) not in not_recorded:
            if ref.breakdown == ALL:
                key, kind = ("population", ref.category, values[i]), "cell"
            else:
                key = ("cross", group, frozenset((ref.breakdown, ref.category)), values[i])
        if key is None:
            continue
        parent = (metadata.get(ref.table_id) or {}).get("population_subset_of")
        parent_group = f"margin:{parent}" if parent else None
        earlier = seen.setdefault(key, [])
        for other_group, other_kind, other_parent, j in earlier:
            # the same population: any figure of the same label and value. Across
            # populations only where one is declared part of the other, and a labelled
            # group counted in the larger one (an All cell) is the population of a breakdown
            # of the smaller one: "Group-based" offences and "Group-based" identified victims
            # are different people, whatever their values
            nested = (kind == "total" and other_kind == "cell" and parent_group == other_group) or (
                kind == "cell" and other_kind == "total" and other_parent == group
            )
            if other_group == group or nested:
                uf.union(j, i)
        earlier.append((group, kind, parent_group, i))


def _unify_declared_figures(
    index: Mapping[CellRef, int],
    values: list[int],
    metadata: Mapping[str, Mapping[str, Any]],
    uf: _UnionFind,
    warnings: list[str],
) -> None:
    """Join the figures a table declares the same as another table's (``same_figures``:
    ``[breakdown, category, other table, other breakdown, other category]``, a category of
    None for the breakdown's total), where both are published and agree on the truth."""
    for table_id, meta in metadata.items():
        for entry in meta.get("same_figures") or []:
            breakdown, category, other, other_breakdown, other_category = entry
            a = CellRef(str(table_id), str(breakdown), None if category is None else str(category))
            b = CellRef(
                str(other),
                str(other_breakdown),
                None if other_category is None else str(other_category),
            )
            if a not in index or b not in index:
                continue
            if values[index[a]] == values[index[b]]:
                uf.union(index[a], index[b])
            else:
                warnings.append(
                    f"declared the same figure but not equal, not used: {a.describe()} and "
                    f"{b.describe()}"
                )


def _table_constraints(
    table_id: str,
    frame: pd.DataFrame,
    meta: Mapping[str, Any],
    ref_q: Mapping[CellRef, int],
    q_values: np.ndarray,
    warnings: list[str],
) -> list[Constraint]:
    is_additive = bool(meta.get("is_additive", False))
    breakdowns = list(dict.fromkeys(str(b) for b in frame["breakdown"]))
    categories = list(dict.fromkeys(str(c) for c in frame["category"]))
    cells: dict[str, list[str]] = defaultdict(list)
    for b, c in zip(frame["breakdown"], frame["category"], strict=True):
        cells[str(b)].append(str(c))
    out: list[Constraint] = []

    def holds(members: Iterable[int], coefficients: Iterable[int]) -> bool:
        return (
            int(sum(int(q_values[m]) * k for m, k in zip(members, coefficients, strict=True))) == 0
        )

    if is_additive:
        for b in breakdowns:
            members = [ref_q[CellRef(table_id, b, c)] for c in cells[b]]
            members.append(ref_q[CellRef(table_id, b, None)])
            coefficients = [1] * (len(members) - 1) + [-1]
            if holds(members, coefficients):
                out.append(
                    Constraint(
                        members, coefficients, f"categories of '{b}' add to its total in {table_id}"
                    )
                )
            else:
                warnings.append(
                    f"table {table_id!r} is declared additive but the categories of breakdown "
                    f"{b!r} do not add to its denominator; that relation is not used"
                )
    else:
        none_of_them = set(
            str(c) for c in frame.loc[frame["is_not_recorded"].astype(bool), "category"]
        )
        for b in breakdowns:
            out += _multi_response_constraints(table_id, b, cells[b], none_of_them, ref_q, q_values)
    parts = [b for b in breakdowns if b != ALL]
    if ALL in breakdowns and parts:
        candidates: list[Constraint] = []
        members = [ref_q[CellRef(table_id, b, None)] for b in parts] + [
            ref_q[CellRef(table_id, ALL, None)]
        ]
        candidates.append(
            Constraint(
                members,
                [1] * len(parts) + [-1],
                f"breakdown totals add to All in {table_id}",
                family=FAMILY_MARGINS,
            )
        )
        for c in categories:
            present = [b for b in parts if CellRef(table_id, b, c) in ref_q]
            if CellRef(table_id, ALL, c) not in ref_q:
                continue
            members = [ref_q[CellRef(table_id, b, c)] for b in present]
            members.append(ref_q[CellRef(table_id, ALL, c)])
            candidates.append(
                Constraint(
                    members,
                    [1] * len(present) + [-1],
                    f"breakdowns of '{c}' add to All in {table_id}",
                    family=FAMILY_MARGINS,
                )
            )
        if all(holds(k.members, k.coefficients) for k in candidates):
            out += candidates
        elif is_additive:
            warnings.append(
                f"table {table_id!r} is declared additive but its breakdowns do not add to "
                "All; those relations are not used"
            )
    return out


def _multi_response_constraints(
    table_id: str,
    breakdown: str,
    categories: list[str],
    none_of_them: set[str],
    ref_q: Mapping[CellRef, int],
    q_values: np.ndarray,
) -> list[Constraint]:
    """Inequalities of one column of a multi-response table (true ones only).

    Every count is at most the column total; where the table has a row of people with none
    of the categories (``Not recorded``), each category is at most the total less that row,
    and the categories together count at least everyone else.
    """
    total = ref_q[CellRef(table_id, breakdown, None)]
    none = [ref_q[CellRef(table_id, breakdown, c)] for c in categories if c in none_of_them]
    some = [
        (c, ref_q[CellRef(table_id, breakdown, c)]) for c in categories if c not in none_of_them
    ]
    out: list[Constraint] = []

    def add(members: list[int], coefficients: list[int], description: str) -> None:
        value = sum(int(q_values[m]) * k for m, k in zip(members, coefficients, strict=True))
        if value <= 0:
            out.append(
                Constraint(
                    members,
                    coefficients,
                    description,
                    is_equality=False,
                    family=FAMILY_MULTI_RESPONSE,
                )
            )

    for c, q in some:
        add(
            [q, *none, total],
            [1] + [1] * len(none) + [-1],
            f"'{c}' cannot exceed the total of '{breakdown}' in {table_id}",
        )
    for q in none:
        add([q, total], [1, -1], f"'Not recorded' cannot exceed the total of '{breakdown}'")
    if none and some:
        add(
            [total] + [q for _, q in some] + none,
            [1] + [-1] * (len(some) + len(none)),
            f"everyone in '{breakdown}' of {table_id} is in a category or none",
        )
    return out


def _merge_members(constraint: Constraint) -> Constraint | None:
    """Combine repeated quantities (after unification) and drop empty relations."""
    merged: dict[int, int] = {}
    for m, k in zip(constraint.members, constraint.coefficients, strict=True):
        merged[m] = merged.get(m, 0) + k
    kept = [(m, k) for m, k in merged.items() if k != 0]
    if not kept:
        return None
    return Constraint(
        [m for m, _ in kept],
        [k for _, k in kept],
        constraint.description,
        constraint.is_equality,
        constraint.family,
        constraint.rhs,
    )
