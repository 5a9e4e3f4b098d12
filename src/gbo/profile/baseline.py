"""Comparison with a population baseline: rate ratios with intervals.

The baseline is a CSV of ``variable,category,population`` rows (lines starting ``#`` are the
source notes). ``variable`` is ``ethnicity_19`` (categories: ONS 2021 codes such as
``A_PAK``), ``ethnicity_5`` (``WHITE``, ``MIXED``, ``ASIAN``, ``BLACK``, ``OTHER``) or
``age_band`` (the labels of the configured age bands). An optional ``checked`` column says how
each figure was checked; a value starting ``recheck`` marks a figure not yet confirmed against
its primary table, and is named in the notes of every comparison. gbo ships England and Wales
Census 2021 figures: the 19 ethnic groups and the age bands that whole five-year age groups
can build (``data/``, with the sources in the file headers); an analyst can give a local file.

A comparison needs a baseline figure for at least two of the table's categories; with fewer,
every share would be 1 and the rate ratio says nothing, so none is made and a note on the
table it would have compared says why.

For a category c, with ``k`` people in c among ``n`` with a recorded value and a population
share ``P``: rate ratio = (k / n) / P, and its 95% interval is the Wilson interval of k / n
divided by P (the census share is treated as known exactly).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from gbo.errors import ProfileError
from gbo.profile.tidy import ALL, Statistic, TidyTable, wilson_interval
from gbo.schema import codes
from gbo.schema.codes import NOT_RECORDED

SHIPPED = "baseline_census2021_england_wales.csv"
SHIPPED_NAME = "England and Wales, Census 2021 (ONS)"
MIN_COVERED = 2
"""Fewest categories with a baseline figure for a comparison to be made."""
VARIABLES = ("ethnicity_19", "ethnicity_5", "age_band")


@dataclass
class Baseline:
    name: str
    source_notes: list[str]
    # variable -> category -> population
    figures: dict[str, dict[str, int]]
    path: Path | None = None
    # variable -> categories whose "checked" value starts with "recheck" (not confirmed to
    # the unit against the primary table)
    to_recheck: dict[str, list[str]] = field(default_factory=dict)

    def recheck_for(self, table_id: str) -> list[str]:
        """Categories still to be checked among the variables a comparison table uses."""
        variables = ("age_band",) if table_id.endswith("_age") else ("ethnicity_19", "ethnicity_5")
        return [c for v in variables for c in self.to_recheck.get(v, [])]


def read_baseline(path: Path | None, name: str = "") -> Baseline:
    """Read a baseline CSV (the shipped census figures when ``path`` is None)."""
    if path is None:
        text = resources.files("gbo.profile").joinpath("data", SHIPPED).read_text("utf-8")
        shown: Path | str = SHIPPED
        name = name or SHIPPED_NAME
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ProfileError(
                "cannot read the baseline file",
                hint="check profile.baseline_file in the configuration",
                path=path,
            ) from exc
        shown = path
        name = name or path.stem
    notes = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
    body = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(body)
    missing = {"variable", "category", "population"} - set(reader.fieldnames or [])
    if missing:
        raise ProfileError(
            f"baseline file has no column(s) {', '.join(sorted(missing))}",
            hint="the header must be variable,category,population",
            path=shown,
        )
    figures: dict[str, dict[str, int]] = {}
    to_recheck: dict[str, list[str]] = {}
    problems: list[str] = []
    for row_number, row in enumerate(reader, start=1):
        variable = (row["variable"] or "").strip()
        category = (row["category"] or "").strip()
        if variable not in VARIABLES:
            problems.append(f"row {row_number}, column variable: not one of {VARIABLES}")
            continue
        valid: set[str] | None = {
            "ethnicity_19": set(codes.ONS_19),
            "ethnicity_5": set(codes.ONS_GROUPS),
        }.get(variable)
        if valid is not None and category not in valid:
            problems.append(f"row {row_number}, column category: not an ONS 2021 code")
            continue
        try:
            population = int((row["population"] or "").replace(",", "").strip())
        except ValueError:
            problems.append(f"row {row_number}, column population: not a whole number")
            continue
        if population < 0:
            problems.append(f"row {row_number}, column population: negative")
            continue
        figures.setdefault(variable, {})[category] = population
        if (row.get("checked") or "").strip().startswith("recheck"):
            to_recheck.setdefault(variable, []).append(category)
    if problems:
        raise ProfileError(
            "baseline file has problems: " + "; ".join(problems[:10]),
            hint="fix the rows named and rerun the profile stage",
            path=shown,
        )
    return Baseline(name, notes, figures, path, to_recheck)


def ethnic_group_population(baseline: Baseline) -> dict[str, int]:
    """Population by ONS high-level group label (from 19 categories, or 5 groups if given)."""
    if "ethnicity_5" in baseline.figures:
        return {codes.ONS_GROUPS[k]: v for k, v in baseline.figures["ethnicity_5"].items()}
    out: dict[str, int] = {}
    for code, n in baseline.figures.get("ethnicity_19", {}).items():
        label = codes.ONS_GROUPS[codes.ONS_19[code][1]]
        out[label] = out.get(label, 0) + n
    return out


def rate_ratios(
    table_id: str, observed: TidyTable, breakdown: str, population: dict[str, int]
) -> list[Statistic]:
    """Rate ratios of one breakdown of a tidy table against population counts by label.

    Only categories the baseline covers are compared; shares on both sides are of the
    categories covered, so a baseline that leaves some out still compares like with like.
    """
    covered = [c for c in observed.categories if c in population]
    recorded = sum(observed.count(breakdown, c) for c in covered)
    pop_total = sum(population[c] for c in covered)
    denominator = observed.denominators.get(breakdown, 0)
    stats: list[Statistic] = []
    not_covered = denominator - recorded
    low, high = wilson_interval([not_covered], [denominator])
    stats.append(
        Statistic(
            table_id,
            ALL,
            "pct_not_recorded",
            100.0 * not_covered / denominator if denominator else None,
            denominator,
            100.0 * low[0],
            100.0 * high[0],
        )
    )
    stats.append(Statistic(table_id, ALL, "n_recorded", float(recorded), recorded))
    if len(covered) < MIN_COVERED or pop_total == 0:
        return stats
    counts = [observed.count(breakdown, c) for c in covered]
    lower, upper = wilson_interval(counts, [recorded] * len(covered))
    for i, category in enumerate(covered):
        share = population[category] / pop_total
        k = counts[i]
        p = k / recorded if recorded else None
        stats += [
            Statistic(
                table_id,
                category,
                "pct_of_recorded",
                100.0 * p if p is not None else None,
                k,
                100.0 * lower[i],
                100.0 * upper[i],
            ),
            Statistic(table_id, category, "population_pct", 100.0 * share, None),
            Statistic(
                table_id,
                category,
                "rate_ratio",
                p / share if p is not None and share > 0 else None,
                k,
                lower[i] / share if share > 0 else None,
                upper[i] / share if share > 0 else None,
            ),
        ]
    return stats


def compare_within(
    table_id: str, observed: TidyTable, breakdown: str, comparison: str
) -> list[Statistic]:
    """Rate ratios of one breakdown against another of the same table (e.g. groups vs lone).

    For category c: (k1 / n1) / (k2 / n2), where n1 and n2 count recorded values only; the
    95% interval is the score interval for a ratio of two independent proportions
    (``statsmodels.stats.proportion.confint_proportions_2indep``).
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    stats: list[Statistic] = []
    for which, name in ((breakdown, ""), (comparison, "_comparison")):
        den = observed.denominators.get(which, 0)
        missing = den - observed.recorded(which)
        low, high = wilson_interval([missing], [den])
        stats.append(
            Statistic(
                table_id,
                ALL,
                f"pct_not_recorded{name}",
                100.0 * missing / den if den else None,
                den,
                100.0 * low[0],
                100.0 * high[0],
            )
        )
    n1, n2 = observed.recorded(breakdown), observed.recorded(comparison)
    known = [
        c for c in observed.categories if c != NOT_RECORDED and c not in observed.unknown_categories
    ]
    for category in known:
        k1, k2 = observed.count(breakdown, category), observed.count(comparison, category)
        ratio = lower = upper = None
        if n1 and n2 and k2:
            ratio = (k1 / n1) / (k2 / n2)
        if n1 and n2 and (k1 or k2):
            with np.errstate(divide="ignore", invalid="ignore"):
                low_r, high_r = confint_proportions_2indep(
                    k1, n1, k2, n2, compare="ratio", method="score"
                )
            lower, upper = _real(low_r), _real(high_r)
        stats += [
            Statistic(table_id, category, "pct_of_recorded", 100 * k1 / n1 if n1 else None, k1),
            Statistic(
                table_id,
                category,
                "pct_of_recorded_comparison",
                100 * k2 / n2 if n2 else None,
                k2,
            ),
            Statistic(table_id, category, "rate_ratio", ratio, k1, lower, upper),
        ]
    return stats


