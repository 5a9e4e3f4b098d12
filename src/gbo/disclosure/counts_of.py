"""A table of people by how many categories of a multi-response table they have.

In a multi-response table (victims with each vulnerability marker) a person counts under
every category they have, so its categories add up to the number of (person, category)
pairs, not to the people. A second table of the same people by *how many* of those
categories they have ("1", "2", "3 or more", ``Not recorded`` for none) bounds that sum: it
is at least the sum over its bands of each band's lower end times its people, and at most
the same with each band's upper end (an open band ends at the number of categories). Its
``Not recorded`` is the multi-response table's (the people with none), column by column.

A table of pairs of those categories (each breakdown the people with one category, each
row those who also have another; ``pairs_of``: the multi-response table's id) counts a
person with k categories k (k - 1) times off its diagonal, so the same bands bound the sum
of its off-diagonal cells: at least each band's lower end l times l - 1 times its people,
at most its upper end h times h - 1.

A reader holding these tables can use this to bound a withheld category from the others,
so the banded table declares it (``counts_categories_of``: the multi-response table's id)
and each relation is used only where it holds on the true figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.cells import FAMILY_DECLARED, CellRef, Constraint
from gbo.disclosure.quantile_control import band_of

DECLARATION = "counts_categories_of"
PAIRS = "pairs_of"


def counts_of_constraints(
    tables: Mapping[str, pd.DataFrame],
    metadata: Mapping[str, Mapping[str, Any]],
    ref_q: Mapping[CellRef, int],
    q_values: np.ndarray,
    warnings: list[str],
) -> list[Constraint]:
    """The relations of every banded table that declares which table's categories it counts."""
    out: list[Constraint] = []
    for table_id, frame in tables.items():
        other = (metadata.get(table_id) or {}).get(DECLARATION)
        if not other or str(other) not in tables:
            continue
        counted = tables[str(other)]
        none_here = _unrecorded(frame)
        none_there = _unrecorded(counted)
        for b in dict.fromkeys(str(x) for x in frame["breakdown"]):
            there = [str(c) for c in counted.loc[counted["breakdown"].astype(str) == b, "category"]]
            here = [str(c) for c in frame.loc[frame["breakdown"].astype(str) == b, "category"]]
            if not there:
                continue
            categories = [c for c in there if c not in none_there]
            bands = {c: band_of(c) for c in here if c not in none_here}
            if not categories or any(v is None or v[0] < 0 for v in bands.values()):
                continue
            pairs = [ref_q[CellRef(str(other), b, c)] for c in categories]
            people = [ref_q[CellRef(table_id, b, c)] for c in bands]
            lows = [int(v[0]) for v in bands.values() if v is not None]
            highs = [
                len(categories) if math.isinf(v[1]) else min(int(v[1]), len(categories))
                for v in bands.values()
                if v is not None
            ]
            candidates = _between_bands(
                pairs,
                people,
                lows,
                highs,
                f"the categories of '{b}' in {other} count at least the lower ends of "
                f"the bands of {table_id}",
                f"the categories of '{b}' in {other} count at most the upper ends of "
                f"the bands of {table_id}",
            )
            nones_here = [ref_q[CellRef(table_id, b, c)] for c in here if c in none_here]
            nones_there = [ref_q[CellRef(str(other), b, c)] for c in there if c in none_there]
            if nones_here and nones_there:
                candidates.append(
                    Constraint(
                        nones_here + nones_there,
                        [1] * len(nones_here) + [-1] * len(nones_there),
                        f"'{b}' has the same people with none in {table_id} and {other}",
                        family=FAMILY_DECLARED,
                    )
                )
            candidates += _pairs_bounds(
                tables, metadata, ref_q, str(other), table_id, b, bands, len(categories)
            )
            for k in candidates:
                value = int(
                    sum(
                        int(q_values[m]) * c for m, c in zip(k.members, k.coefficients, strict=True)
                    )
                )
                if value == 0 or (not k.is_equality and value <= 0):
                    out.append(k)
                else:
                    warnings.append(
                        f"declared relation does not hold and is not used: {k.description}"
                    )
    return out


def _pairs_bounds(
    tables: Mapping[str, pd.DataFrame],
    metadata: Mapping[str, Mapping[str, Any]],
    ref_q: Mapping[CellRef, int],
    counted: str,
    banded: str,
    breakdown: str,
    bands: Mapping[str, tuple[float, float] | None],
    n_categories: int,
) -> list[Constraint]:
    """Bounds on the off-diagonal cells of each table of pairs of ``counted``'s categories
    (the ``All`` column of the banded table only: the pairs' columns are categories)."""
    if breakdown != "All":
        return []
    out: list[Constraint] = []
    for pairs_id, frame in tables.items():
        if str((metadata.get(pairs_id) or {}).get(PAIRS) or "") != counted:
            continue
        parts = {str(b) for b in frame["breakdown"]} - {"All"}
        off = [
            ref_q[CellRef(pairs_id, str(b), str(c))]
            for b, c in zip(frame["breakdown"], frame["category"], strict=True)
            if str(c) in parts and str(c) != str(b)
        ]
        people = [ref_q[CellRef(banded, breakdown, c)] for c in bands]
        lows = [int(v[0]) * (int(v[0]) - 1) for v in bands.values() if v is not None]
        highs = []
        for v in bands.values():
            if v is not None:
                h = n_categories if math.isinf(v[1]) else min(int(v[1]), n_categories)
                highs.append(h * (h - 1))
        if not off:
            continue
        out += _between_bands(
            off,
            people,
            lows,
            highs,
            f"the pairs off the diagonal of {pairs_id} are at least those the bands of "
            f"{banded} give",
            f"the pairs off the diagonal of {pairs_id} are at most those the bands of "
            f"{banded} give",
        )
    return out


def _between_bands(
    counted: list[int],
    people: list[int],
    lows: list[int],
    highs: list[int],
    at_least: str,
    at_most: str,
) -> list[Constraint]:
    """``sum(lows[i] * people[i]) <= sum(counted) <= sum(highs[i] * people[i])``: the cells
    ``counted`` add up to what the people in each band contribute, between the band's ends."""
    return [
        Constraint(
            people + counted,
            lows + [-1] * len(counted),
            at_least,
            is_equality=False,
            family=FAMILY_DECLARED,
        ),
        Constraint(
            counted + people,
            [1] * len(counted) + [-h for h in highs],
            at_most,
            is_equality=False,
            family=FAMILY_DECLARED,
        ),
    ]


def _unrecorded(frame: pd.DataFrame) -> set[str]:
    return {str(c) for c in frame.loc[frame["is_not_recorded"].astype(bool), "category"]}
