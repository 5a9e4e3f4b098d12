"""Relations that come from what each table declares: classifications and populations.

A table's metadata may declare

* ``classification``: the code list of its categories (``ethnicity_19``, ``ethnicity_5``,
  ``offence_code``, ``offence_group``...). Public code lists nest: the 19 ONS ethnic
  categories make up the 5 groups, Home Office offence codes make up the offence groups,
  local authorities make up police force areas (``codes.LOCAL_AUTHORITY_FORCE``). A
  reader holding a detailed and a coarse table of the same population can subtract one
  from the other, so for every pair of tables in the same margin group whose
  classifications nest, each coarse cell is the sum of the detailed cells it contains, in
  every breakdown they share. Categories outside the code list (``Not recorded``, ``Not
  stated``) are the same figure in both.
* ``population_is``: ``{"table": ..., "categories": [...]}`` (or one ``"category"``),
  naming the categories of another table whose people are this table's population (the
  identified victims are the victims identified at first contact or after earlier
  contacts). Each breakdown total of this table is then the sum of those categories' cells
  in the same breakdown.
* ``counts_categories_of``: the id of a multi-response table whose categories this banded
  table counts per person (:mod:`gbo.disclosure.counts_of`).
* ``relations``: explicit linear relations between figures of any tables, for what a reader
  knows that no table structure says (on the data quality page: the rows quarantined under
  one rule are at most its problems, and the rules of a file together cover every row it
  quarantined). Each is ``{"terms": [[table, breakdown, category, coefficient], ...],
  "at_most": rhs}`` (or ``"equals": rhs``) with a ``description``; a category of ``None``
  names the column total.

The hierarchies themselves are the shipped code lists of :mod:`gbo.schema.codes`, never a
match of labels found in the data. A relation is kept only when it holds on the true
figures, so a mistaken declaration can make suppression more cautious, never mislead it;
it is reported as a warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.cells import (
    FAMILY_DECLARED,
    FAMILY_HIERARCHY,
    FAMILY_POPULATION,
    CellRef,
    Constraint,
    margin_group,
)
from gbo.disclosure.counts_of import counts_of_constraints
from gbo.errors import DisclosureError
from gbo.schema import codes

NOT_HOLDING = "declared relation does not hold and is not used: "


@cache
def _ethnicity() -> dict[str, str]:
    return {label: codes.ONS_GROUPS[group] for label, group in codes.ONS_19.values()}


@cache
def _offences() -> dict[str, str]:
    return {
        f"{code} {label}": codes.HO_OFFENCE_GROUPS[code]
        for code, label in codes.HO_OFFENCES.items()
    }


@cache
def _forces() -> dict[str, str]:
    return {
        codes.LOCAL_AUTHORITIES[la]: codes.POLICE_FORCES[force]
        for la, force in codes.LOCAL_AUTHORITY_FORCE.items()
    }


# detailed classification -> (the coarser classification, detailed label -> coarse label)
HIERARCHIES: dict[str, tuple[str, Callable[[], dict[str, str]]]] = {
    "ethnicity_19": ("ethnicity_5", _ethnicity),
    "offence_code": ("offence_group", _offences),
    "local_authority": ("police_force_area", _forces),
}


def declared_constraints(
    tables: Mapping[str, pd.DataFrame],
    metadata: Mapping[str, Mapping[str, Any]],
    ref_q: Mapping[CellRef, int],
    q_values: np.ndarray,
    warnings: list[str],
) -> list[Constraint]:
    """Hierarchy and population relations from the tables' declarations (true ones only)."""
    out: list[Constraint] = []

    def add(
        members: list[int],
        coefficients: list[int],
        description: str,
        family: str = FAMILY_HIERARCHY,
    ) -> None:
        total = sum(int(q_values[m]) * k for m, k in zip(members, coefficients, strict=True))
        if total == 0:
            out.append(Constraint(members, coefficients, description, family=family))
        else:
            warnings.append(NOT_HOLDING + description)

    cells: dict[str, dict[str, list[str]]] = {}
    for table_id, frame in tables.items():
        by_b: dict[str, list[str]] = defaultdict(list)
        for b, c in zip(frame["breakdown"], frame["category"], strict=True):
            by_b[str(b)].append(str(c))
        cells[table_id] = by_b
    by_class: dict[tuple[str, str], list[str]] = defaultdict(list)
    for table_id in tables:
        meta = metadata.get(table_id) or {}
        classification = meta.get("classification")
        if classification:
            by_class[(margin_group(table_id, meta), str(classification))].append(table_id)
    for (margin, detailed), detail_tables in by_class.items():
        if detailed not in HIERARCHIES:
            continue
        coarse_name, mapping_of = HIERARCHIES[detailed]
        mapping = mapping_of()
        for d in detail_tables:
            for g in by_class.get((margin, coarse_name), []):
                for b in set(cells[d]) & set(cells[g]):
                    coarse = cells[g][b]
                    for label in coarse:
                        members = [c for c in cells[d][b] if mapping.get(c, c) == label]
                        if not members:
                            continue
                        qs = [ref_q[CellRef(d, b, c)] for c in members]
                        qs.append(ref_q[CellRef(g, b, label)])
                        add(
                            qs,
                            [1] * len(members) + [-1],
                            f"'{label}' in '{b}' of {g} is the sum of its detailed categories "
                            f"in {d} ({detailed} within {coarse_name})",
                        )
                    add(
                        [ref_q[CellRef(d, b, None)], ref_q[CellRef(g, b, None)]],
                        [1, -1],
                        f"'{b}' counts the same people in {d} and {g}",
                    )
    for table_id in tables:
        meta = metadata.get(table_id) or {}
        source = meta.get("population_is")
        if not isinstance(source, Mapping):
            continue
        other = str(source.get("table"))
        named = source.get("categories")
        categories = [str(c) for c in named] if named else [str(source.get("category"))]
        if other not in cells:
            continue
        for b in cells[table_id]:
            refs = [CellRef(other, b, c) for c in categories]
            if not all(ref in ref_q for ref in refs):
                continue
            add(
                [ref_q[CellRef(table_id, b, None)], *(ref_q[ref] for ref in refs)],
                [1] + [-1] * len(refs),
                f"the population of {table_id} in '{b}' is {' + '.join(categories)} of {other}",
                FAMILY_POPULATION,
            )
    out += counts_of_constraints(tables, metadata, ref_q, q_values, warnings)
    for table_id in tables:
        for relation in (metadata.get(table_id) or {}).get("relations") or []:
            constraint = explicit_relation(relation, ref_q, table_id)
            value = sum(
                int(q_values[m]) * k
                for m, k in zip(constraint.members, constraint.coefficients, strict=True)
            )
            holds = value == constraint.rhs if constraint.is_equality else value <= constraint.rhs
            if holds:
                out.append(constraint)
            else:
                warnings.append(NOT_HOLDING + constraint.description)
    return out