def _real(value: complex) -> float | None:
    """A bound from statsmodels, or None where its root-finding left the real line."""
    z = complex(value)
    return z.real if abs(z.imag) < 1e-9 else None


# each comparison with the population baseline: its table, the table it compares and the
# column of it compared
CENSUS_COMPARISONS: tuple[tuple[str, str, str], ...] = (
    ("baseline_offenders_ethnicity", "offenders_ethnicity_5", "In a group"),
    ("baseline_victims_ethnicity", "victims_ethnicity_5", "Group-based"),
    ("baseline_offenders_age", "offenders_age_band", "In a group"),
    ("baseline_victims_age", "victims_age_band", "Group-based"),
)
# each comparison within the data: its table, the table and the two columns it compares
WITHIN_COMPARISONS: tuple[tuple[str, str, str, str], ...] = (
    ("baseline_offenders_ethnicity_lone", "offenders_ethnicity_5", "In a group", "Alone"),
    ("baseline_victims_ethnicity_other", "victims_ethnicity_5", "Group-based",
     "Not group-based"),
)  # fmt: skip


def compared_columns() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each comparison table's source table and the columns of it its statistics are worked
    from: shares and counts of those columns, which give their cells back (disclosure control
    withholds the statistics with any of them)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {
        t: (source, (b,)) for t, source, b in CENSUS_COMPARISONS
    }
    for t, source, b, other in WITHIN_COMPARISONS:
        out[t] = (source, (b, other))
    return out


