"""Which figures to withhold so that one narrow figure can move: the protection programme.

A withheld figure ``q`` is too narrowly bounded when a reader can pin it to a range
narrower than the protection interval. To widen its range upwards by ``need``, there must
be another table of figures, consistent with every relation and with everything still
published, in which ``q`` is ``need`` larger than its true value. Write that table as the
truth plus a *deviation* ``y``: every equality relation holds for ``y`` alone (the truth
already satisfies it), every inequality keeps its slack, no figure goes below zero, and
every figure ``y`` moves must be withheld. The cheapest such deviation says which figures to
withhold (the classic formulation of Fischetti and Salazar, solved for one figure and one
direction at a time):

    minimise    sum of cost_i * |y_i| over the figures still published
    subject to  the relations of the system, in y;
                y_i >= -truth_i;  y_i = 0 for structural zeros;
                y_q >= need (or <= -need).

The cost of moving a published figure by one is its *information loss*: breakdown cells are
cheapest, then ``All`` cells, then column totals (hiding a total hides every percentage of
its column), larger figures cost a little more than smaller ones, and a figure published in
several tables costs that many times over; already withheld figures cost almost nothing.
Both directions are solved where the figure can go down by the interval, and the one that
withholds less is taken (``gbo.disclosure.secondary``). The programme is linear; where its
optimum is not whole it is solved again with integrality (HiGHS branch and bound), because
the audit's reader knows counts are whole numbers. Once the figures it moves are withheld,
``truth + y`` is a table a reader cannot rule out, so ``q`` can be ``need`` larger: the
audit then finds it wide enough.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from gbo.disclosure.linear_system import (
    TIER_ALL_CELL,
    TIER_CELL,
    TIER_GRAND_TOTAL,
    TIER_TOTAL,
    LinearSystem,
)
from gbo.disclosure.state import PUBLISHED, STRUCTURAL, SuppressionState

TIER_COST = {TIER_CELL: 1.0, TIER_ALL_CELL: 1.6, TIER_TOTAL: 3.0, TIER_GRAND_TOTAL: 8.0}
HIDDEN_COST = 1e-3
ZERO_PENALTY = 2.0
INTEGRAL = 1e-6
MIP_SECONDS = 20.0


@dataclass
class Protection:
    """The figures a protection programme moves, and the table it found (truth + y)."""

    moved: list[int]
    witness: dict[int, float]


def information_cost(system: LinearSystem, q: int) -> float:
    """What withholding figure ``q`` costs, per unit it is moved (least information first)."""
    value = float(system.values[q])
    cost = TIER_COST[int(system.tiers[q])] * (1.0 + math.log1p(value) / 10.0)
    # a figure published in several tables (the identified victims, the total of a dozen
    # tables) is lost in each of them
    cost *= len(system.refs[q])
    if value == 0:
        # a zero gives no cover downwards and a withheld zero is itself easily pinned
        cost *= ZERO_PENALTY
    return cost


def component_of(system: LinearSystem, start: int) -> list[int]:
    """Every figure linked to ``start`` through relations (published or not)."""
    seen = {start}
    stack = [start]
    while stack:
        q = stack.pop()
        for ci in system.by_quantity[q]:
            for m in system.constraints[ci].members:
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
    return sorted(seen)


def protect(
    system: LinearSystem,
    state: SuppressionState,
    target: int,
    need: float,
    upwards: bool,
    component: list[int] | None = None,
) -> Protection | None:
    """The cheapest whole deviation moving ``target`` by ``need``; None if there is none."""
    figures = component if component is not None else component_of(system, target)
    position = {q: i for i, q in enumerate(figures)}
    n = len(figures)
    values = system.values[figures].astype(float)
    status = state.status[figures]
    # y = plus - minus; columns [plus_0..plus_n-1, minus_0..minus_n-1]
    cost = np.array(
        [
            HIDDEN_COST if int(s) != PUBLISHED else information_cost(system, q)
            for q, s in zip(figures, status, strict=True)
        ]
    )
    fixed = status == STRUCTURAL
    plus_upper = np.where(fixed, 0.0, np.inf)
    minus_upper = np.where(fixed, 0.0, values)
    i = position[target]
    plus_lower = np.zeros(n)
    minus_lower = np.zeros(n)
    if upwards:
        plus_lower[i] = need
        minus_upper[i] = 0.0
    else:
        if need > values[i]:
            return None
        minus_lower[i] = need
        plus_upper[i] = 0.0
    eq_r: list[int] = []
    eq_c: list[int] = []
    eq_v: list[float] = []
    ub_r: list[int] = []
    ub_c: list[int] = []
    ub_v: list[float] = []
    ub_rhs: list[float] = []
    n_eq = 0
    seen: set[int] = set()
    for q in figures:
        for ci in system.by_quantity[q]:
            if ci in seen:
                continue
            seen.add(ci)
            constraint = system.constraints[ci]
            if constraint.is_equality:
                rows, cols, vals, row = eq_r, eq_c, eq_v, n_eq
                n_eq += 1
            else:
                rows, cols, vals, row = ub_r, ub_c, ub_v, len(ub_rhs)
                slack = constraint.rhs - sum(
                    k * float(system.values[m])
                    for m, k in zip(constraint.members, constraint.coefficients, strict=True)
                )
                ub_rhs.append(slack)
            for m, k in zip(constraint.members, constraint.coefficients, strict=True):
                rows += [row, row]
                cols += [position[m], n + position[m]]
                vals += [float(k), -float(k)]
    a_eq = coo_matrix((eq_v, (eq_r, eq_c)), shape=(n_eq, 2 * n)).tocsr() if n_eq else None
    a_ub = coo_matrix((ub_v, (ub_r, ub_c)), shape=(len(ub_rhs), 2 * n)).tocsr() if ub_rhs else None
    lower = np.concatenate([plus_lower, minus_lower])
    upper = np.concatenate([plus_upper, minus_upper])
    bounds = list(zip(lower.tolist(), [None if math.isinf(u) else u for u in upper], strict=True))
    objective = np.concatenate([cost, cost])
    arguments = {
        "A_eq": a_eq,
        "b_eq": np.zeros(n_eq) if n_eq else None,
        "A_ub": a_ub,
        "b_ub": np.asarray(ub_rhs) if ub_rhs else None,
        "bounds": bounds,
        "method": "highs",
    }
    result = linprog(objective, **arguments)
    if result.status != 0:
        return None
    solution = np.asarray(result.x, dtype=float)
    if np.abs(solution - np.round(solution)).max() > INTEGRAL:
        whole = linprog(
            objective,
            **arguments,
            integrality=np.ones(2 * n),
            options={"time_limit": MIP_SECONDS},
        )
        if whole.x is not None and whole.status in (0, 1):
            solution = np.asarray(whole.x, dtype=float)
    y = np.round(solution[:n] - solution[n:], 9)
    moved = [q for q, dy in zip(figures, y, strict=True) if abs(dy) > INTEGRAL]
    witness = {q: float(system.values[q]) + float(dy) for q, dy in zip(figures, y, strict=True)}
    return Protection(moved, witness)
