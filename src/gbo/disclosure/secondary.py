"""Secondary (complementary) suppression: add withheld figures until the audit passes.

It solves the same system as the audit (every relation of the
:class:`~gbo.disclosure.linear_system.LinearSystem`, whole numbers, the published bounds
of every figure):

1. **Closing relations** (fast, local). In each relation (categories add to a total,
   breakdowns add to All) a lone hidden figure could be found by subtraction, and hidden
   figures on the same side of a published total can be no larger than their sum. So a
   relation with one hidden figure, or whose hidden figures on one side add to less than the
   protection interval, gets another figure hidden: the smallest published one that gives
   enough cover, preferring cells to column totals and breakdown cells to ``All`` cells
   (next-smallest-cell heuristic).
2. **Audit.** The feasible range of every hidden figure is solved
   (:class:`~gbo.disclosure.ranges.RangeSolver`).
3. **Protection programmes.** Each figure still too narrowly bounded gets the cheapest set of
   further figures to withhold that lets it move by what it lacks
   (:mod:`~gbo.disclosure.protection`, least information lost first); then back to 2.

A figure once withheld stays withheld, so every round hides at least one more figure and
the loop ends. If no set of figures can protect a figure (the tables' own structure pins
it), it stops with a :class:`~gbo.errors.DisclosureError` and nothing is published.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np

from gbo.disclosure.cells import Constraint
from gbo.disclosure.linear_system import LinearSystem
from gbo.disclosure.protection import Protection, component_of, information_cost, protect
from gbo.disclosure.ranges import RangeSolver
from gbo.disclosure.rounding import published_bounds
from gbo.disclosure.state import PUBLISHED, RULE_SECONDARY, SECONDARY, SuppressionState
from gbo.errors import DisclosureError

TOLERANCE = 1e-6


def narrow_figures(
    solver: RangeSolver,
    state: SuppressionState,
    protection: int,
    threshold: int,
    rounding_base: int,
) -> dict[int, tuple[float, float]]:
    """Hidden quantities whose feasible range is narrower than the protection interval."""
    lower, upper = published_bounds(solver.system.values, state, threshold, rounding_base)
    # complementary zeros need no protection of their own (see the audit)
    hidden = state.hidden() & ~((state.status == SECONDARY) & (solver.system.values == 0))
    targets = np.flatnonzero(hidden).tolist()
    ranges = solver.ranges(lower, upper, targets)
    return {q: r for q, r in ranges.items() if r[1] - r[0] < protection - TOLERANCE}


def suppress_secondary(
    system: LinearSystem,
    state: SuppressionState,
    *,
    protection: int,
    threshold: int,
    rounding_base: int = 1,
    integer: bool = False,
    max_rounds: int = 500,
    on_round: Callable[[int, int], None] | None = None,
    solver: RangeSolver | None = None,
) -> int:
    """Hide further figures until the audit passes; return the number of rounds."""
    if solver is None:
        solver = RangeSolver(system, integer=integer, protection=protection)
    close_relations(system, state, protection)
    for round_number in range(1, max_rounds + 1):
        narrow = narrow_figures(solver, state, protection, threshold, rounding_base)
        if on_round is not None:
            on_round(round_number, len(narrow))
        if not narrow:
            return round_number
        added = _protect_narrow_figures(system, state, protection, narrow, solver)
        if not added:
            raise DisclosureError(
                f"secondary suppression cannot protect {len(narrow)} withheld figure(s), "
                f"among them {system.describe(next(iter(narrow)))}: their protection "
                "programmes move no published figure, yet the audit finds them narrow",
                hint="report this as a bug, with the tables' structure (not their values)",
            )
        close_relations(system, state, protection, start=added)
    raise DisclosureError(
        f"secondary suppression did not settle within {max_rounds} rounds",
        hint="raise disclosure.max_secondary_rounds or coarsen the tables' categories",
    )


def close_relations(
    system: LinearSystem,
    state: SuppressionState,
    protection: int,
    start: list[int] | None = None,
) -> list[int]:
    """Step 1 to a fixed point; returns the quantities it hid."""
    if start is None:
        queue = deque(range(len(system.constraints)))
    else:
        queue = deque(dict.fromkeys(ci for q in start for ci in system.by_quantity[q]))
    queued = set(queue)
    hidden: list[int] = []
    while queue:
        ci = queue.popleft()
        queued.discard(ci)
        constraint = system.constraints[ci]
        if not constraint.is_equality:
            continue
        need = _cover_needed(system, state, constraint, protection)
        if need is None:
            continue
        q = _choose_complement(system, state, constraint, need)
        if q is None:
            continue
        state.mark(
            q, SECONDARY, RULE_SECONDARY, f"protects a hidden figure: {constraint.description}"
        )
        hidden.append(q)
        for other in system.by_quantity[q]:
            if other not in queued:
                queue.append(other)
                queued.add(other)
    return hidden


def _cover_needed(
    system: LinearSystem, state: SuppressionState, constraint: Constraint, protection: int
) -> int | None:
    """How much more hidden mass the relation needs (0: one more figure), or None."""
    hidden = [
        (m, k)
        for m, k in zip(constraint.members, constraint.coefficients, strict=True)
        if state.is_hidden(m)
    ]
    if not hidden:
        return None
    if len(hidden) == 1:
        return max(protection - int(system.values[hidden[0][0]]), 0)
    signs = {k > 0 for _, k in hidden}
    if len(signs) == 1:
        mass = sum(int(system.values[m]) for m, _ in hidden)
        if mass < protection:
            return protection - mass
    return None


def _choose_complement(
    system: LinearSystem, state: SuppressionState, constraint: Constraint, need: int
) -> int | None:
    """The published figure to hide next in this relation (smallest that gives enough cover)."""
    hidden_signs = {
        k > 0
        for m, k in zip(constraint.members, constraint.coefficients, strict=True)
        if state.is_hidden(m)
    }
    candidates = [
        (int(system.tiers[m]), int(system.values[m]), m, k > 0)
        for m, k in zip(constraint.members, constraint.coefficients, strict=True)
        if int(state.status[m]) == PUBLISHED
    ]
    if not candidates:
        return None
    # a zero gives no cover downwards (it cannot go below zero): use one only as a last resort
    candidates.sort(key=lambda c: (c[1] == 0, c[0], c[1]))
    if need <= 0:
        return candidates[0][2]
    same_side = [c for c in candidates if c[3] in hidden_signs]
    for _, value, m, _ in same_side:
        if value >= need:
            return m
    other_side = [c for c in candidates if c[3] not in hidden_signs]
    if other_side:
        return other_side[0][2]
    return max(same_side, key=lambda c: c[1])[2]


def _cheapest(
    system: LinearSystem, state: SuppressionState, found: list[Protection | None]
) -> Protection | None:
    """The protection that withholds the least information (the first of equals)."""

    def loss(protection: Protection) -> float:
        return sum(information_cost(system, m) for m in protection.moved if not state.is_hidden(m))

    return min((f for f in found if f is not None), key=loss, default=None)


def _protect_narrow_figures(
    system: LinearSystem,
    state: SuppressionState,
    protection: int,
    narrow: dict[int, tuple[float, float]],
    solver: RangeSolver,
) -> list[int]:
    """Withhold, for each narrow figure, what the cheapest protection programme moves.

    Narrowest first; each programme sees the figures withheld for the ones before it (they
    cost almost nothing to move again). The table each programme finds is kept as a witness
    for the next audit, which checks it before use.
    """
    added: list[int] = []
    components: dict[int, list[int]] = {}
    for q in sorted(narrow, key=lambda item: (narrow[item][1] - narrow[item][0], item)):
        low, high = narrow[q]
        truth = float(system.values[q])
        room_down, room_up = truth - low, high - truth
        component = components.get(q)
        if component is None:
            component = component_of(system, q)
            for member in component:
                components[member] = component
        # upwards, and downwards where the figure is large enough: the cheaper of the two
        found = _cheapest(
            system,
            state,
            [
                protect(system, state, q, protection - room_down, True, component),
                protect(system, state, q, protection - room_up, False, component)
                if protection - room_up <= truth
                else None,
            ],
        )
        if found is None:
            raise DisclosureError(
                f"secondary suppression cannot protect {system.describe(q)}: no set of withheld "
                "figures lets it move by the protection interval",
                hint="the tables' own structure fixes it (a detailed table that lists no "
                "category of a group, say): list every category of the code list, coarsen the "
                "table, or drop one of the tables that pin it; nothing was published",
            )
        solver.witnesses.append(found.witness)
        solver.hints.append(found.witness)
        for m in found.moved:
            if state.mark(
                m,
                SECONDARY,
                RULE_SECONDARY,
                f"protects the withheld {system.describe(q)} (protection programme)",
            ):
                added.append(m)
    return added