def baseline_statistics(
    baseline: Baseline, tables: dict[str, TidyTable]
) -> tuple[list[Statistic], dict[str, list[str]]]:
    """Rate ratios for offenders in groups and group-based victims, by ethnicity and age.

    Returns the statistics and notes by table id: for each comparison made, any category the
    baseline has no figure for (left out of the comparison); for a comparison not made (fewer
    than ``MIN_COVERED`` categories with a figure), the reason, on the table it would compare.
    """
    stats: list[Statistic] = []
    made: dict[str, list[str]] = {}
    ethnic = ethnic_group_population(baseline)
    ages = baseline.figures.get("age_band", {})
    plan = [
        (table_id, source_id, breakdown, ethnic if "ethnicity" in source_id else ages)
        for table_id, source_id, breakdown in CENSUS_COMPARISONS
    ]
    for table_id, source_id, breakdown, comparison in WITHIN_COMPARISONS:
        if source_id in tables:
            stats += compare_within(table_id, tables[source_id], breakdown, comparison)
            made[table_id] = []
    for table_id, source_id, breakdown, population in plan:
        if population and source_id in tables:
            observed = tables[source_id]
            covered = [c for c in observed.categories if c in population]
            if len(covered) < MIN_COVERED:
                # no comparison table; the reason goes on the table it would have compared
                made.setdefault(source_id, []).append(
                    f"No comparison with the population baseline ({table_id}): the baseline "
                    f"has a figure for {len(covered)} of this table's categories"
                    + (f" ({', '.join(covered)})" if covered else "")
                    + f", and at least {MIN_COVERED} are needed. Supply a baseline with "
                    "figures for these categories (profile.baseline_file)."
                )
                continue
            stats += rate_ratios(table_id, observed, breakdown, population)
            left_out = [
                c
                for c in observed.categories
                if c not in population
                and c != NOT_RECORDED
                and c not in observed.unknown_categories
                and observed.count(breakdown, c)
            ]
            made[table_id] = (
                [f"The baseline has no figure for {', '.join(left_out)}; left out of the "
                 "comparison and counted with the values not recorded."]
                if left_out
                else []
            )  # fmt: skip
    return stats, made
