"""Feasible ranges of hidden figures: two linear programmes per figure (scipy's HiGHS).

What a reader knows is a box of bounds on every quantity (a published figure is a point, or
an interval when rounded; a suppressed one is only known to be non-negative) plus the linear
relations of the :class:`~gbo.disclosure.linear_system.LinearSystem`. The smallest and
largest value a hidden quantity can take subject to all of that is its feasible range.

Known quantities are moved to the right-hand side, and the unknowns split into independent
components (unknowns that share no relation cannot constrain each other), so each programme
is small. Ranges are cached by component, so repeated audits during secondary suppression
only solve what changed. Ranges proven wide enough by witnesses (see :class:`RangeSolver`)
are reported as the span of the witnesses, a lower bound on the true range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix

from gbo.disclosure.linear_system import LinearSystem
from gbo.errors import DisclosureError

Range = tuple[float, float]
PROOF_TOLERANCE = 1e-6
CHECK_TOLERANCE = 1e-7
MAX_WITNESS_ROUNDS = 8
INTEGRAL_TOLERANCE = 1e-6


@dataclass
class RangeSolver:
    """Solves and caches feasible ranges for one linear system.

    With ``protection`` set, a range only needs proving at least that wide: every solution
    found (and the true figures, always feasible) is a witness for every quantity of its
    component, so a hidden figure whose witnessed values already span the protection
    interval needs no programme of its own. A figure that is not proven wide enough gets
    both of its programmes solved, so narrow ranges are always exact.

    Solutions are kept as ``witnesses`` (quantity -> value). Another solver can be handed
    them as ``hints``: a hint is used only after it is checked to satisfy that solver's own
    relations and bounds, so trusting nothing, it saves solving the same programmes twice.
    """

    system: LinearSystem
    integer: bool = False
    protection: float | None = None
    hints: list[dict[int, float]] = field(default_factory=list)
    witnesses: list[dict[int, float]] = field(default_factory=list)
    cache: dict[tuple[object, ...], dict[int, Range]] = field(default_factory=dict)
    n_programmes: int = 0
    n_hints_used: int = 0
    n_integer_programmes: int = 0

    def ranges(
        self, lower: np.ndarray, upper: np.ndarray, targets: Iterable[int]
    ) -> dict[int, Range]:
        """Feasible range of every target quantity given the bounds of all quantities."""
        unknown = lower < upper
        out: dict[int, Range] = {}
        wanted: list[int] = []
        for q in targets:
            if unknown[q]:
                wanted.append(q)
            else:
                out[q] = (float(lower[q]), float(upper[q]))
        if not wanted:
            return out
        wanted_set = set(wanted)
        for component in self._components(unknown, wanted):
            out.update(self._solve_component(component, lower, upper, wanted_set))
        return out

    def _components(self, unknown: np.ndarray, wanted: list[int]) -> list[list[int]]:
        """Connected sets of unknown quantities reachable from the wanted ones."""
        seen: set[int] = set()
        components: list[list[int]] = []
        for start in wanted:
            if start in seen:
                continue
            stack, component = [start], []
            seen.add(start)
            while stack:
                q = stack.pop()
                component.append(q)
                for ci in self.system.by_quantity[q]:
                    for m in self.system.constraints[ci].members:
                        if unknown[m] and m not in seen:
                            seen.add(m)
                            stack.append(m)
            components.append(sorted(component))
        return components

    def _solve_component(
        self, variables: list[int], lower: np.ndarray, upper: np.ndarray, wanted: set[int]
    ) -> dict[int, Range]:
        targets = [q for q in variables if q in wanted]
        key = (
            tuple(variables),
            tuple(targets),
            tuple(lower[variables]),
            tuple(upper[variables]),
        )
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        position = {q: i for i, q in enumerate(variables)}
        eq_rows, ub_rows = self._rows(variables, position, lower)
        if not eq_rows.rhs and not ub_rows.rhs:
            result = {q: (float(lower[q]), float(upper[q])) for q in targets}
            self.cache[key] = result
            return result
        programme = _Programme(
            *eq_rows.matrix(len(variables)),
            *ub_rows.matrix(len(variables)),
            [
                (float(lower[q]), None if math.isinf(upper[q]) else float(upper[q]))
                for q in variables
            ],
        )
        truth = self.system.values[variables].astype(float)
        columns = np.array([position[q] for q in targets])
        seen_low = truth[columns].copy()
        seen_high = truth[columns].copy()
        exact: dict[int, list[float | None]] = {q: [None, None] for q in targets}

        def witness(solution: np.ndarray | None, keep: bool = True) -> None:
            if solution is not None:
                np.minimum(seen_low, solution[columns], out=seen_low)
                np.maximum(seen_high, solution[columns], out=seen_high)
                if keep:
                    self.witnesses.append(dict(zip(variables, solution.tolist(), strict=True)))

        if self.protection is not None:
            for hint in self.hints:
                point = _hint_point(hint, variables)
                if (
                    point is not None
                    and (not self.integer or _is_whole(point))
                    and programme.satisfied_by(point)
                ):
                    self.n_hints_used += 1
                    witness(point, keep=False)

        def open_targets() -> np.ndarray:
            if self.protection is None:
                return np.ones(len(targets), dtype=bool)
            spread: np.ndarray = seen_high - seen_low < self.protection - PROOF_TOLERANCE
            return spread

        if self.protection is not None and len(targets) > 1:
            # witnesses first: push many hidden figures apart at once (all up, all down,
            # then random mixes), so most need no programme of their own
            rng = np.random.default_rng(0)
            for attempt in range(MAX_WITNESS_ROUNDS):
                still_open = open_targets()
                n_open = int(still_open.sum())
                if n_open <= 1:
                    break
                weights = np.zeros(len(variables))
                signs = np.ones(n_open) if attempt == 0 else rng.choice([-1.0, 1.0], n_open)
                weights[columns[still_open]] = signs
                for sense in (-1.0, 1.0):
                    _, solution, whole = self._relaxed(programme, sense * weights)
                    if whole:
                        witness(solution)
                if int(open_targets().sum()) > n_open * 0.8:
                    break
        for i, q in enumerate(targets):
            loose: list[tuple[int, float]] = []
            for index, sense in ((1, -1.0), (0, 1.0)):
                if self.protection is not None and (
                    seen_high[i] - seen_low[i] >= self.protection - PROOF_TOLERANCE
                ):
                    break
                objective = np.zeros(len(variables))
                objective[position[q]] = sense
                value, solution, whole = self._relaxed(programme, objective)
                if value == -math.inf:
                    exact[q][index] = math.inf
                    seen_high[i] = math.inf
                    continue
                if whole:
                    exact[q][index] = sense * value
                    witness(solution)
                else:
                    # the relaxation is loose here: its optimum, rounded inwards, only bounds
                    # the whole-number one
                    bound = math.ceil(value - PROOF_TOLERANCE)
                    exact[q][index] = sense * bound
                    loose.append((index, sense))
            proven = self.protection is not None and (
                seen_high[i] - seen_low[i] >= self.protection - PROOF_TOLERANCE
            )
            if loose and not proven and not self._settled_narrow(exact[q]):
                for index, sense in loose:
                    objective = np.zeros(len(variables))
                    objective[position[q]] = sense
                    value, solution = self._optimise(programme, objective)
                    exact[q][index] = sense * value
                    witness(solution)
        result = {}
        for i, q in enumerate(targets):
            exact_low, exact_high = exact[q]
            low = float(seen_low[i]) if exact_low is None else exact_low
            high = float(seen_high[i]) if exact_high is None else exact_high
            result[q] = (low, high)
        self.cache[key] = result
        return result

    def _settled_narrow(self, bounds: list[float | None]) -> bool:
        """True when outer bounds already prove a range narrower than the interval.

        The relaxation's range contains the whole-number range, so a relaxation narrower
        than the protection interval settles the verdict (narrow) without an integer
        programme; only the exact audit (no protection set) wants the exact ends.
        """
        low, high = bounds
        if self.protection is None or low is None or high is None:
            return False
        return high - low < self.protection - PROOF_TOLERANCE

    def _relaxed(
        self, programme: _Programme, objective: np.ndarray
    ) -> tuple[float, np.ndarray | None, bool]:
        """The linear relaxation: (optimum, solution, whether it is already whole).

        Without integrality the relaxation is the programme itself, so it is always "whole".
        A fractional optimum that rounds to a feasible whole table still gives a witness.
        """
        self.n_programmes += 1
        res = linprog(
            objective,
            A_ub=programme.a_ub,
            b_ub=programme.b_ub,
            A_eq=programme.a_eq,
            b_eq=programme.b_eq,
            bounds=programme.bounds,
            method="highs",
        )
        if res.status == 3:
            return -math.inf, None, True
        if res.status != 0:
            raise DisclosureError(
                f"the disclosure audit's linear programme failed: {res.message}",
                hint="the published figures contradict the table relations; report this as a bug",
            )
        solution = np.asarray(res.x, dtype=float)
        if not self.integer:
            return float(res.fun), solution, True
        rounded = np.round(solution)
        if np.abs(solution - rounded).max() <= INTEGRAL_TOLERANCE:
            return float(objective @ rounded), rounded, True
        return float(res.fun), None, False

    def _rows(
        self, variables: list[int], position: dict[int, int], lower: np.ndarray
    ) -> tuple[_Rows, _Rows]:
        """The relations touching the variables, known quantities moved to the right."""
        eq, ub = _Rows(), _Rows()
        done: set[int] = set()
        for q in variables:
            for ci in self.system.by_quantity[q]:
                if ci in done:
                    continue
                done.add(ci)
                constraint = self.system.constraints[ci]
                rows = eq if constraint.is_equality else ub
                row = len(rows.rhs)
                constant = 0.0
                for m, k in zip(constraint.members, constraint.coefficients, strict=True):
                    if m in position:
                        rows.rows.append(row)
                        rows.columns.append(position[m])
                        rows.values.append(float(k))
                    else:
                        constant += k * float(lower[m])
                rows.rhs.append(float(constraint.rhs) - constant)
        return eq, ub

    def _optimise(
        self, programme: _Programme, objective: np.ndarray
    ) -> tuple[float, np.ndarray | None]:
        """Minimise ``objective @ x`` (whole numbers if ``integer``); (-inf, None) if unbounded."""
        self.n_programmes += 1
        if self.integer:
            self.n_integer_programmes += 1
        n = len(programme.bounds)
        res = linprog(
            objective,
            A_ub=programme.a_ub,
            b_ub=programme.b_ub,
            A_eq=programme.a_eq,
            b_eq=programme.b_eq,
            bounds=programme.bounds,
            method="highs",
            integrality=np.ones(n) if self.integer else None,
        )
        if res.status == 3 or (
            self.integer and res.status != 0 and "unbounded" in str(res.message).lower()
        ):
            # HiGHS's integer presolve may only say "infeasible or unbounded"; the true
            # figures always satisfy the system, so it is unbounded
            return -math.inf, None
        if res.status != 0:
            raise DisclosureError(
                f"the disclosure audit's linear programme failed: {res.message}",
                hint="the published figures contradict the table relations; report this as a bug",
            )
        return float(res.fun), np.asarray(res.x, dtype=float)


@dataclass
class _Programme:
    a_eq: csr_matrix | None
    b_eq: np.ndarray | None
    a_ub: csr_matrix | None
    b_ub: np.ndarray | None
    bounds: list[tuple[float, float | None]]

    def satisfied_by(self, point: np.ndarray) -> bool:
        """True if the point meets every relation and bound (to solver tolerance)."""
        lowers = np.array([b[0] for b in self.bounds])
        uppers = np.array([math.inf if b[1] is None else b[1] for b in self.bounds])
        if (point < lowers - CHECK_TOLERANCE).any() or (point > uppers + CHECK_TOLERANCE).any():
            return False
        if self.a_eq is not None and self.b_eq is not None:
            gap = np.abs(self.a_eq @ point - self.b_eq)
            if (gap > CHECK_TOLERANCE * np.maximum(1.0, np.abs(self.b_eq))).any():
                return False
        if self.a_ub is not None and self.b_ub is not None:
            excess = self.a_ub @ point - self.b_ub
            if (excess > CHECK_TOLERANCE * np.maximum(1.0, np.abs(self.b_ub))).any():
                return False
        return True


def _is_whole(point: np.ndarray) -> bool:
    return bool(np.abs(point - np.round(point)).max(initial=0.0) <= INTEGRAL_TOLERANCE)


def _hint_point(hint: dict[int, float], variables: list[int]) -> np.ndarray | None:
    """A hint's values for these variables, or None if it does not cover them all."""
    try:
        return np.array([hint[q] for q in variables], dtype=float)
    except KeyError:
        return None


@dataclass
class _Rows:
    rows: list[int] = field(default_factory=list)
    columns: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    rhs: list[float] = field(default_factory=list)

    def matrix(self, n_columns: int) -> tuple[csr_matrix | None, np.ndarray | None]:
        if not self.rhs:
            return None, None
        shape = (len(self.rhs), n_columns)
        a = coo_matrix((self.values, (self.rows, self.columns)), shape=shape).tocsr()
        return a, np.asarray(self.rhs, dtype=float)
