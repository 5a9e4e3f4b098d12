"""Medians and quartiles of a banded table read against its cells.

A table of people by a banded whole number (age bands, group sizes, numbers of contacts)
often comes with the median and quartiles of the same number, over the same people. With
``n`` values sorted and a quantile ``p`` worked out by linear interpolation, its value ``v``
lies between the values at positions floor(h) and ceil(h), h = p (n - 1). So at least
floor(h) + 1 people have a value of ``v`` or less, and at most ceil(h) have less: bounds on
the sum of the bands below and above ``v``. In a column where two bands are withheld and
the rest shown, a quartile can pin both ("18 and over" at most 2, since the lower quartile
of 104 victims' ages is 12).

A mean times ``n`` is the sum of the values. Read beside the quartiles, which fix the order
of the values (every value above the median is at least the median), that sum caps even an
open top band: the fourth red team of stop 61 read "5 years or more" of one year's time to
identification as 0 to 4 at k = 5 from its quartiles and mean, which each alone left wide.
So a column's mean is withheld wherever one of its bands is.

:func:`quantile_risks` solves, for each column with quantiles, the range of every withheld
cell from the column's own relations with and without those bounds; where the bounds narrow
a withheld cell at all, the column's quantiles are withheld: the check sees one
column, and a narrowing that leaves a cell wide there can pin it once the table's other
columns are added. Bounds that do
not hold on the true figures (another definition of the quantile, or another population)
are not used.

A band's edges are those the table declares (``bands``, in the unit of its statistics:
"Under 1 month" of a number of days is 0 to 30 days); a table that declares none has them
read from whole-number labels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

QUANTILES = {"lower_quartile": 0.25, "median": 0.5, "upper_quartile": 0.75}
MEAN = -1.0  # the mean: withheld with any band of its column (module docstring)
SUMMARIES = {**QUANTILES, "mean": MEAN}
_BANDS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[float, float]]], ...] = (
    (re.compile(r"^None$"), lambda m: (0.0, 0.0)),
    (re.compile(r"^(\d+)$"), lambda m: (float(m[1]), float(m[1]))),
    (re.compile(r"^(\d+) to (\d+)$"), lambda m: (float(m[1]), float(m[2]))),
    (re.compile(r"^Under (\d+)$"), lambda m: (-math.inf, float(m[1]) - 1)),
    (re.compile(r"^(\d+) (?:and over|or more)$"), lambda m: (float(m[1]), math.inf)),
)
Column = list[tuple[str, int, bool]]  # category, true count, withheld
Edges = Mapping[str, tuple[float, float]]  # a table's band label -> (lowest, highest)


def band_of(label: str) -> tuple[float, float] | None:
    """Whole-number band of a category label ("13 to 15", "Under 10", "50 and over", "2")."""
    for pattern, bounds in _BANDS:
        found = pattern.match(label.strip())
        if found:
            return bounds(found)
    return None


def declared_edges(meta: Mapping[str, Any] | None) -> dict[str, tuple[float, float]]:
    """The band edges a table declares (``bands``: [label, lowest, highest or null]), in the
    unit of its statistics: "Under 6 months" of a number of days is 1 to 182."""
    out: dict[str, tuple[float, float]] = {}
    for entry in (meta or {}).get("bands") or []:
        label, low, high = entry
        out[str(label)] = (float(low), math.inf if high is None else float(high))
    return out


def _edges(label: str, edges: Edges) -> tuple[float, float] | None:
    """A band's edges: declared, or else read from a whole-number label."""
    return edges.get(label) or band_of(label)


def _bounds(
    column: Column, n: int, quantiles: Sequence[tuple[float, float]], edges: Edges
) -> list[tuple[np.ndarray, float]]:
    """Rows a x <= b over the column's cells from each quantile (true ones only)."""
    bands = [_edges(c, edges) for c, _, _ in column]
    values = np.array([v for _, v, _ in column], dtype=float)
    out: list[tuple[np.ndarray, float]] = []
    for p, v in quantiles:
        h = p * (n - 1)
        at_most = np.array([-1.0 if b is not None and b[0] <= v else 0.0 for b in bands])
        below = np.array([1.0 if b is not None and b[1] < v else 0.0 for b in bands])
        for row, rhs in ((at_most, -(math.floor(h) + 1.0)), (below, float(math.ceil(h)))):
            if row.any() and row @ values <= rhs + 1e-9:
                out.append((row, rhs))
    return out


