"""The disclosure audit: can any withheld figure be worked out from what is published?

The audit is independent of how suppression chose its cells. It takes the published tables
as written (display strings and all) and the true tables they came from, and for each table
set (tables linked by ``margin_key``):

* builds every linear relation between the figures (additivity within tables, shared
  totals and cells across tables, non-negativity, ``count <= total`` in multi-response
  tables), keeping only relations true of the real figures;
* bounds every figure by what is published: a shown figure is a point (or, when rounded,
  the whole numbers that round to it and are at or above the threshold), a ``[c]`` is only
  known to be at least zero, a ``[z]`` is zero;
* solves, for every ``[c]`` figure, the minimum and the maximum it can take
  (``scipy.optimize.linprog`` with HiGHS) and fails if the range is narrower than the
  protection interval.

It also checks that no count of 1 to ``threshold - 1`` people is shown, that no figure is
hidden in one place and shown in another, and that percentages and intervals are withheld
with their counts and totals.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.cells import (
    FAMILY_ADDITIVE,
    FAMILY_DECLARED,
    FAMILY_HIERARCHY,
    FAMILY_MARGINS,
    FAMILY_MULTI_RESPONSE,
    FAMILY_PERCENT,
    FAMILY_POPULATION,
    FAMILY_SHARE_RECORDED,
    CellRef,
)
from gbo.disclosure.linear_system import LinearSystem, build_linear_system
from gbo.disclosure.percent_relations import FAMILY_DERIVED, percent_model
from gbo.disclosure.primary import not_recorded_categories
from gbo.disclosure.ranges import RangeSolver
from gbo.disclosure.rounding import rounding_interval
from gbo.disclosure.statistics_relations import declared_ranges, declared_sums, means_of_all
from gbo.disclosure.symbols import CONFIDENTIAL, NOT_APPLICABLE, ROUNDS_TO_ZERO, is_symbol

TOLERANCE = 1e-6
FAMILY_SHARED = "shared figures (one quantity wherever the same people are counted)"
FAMILY_ZERO = "counts are at least zero"
FAMILY_WHOLE = "counts are whole and at least zero"
ALL_FAMILIES = (
    FAMILY_ADDITIVE,
    FAMILY_MARGINS,
    FAMILY_MULTI_RESPONSE,
    FAMILY_HIERARCHY,
    FAMILY_POPULATION,
    FAMILY_DECLARED,
    FAMILY_SHARED,
    FAMILY_PERCENT,
    FAMILY_SHARE_RECORDED,
    FAMILY_DERIVED,
)
MAX_PROBLEMS = 200


@dataclass
class HiddenRange:
    """The feasible range of one withheld figure."""

    refs: list[CellRef]
    table_set: str
    lower: float
    upper: float

    @property
    def width(self) -> float:
        return self.upper - self.lower


@dataclass
class AuditReport:
    protection: int
    threshold: int
    rounding_base: int
    integer: bool
    exact: bool = False
    ranges: list[HiddenRange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    n_programmes: int = 0
    n_hints_used: int = 0
    n_exempt: int = 0
    n_derived: int = 0
    n_integer_programmes: int = 0
    seconds: float = 0.0
    families: dict[str, int] = field(default_factory=dict)

    @property
    def narrow(self) -> list[HiddenRange]:
        return [r for r in self.ranges if r.width < self.protection - TOLERANCE]

    @property
    def passed(self) -> bool:
        return not self.narrow and not self.problems

    def families_text(self) -> str:
        """The relation families modelled, one line each with how many relations."""
        return "\n".join(f"  {name}: {n}" for name, n in self.families.items())

    def summary(self) -> str:
        if self.passed:
            return (
                f"disclosure audit passed: {len(self.ranges)} withheld figures, every feasible "
                f"range at least {self.protection} wide"
            )
        return (
            f"disclosure audit failed: {len(self.narrow)} withheld figure(s) with a feasible "
            f"range narrower than {self.protection}, {len(self.problems)} other problem(s)"
        )

    def to_json(self) -> dict[str, Any]:
        sets: dict[str, dict[str, Any]] = {}
        for r in self.ranges:
            entry = sets.setdefault(
                r.table_set, {"tables": set(), "n_withheld": 0, "min_width": math.inf}
            )
            entry["tables"].update(ref.table_id for ref in r.refs)
            entry["n_withheld"] += 1
            entry["min_width"] = min(entry["min_width"], r.width)
        return {
            "passed": self.passed,
            "summary": self.summary(),
            "protection_interval": self.protection,
            "threshold": self.threshold,
            "rounding_base": self.rounding_base,
            "solver": "scipy.optimize.linprog(method='highs')"
            + (" with integrality" if self.integer else ""),
            "ranges_are_exact": self.exact,
            "n_withheld": len(self.ranges),
            "n_complementary_zeros_not_audited": self.n_exempt,
            "relation_families_modelled": dict(self.families),
            "n_linear_programmes": self.n_programmes,
            "n_integer_programmes": self.n_integer_programmes,
            "n_checked_witnesses_reused": self.n_hints_used,
            "seconds": round(self.seconds, 3),
            "table_sets": {
                name: {
                    "tables": sorted(entry["tables"]),
                    "n_withheld": entry["n_withheld"],
                    "min_width": _json_number(entry["min_width"]),
                }
                for name, entry in sorted(sets.items())
            },
            "narrow": [_range_json(r) for r in self.narrow],
            "problems": self.problems[:MAX_PROBLEMS],
            "n_problems": len(self.problems),
            "ranges": [_range_json(r) for r in self.ranges],
        }


def _json_number(value: float) -> float | None:
    return None if math.isinf(value) else round(value, 6)


def _range_json(r: HiddenRange) -> dict[str, Any]:
    return {
        "cells": [
            {"table_id": ref.table_id, "breakdown": ref.breakdown, "category": ref.category}
            for ref in r.refs
        ],
        "table_set": r.table_set,
        "lower": _json_number(r.lower),
        "upper": _json_number(r.upper),
        "width": _json_number(r.width),
    }


def audit_published_tables(
    true_rows: pd.DataFrame,
    published_rows: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    *,
    threshold: int,
    protection: int,
    rounding_base: int = 1,
    integer: bool = False,
    hints: list[dict[int, float]] | None = None,
    exact: bool = False,
    published_meta: Mapping[str, Mapping[str, Any]] | None = None,
    percent_decimals: int = 1,
) -> AuditReport:
    """Audit published tables against the true tables they were made from.

    ``hints`` are candidate feasible points (e.g. from secondary suppression); each is
    checked against the audit's own relations and bounds before it counts as a witness.
    ``published_meta`` is the published tables' metadata (its shares recorded are modelled;
    without it, the input metadata's are).
    With ``exact``, both programmes (minimum and maximum) are solved for every withheld
    figure and the full ranges reported; otherwise a range is proven wide enough by two
    feasible points as soon as they are found.
    """
    started = time.perf_counter()
    report = AuditReport(protection, threshold, rounding_base, integer, exact)
    system = build_linear_system(true_rows, metadata)
    lower = np.zeros(system.size)
    upper = np.full(system.size, np.inf)
    known = np.zeros(system.size, dtype=bool)
    withheld = np.zeros(system.size, dtype=bool)
    personal = published_rows
    for figure_ref, value, display in _published_figures(personal):
        q = system.ref_index.get(figure_ref)
        if q is None:
            report.problems.append(f"{figure_ref.describe()} is published but not in the inputs")
            continue
        if display == CONFIDENTIAL:
            withheld[q] = True
            continue
        low, high = _interval(display, value, rounding_base, threshold)
        if low is None or high is None:
            report.problems.append(f"{figure_ref.describe()} shows {display!r}, not a count")
            continue
        true_value = int(system.values[q])
        if 0 < true_value < threshold:
            report.problems.append(f"{figure_ref.describe()} shows a count below {threshold}")
        if not low <= true_value <= high:
            report.problems.append(f"{figure_ref.describe()} is published with a wrong value")
            # already a failure; keep the programme feasible so the other figures are audited
            low, high = min(low, true_value), max(high, true_value)
        if known[q]:
            lower[q], upper[q] = max(lower[q], low), min(upper[q], high)
        else:
            lower[q], upper[q] = low, high
        known[q] = True
    for q in np.flatnonzero(withheld & known).tolist():
        report.problems.append(
            f"{system.describe(q)} is withheld, but the same figure is shown elsewhere"
        )
    unrecorded = {
        str(t): not_recorded_categories(frame) for t, frame in true_rows.groupby("table_id")
    }
    _model_percentages(
        system,
        personal,
        published_meta if published_meta is not None else metadata,
        unrecorded,
        report,
        percent_decimals,
    )
    report.families = _families(system, report)
    # a zero withheld only as a complement needs no protection of its own: a zero is
    # publishable, and the primary figures' ranges already allow for it being found
    primary = _primary_cells(personal)
    targets = []
    for q in np.flatnonzero(withheld & ~known).tolist():
        is_primary = primary is None or any(ref in primary for ref in system.refs[q])
        if int(system.values[q]) == 0 and not is_primary:
            report.n_exempt += 1
        else:
            targets.append(q)
    solver = RangeSolver(
        system, integer=integer, protection=None if exact else protection, hints=hints or []
    )
    ranges = solver.ranges(lower, upper, targets)
    for q in targets:
        low, high = ranges[q]
        if not low - TOLERANCE <= int(system.values[q]) <= high + TOLERANCE:
            report.problems.append(f"{system.describe(q)}: the true value is outside its range")
        report.ranges.append(HiddenRange(system.refs[q], system.table_sets[q], low, high))
    report.n_programmes = solver.n_programmes
    report.n_integer_programmes = solver.n_integer_programmes
    report.n_hints_used = solver.n_hints_used
    report.seconds = time.perf_counter() - started
    return report


def _primary_cells(rows: pd.DataFrame) -> set[CellRef] | None:
    """Counts the published tables mark as primary suppressions (None: no marking at all)."""
    if "suppression" not in rows.columns:
        return None
    marked = rows[rows["suppression"].astype("string").fillna("") != "secondary"]
    marked = marked[marked["count_display"] == CONFIDENTIAL]
    return {
        CellRef(str(t), str(b), str(c))
        for t, b, c in zip(marked["table_id"], marked["breakdown"], marked["category"], strict=True)
    }


def _published_figures(rows: pd.DataFrame) -> list[tuple[CellRef, Any, str]]:
    figures: list[tuple[CellRef, Any, str]] = []
    seen_totals: set[CellRef] = set()
    for row in rows.itertuples(index=False):
        table_id, breakdown = str(row.table_id), str(row.breakdown)
        figures.append(
            (CellRef(table_id, breakdown, str(row.category)), row.count, str(row.count_display))
        )
        total = CellRef(table_id, breakdown, None)
        if total not in seen_totals:
            seen_totals.add(total)
            figures.append((total, row.denominator, str(row.denominator_display)))
    return figures


def _interval(
    display: str, value: Any, base: int, threshold: int
) -> tuple[float | None, float | None]:
    if display == NOT_APPLICABLE:
        return 0.0, 0.0
    is_low = display == ROUNDS_TO_ZERO
    if not is_low and (value is None or value is pd.NA or is_symbol(display)):
        return None, None
    published = np.array([0 if is_low else int(value)], dtype=np.int64)
    low, high = rounding_interval(published, base, threshold, np.array([is_low]))
    return float(low[0]), float(high[0])


def _model_percentages(
    system: LinearSystem,
    rows: pd.DataFrame,
    meta: Mapping[str, Mapping[str, Any]],
    unrecorded: Mapping[str, set[str]],
    report: AuditReport,
    percent_decimals: int,
) -> None:
    """Add every published percentage and share recorded to the system (or a problem)."""
    model = percent_model(system, rows, meta, unrecorded, report.rounding_base, percent_decimals)
    report.problems += model.problems
    for constraint in model.constraints:
        value = sum(
            int(system.values[m]) * k
            for m, k in zip(constraint.members, constraint.coefficients, strict=True)
        )
        if value > constraint.rhs:
            report.problems.append(
                f"{constraint.description} is not consistent with the true figures "
                "(a published percentage worked from other figures than the ones audited)"
            )
            continue
        system.add_constraint(constraint)
    report.n_derived = model.n_derived


def _families(system: LinearSystem, report: AuditReport) -> dict[str, int]:
    families = dict.fromkeys(ALL_FAMILIES, 0)
    families.update(system.families())
    families[FAMILY_SHARED] = sum(len(refs) - 1 for refs in system.refs)
    families[FAMILY_DERIVED] = report.n_derived
    families[FAMILY_WHOLE if report.integer else FAMILY_ZERO] = system.size
    return families


def check_statistics(
    statistics: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    minimum: int,
    report: AuditReport,
) -> None:
    """No statistic about fewer than ``minimum`` people may be shown, no mean of All beside
    the same mean withheld in another breakdown, and none of statistics declared to add up
    to one another (``statistics_sums``) withheld alone, and no range shown with an end
    withheld (``statistics_ranges``)."""
    if statistics.empty or "value_display" not in statistics.columns:
        return
    for row in statistics.itertuples(index=False):
        n = pd.to_numeric(pd.Series([row.n]), errors="coerce").iloc[0]
        shown = not is_symbol(str(row.value_display))
        if shown and pd.notna(n) and 0 < int(n) < minimum:
            report.problems.append(
                f"statistic '{row.statistic}' of breakdown '{row.breakdown}' in table "
                f"{row.table_id} is shown but describes fewer than {minimum} people"
            )
    displays = statistics["value_display"].astype(str).tolist()
    for whole, parts in means_of_all(statistics):
        if not is_symbol(displays[whole]) and any(is_symbol(displays[i]) for i in parts):
            all_row = statistics.iloc[whole]
            report.problems.append(
                f"statistic '{all_row['statistic']}' of breakdown 'All' in table "
                f"{all_row['table_id']} is shown beside the same mean withheld in another "
                "breakdown: it bounds that breakdown's sum of values"
            )
    for members, mean in declared_sums(statistics, metadata):
        withheld = [i for i in members if is_symbol(displays[i])]
        first = statistics.iloc[withheld[0] if withheld else members[0]]
        where = f"'{first['statistic']}' of table {first['table_id']}"
        if mean is not None and is_symbol(displays[mean]) and not withheld:
            report.problems.append(
                f"statistics {where} are all shown, and add up to the total of a withheld "
                "mean: they give it back"
            )
        if mean is None and len(withheld) == 1:
            report.problems.append(
                f"statistic {where}, breakdown '{first['breakdown']}', is the only one withheld "
                "of statistics that add up to one another: the others give it back"
            )
    for i, ends in declared_ranges(statistics, metadata):
        if not is_symbol(displays[i]) and any(is_symbol(displays[e]) for e in ends):
            at = statistics.iloc[i]
            report.problems.append(
                f"statistic '{at['statistic']}' of breakdown '{at['breakdown']}' in table "
                f"{at['table_id']} is a range shown with a withheld end: it shows that end"
            )
