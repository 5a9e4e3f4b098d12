"""The reader's knowledge of the comparisons with a baseline (no gbo import).

The report defines each comparison: the share of offenders in groups (or group-based
victims) with a recorded value in each category, against the census population's share
(``baseline_*``), or against lone offenders (or other victims) in the same data
(``*_lone``, ``*_other``). Read with the table each compares, every figure published at full
precision is an exact relation between that table's cells (stop 56's second outside reader
found these):

* ``n_recorded`` is the sum of the compared column's cells for the categories the
  comparison lists;
* ``pct_not_recorded`` is the column's total less that sum, over the total;
* a category's ``pct_of_recorded`` (or its ``rate_ratio`` times ``population_pct``) is its
  cell over that sum;
* within the data, the same for the second column (``*_comparison``), and a rate ratio gives
  one column's share from the other's.

Each full-precision value becomes a fraction with a small denominator (checked to 1e-9), so
each relation has whole coefficients.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tests.disclosure.attacker_pages import interval

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack

Key = tuple[str, ...]
# each comparison, as the report's definitions name it: the table and column(s) it compares
CENSUS = {
    "baseline_offenders_ethnicity": ("offenders_ethnicity_5", "In a group"),
    "baseline_victims_ethnicity": ("victims_ethnicity_5", "Group-based"),
    "baseline_offenders_age": ("offenders_age_band", "In a group"),
    "baseline_victims_age": ("victims_age_band", "Group-based"),
}
WITHIN = {
    "baseline_offenders_ethnicity_lone": ("offenders_ethnicity_5", "In a group", "Alone"),
    "baseline_victims_ethnicity_other": ("victims_ethnicity_5", "Group-based", "Not group-based"),
}


def _number(text: object) -> float | None:
    try:
        return float(str(text).replace(",", "").strip())
    except ValueError:
        return None


def _fraction(x: float, limit: int = 100_000) -> Fraction | None:
    f = Fraction(x).limit_denominator(limit)
    return f if abs(float(f) - x) < 1e-9 * max(1.0, abs(x)) else None


class _Comparison:
    """One comparison's statistics file, value by (breakdown, statistic)."""

    def __init__(self, path: Path) -> None:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        self.categories = [str(b) for b in dict.fromkeys(frame["breakdown"]) if b != "All"]
        self.values = {
            (str(r.breakdown), str(r.statistic)): _number(r.value)
            for r in frame.itertuples(index=False)
        }

    def get(self, breakdown: str, statistic: str) -> float | None:
        return self.values.get((breakdown, statistic))


def _ratio(attack: Attack, part: dict[Key, float], whole: dict[Key, float], f: Fraction) -> None:
    """sum(part) / sum(whole) = f, as whole-number coefficients."""
    relation: dict[Key, float] = {}
    for key, k in part.items():
        relation[key] = relation.get(key, 0.0) + f.denominator * k
    for key, k in whole.items():
        relation[key] = relation.get(key, 0.0) - f.numerator * k
    for key in relation:
        attack.var(key)
    attack.eq.append(relation)


def add_baseline(attack: Attack, folder: Path) -> None:
    """The comparisons' relations (see the module's docstring). With counts rounded, every
    statistic with an ``n`` is shown whole, so a share is an interval and ``n_recorded`` a
    rounded count; rate ratios, whole numbers then, are left aside."""
    tables = attack.tables
    rounded = attack.rounding > 1

    def cell(t: str, b: str, c: str) -> Key:
        return ("cell", t, b, c)

    def relate(
        part: dict[Key, float], whole: dict[Key, float], value: float | None
    ) -> Fraction | None:
        """sum(part) / sum(whole) is ``value`` per cent: the exact share, or None when
        rounded (an interval then) or not a share."""
        if value is not None and rounded:
            interval(attack, part, whole, value, 0)
        f = None if value is None or rounded else _fraction(value / 100)
        if f is not None:
            _ratio(attack, part, whole, f)
        return f

    for table, (source, column) in CENSUS.items():
        path = folder / "csv" / f"{table}_statistics.csv"
        if not path.exists() or source not in tables:
            continue
        stats = _Comparison(path)
        covered = {cell(source, column, c): 1.0 for c in stats.categories}
        recorded = stats.get("All", "n_recorded")
        if recorded is not None:
            n_key: Key = ("baseline n_recorded", table)
            attack.var(n_key)
            attack.known[n_key] = recorded
            attack.eq.append({**covered, n_key: -1.0})
        total = ("den", source, column)
        relate(
            {total: 1.0, **{k: -1.0 for k in covered}},
            {total: 1.0},
            stats.get("All", "pct_not_recorded"),
        )
        for c in stats.categories:
            part = {cell(source, column, c): 1.0}
            if relate(part, covered, stats.get(c, "pct_of_recorded")) is not None or rounded:
                continue  # rate ratios, whole numbers when rounded, are left aside
            ratio, population = stats.get(c, "rate_ratio"), stats.get(c, "population_pct")
            if ratio is not None and population is not None:
                f = _fraction(ratio * population / 100, 2000)
                if f is not None:
                    _ratio(attack, {cell(source, column, c): 1.0}, covered, f)
    for table, (source, first, second) in WITHIN.items():
        path = folder / "csv" / f"{table}_statistics.csv"
        if not path.exists() or source not in tables:
            continue
        stats, frame = _Comparison(path), tables[source]
        recorded_of: dict[str, dict[Key, float]] = {}
        shares: dict[tuple[str, str], Fraction] = {}
        for column, suffix in ((first, ""), (second, "_comparison")):
            rows = frame[frame["breakdown"] == column]
            # categories with no share of those recorded ([z]): Not recorded, Not stated
            out = rows.loc[rows["pct_of_recorded_display"] == "[z]", "category"].tolist()
            recorded_of[column] = {
                cell(source, column, c): 1.0 for c in rows["category"] if c not in out
            }
            unrecorded = {cell(source, column, c): 1.0 for c in out}
            den: dict[Key, float] = {("den", source, column): 1.0}
            relate(unrecorded, den, stats.get("All", f"pct_not_recorded{suffix}"))
            for key in recorded_of[column]:
                f = relate(
                    {key: 1.0}, recorded_of[column], stats.get(key[3], f"pct_of_recorded{suffix}")
                )
                if f is not None:
                    shares[(column, key[3])] = f
        for c in stats.categories:
            ratio = stats.get(c, "rate_ratio")
            if not ratio or rounded:
                continue
            known_first, known_second = (first, c) in shares, (second, c) in shares
            if known_first and not known_second:
                f = _fraction(float(shares[(first, c)]) / ratio)
                if f is not None:
                    _ratio(attack, {cell(source, second, c): 1.0}, recorded_of[second], f)
            elif known_second and not known_first:
                f = _fraction(float(shares[(second, c)]) * ratio)
                if f is not None:
                    _ratio(attack, {cell(source, first, c): 1.0}, recorded_of[first], f)