def explicit_relation(
    relation: Mapping[str, Any], ref_q: Mapping[CellRef, int], table_id: str
) -> Constraint:
    """One ``relations`` entry of a table's metadata as a constraint on the quantities."""
    description = str(relation.get("description") or f"a relation declared by {table_id}")
    members: list[int] = []
    coefficients: list[int] = []
    for term in relation.get("terms") or []:
        table, breakdown, category, coefficient = term
        ref = CellRef(str(table), str(breakdown), None if category is None else str(category))
        if ref not in ref_q:
            raise DisclosureError(
                f"the relation '{description}' declared by table {table_id!r} names "
                f"{ref.describe()}, which is not among the tables",
                hint="a declared relation may only name figures of the tables controlled",
            )
        members.append(ref_q[ref])
        coefficients.append(int(coefficient))
    is_equality = "equals" in relation
    if is_equality == ("at_most" in relation) or not members:
        raise DisclosureError(
            f"the relation '{description}' declared by table {table_id!r} needs terms and "
            "exactly one of 'equals' and 'at_most'",
            hint="see the relations entry in gbo.disclosure.declared",
        )
    rhs = int(relation["equals"] if is_equality else relation["at_most"])
    return Constraint(members, coefficients, description, is_equality, FAMILY_DECLARED, rhs)