def _widths(
    column: Column,
    total: int,
    extra: list[tuple[np.ndarray, float]],
    banded_n: int | None,
    edges: Edges,
) -> list[float]:
    """Width of the range of each withheld cell, from the column's sum (and ``extra``)."""
    k = len(column)
    bounds = [(0.0, None) if hidden else (float(v), float(v)) for _, v, hidden in column]
    a_eq = [np.ones(k)]
    b_eq = [float(total)]
    if banded_n is not None:
        a_eq.append(np.array([1.0 if _edges(c, edges) is not None else 0.0 for c, _, _ in column]))
        b_eq.append(float(banded_n))
    a_ub = np.array([r for r, _ in extra]) if extra else None
    b_ub = np.array([b for _, b in extra]) if extra else None
    widths: list[float] = []
    for i, (_, _, hidden) in enumerate(column):
        if not hidden:
            continue
        ends = []
        for sense in (1.0, -1.0):
            c = np.zeros(k)
            c[i] = sense
            res = linprog(
                c, A_ub=a_ub, b_ub=b_ub, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds,
                method="highs", integrality=np.ones(k),
            )  # fmt: skip
            ends.append(sense * res.fun if res.status == 0 else (math.inf if sense < 0 else 0.0))
        widths.append(ends[1] - ends[0])
    return widths


def columns_of(
    system: Any, state: Any, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[Column, int]]:
    """The cells (category, true count, withheld) and true total of each (table,
    breakdown) in ``keys``, from the linear system and the suppression state."""
    out: dict[tuple[str, str], tuple[Column, int]] = {}
    cells: dict[tuple[str, str], Column] = {}
    totals: dict[tuple[str, str], int] = {}
    for ref, q in system.ref_index.items():
        key = (ref.table_id, ref.breakdown)
        if key not in keys:
            continue
        if ref.category is None:
            totals[key] = int(system.values[q])
        else:
            hidden = bool(state.is_hidden(q))
            cells.setdefault(key, []).append((ref.category, int(system.values[q]), hidden))
    for key, column in cells.items():
        if key in totals:
            out[key] = (column, totals[key])
    return out


def quantile_risks(
    stats: pd.DataFrame,
    columns: Mapping[tuple[str, str], tuple[Column, int]],
    metadata: Mapping[str, Mapping[str, Any]] | None = None,
) -> set[int]:
    """Positions of quantile statistics (and means) that narrow a withheld cell of their column
    (``columns``: (table, breakdown) -> its cells and true total; ``metadata``: the tables'
    declared band edges)."""
    out: set[int] = set()
    rows: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for i, row in enumerate(stats.itertuples(index=False)):
        if str(row.statistic) in SUMMARIES:
            rows.setdefault((str(row.table_id), str(row.breakdown)), []).append((i, row))
    for key, members in rows.items():
        if key not in columns:
            continue
        column, total = columns[key]
        edges = declared_edges((metadata or {}).get(key[0]))
        n_banded = sum(_edges(c, edges) is not None for c, _, _ in column)
        if n_banded < 2 or not any(hidden for _, _, hidden in column):
            continue
        ns = {int(r.n) for _, r in members if r.n is not None and not pd.isna(r.n)}
        if len(ns) != 1:
            continue
        n = ns.pop()
        banded = sum(v for c, v, _ in column if _edges(c, edges) is not None)
        banded_n = n if banded == n else None
        if any(hidden and _edges(c, edges) is not None for c, _, hidden in column):
            # the mean's sum beside the order the quartiles fix (every value above the
            # median at least the median) caps even an open top band: withheld with any band
            out.update(i for i, r in members if SUMMARIES[str(r.statistic)] == MEAN)
        quantiles = [
            (SUMMARIES[str(r.statistic)], float(r.value))
            for _, r in members
            if r.value is not None and not pd.isna(r.value) and SUMMARIES[str(r.statistic)] != MEAN
        ]
        extra = _bounds(column, n, quantiles, edges) if banded_n is not None else []
        if not extra:
            continue
        before = _widths(column, total, [], None, edges)
        after = _widths(column, total, extra, banded_n, edges)
        # any narrowing at all: the column is checked on its own, and with the other
        # columns of its table (All = the sum of the breakdowns) a bound that leaves a cell
        # wide here can still pin it there
        if any(w < b - 1e-9 for w, b in zip(after, before, strict=True)):
            out.update(i for i, _ in members)
    return out
