"""Disclosure control of ``statistics.parquet`` (medians, quartiles, rate ratios).

A statistic about fewer than ``statistic_threshold`` people is withheld with its interval
(a median of very few people is close to one person's value). The number of people behind
a statistic, ``n``, is itself a count, and a statistic is often worked from it (a rate ratio
is a count over a total): wherever ``n`` equals a figure withheld in the tables of the same
margin group, the whole statistic is withheld, since it could give that figure back.
Statistics are also read together, and withheld with one another where a reader could work
one out from the rest (:mod:`gbo.disclosure.statistics_relations`). A table may name the
figure its statistics' ``n`` counts (``statistics_n_is``) or the columns its statistics are
worked from (``statistics_of``, the comparisons with a baseline): they are withheld with
that figure, or with any figure of those columns. A shown ``n`` is rounded like every other count. A
statistic with no ``n`` rests on no one in the records (a census share of the population,
say) and is shown, its ``n`` as ``[z]``, unless it is a summary of people's values (a
median, mean, quartile, percentile, minimum or maximum, recognised by its name wherever it
comes from): without ``n`` such a statistic cannot be shown to rest on enough people, so it
is withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.cells import CellRef, margin_group
from gbo.disclosure.linear_system import LinearSystem
from gbo.disclosure.quantile_control import SUMMARIES, columns_of, quantile_risks
from gbo.disclosure.rounding import round_counts
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import SuppressionState
from gbo.disclosure.statistic_figures import figure_table_id
from gbo.disclosure.statistics_relations import (
    breakdown_complements,
    counts_of_people,
    declared_ranges,
    declared_sums,
    differenced_statistics,
    is_summary_of_people,
    mean_of_all_complements,
    number,
    range_complements,
    same_statistic_complements,
    sum_complements,
)
from gbo.disclosure.symbols import CONFIDENTIAL, NOT_APPLICABLE, NOT_AVAILABLE, format_count

LOG_COLUMNS = ("table_id", "breakdown", "category", "figure", "rule", "reason")
COMPLEMENT_REASONS = {
    "statistic_sum": "one of statistics that add up to one another (or to a withheld mean's "
    "total), one of them withheld: it would come back as the others' difference",
    "statistic_same": "the same statistic of the same people as one withheld in another table",
    "statistic_mean_of_parts": "the mean of All, with the same mean withheld in another "
    "breakdown: it would bound that breakdown's sum of values",
    "statistic_range_of": "a range whose end is a statistic withheld in another row: it would "
    "show it",
}


def format_statistic(value: float) -> str:
    """Up to two decimal places, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _withheld_columns(system: LinearSystem, state: SuppressionState) -> set[tuple[str, str]]:
    """(table, breakdown) of every column with a withheld count or total."""
    out: set[tuple[str, str]] = set()
    for q in np.flatnonzero(state.hidden()).tolist():
        for ref in system.refs[q]:
            out.add((ref.table_id, ref.breakdown))
    return out


def _source_withheld(
    row: Any, metadata: Mapping[str, Mapping[str, Any]], withheld: set[tuple[str, str]]
) -> bool:
    """Whether the statistic is worked from columns of a table (``statistics_of``: ``[table,
    [breakdown, ...]]``, the comparisons with a baseline) that hold a withheld figure. Its
    shares of those recorded, counts recorded and rate ratios at full precision give the
    columns' cells back, so it is shown only with every cell of them."""
    named = (metadata.get(str(row.table_id)) or {}).get("statistics_of")
    if not named or number(row.n) is None:
        return False  # a census share with no n rests on no one in the records
    table, columns = named
    return any((str(table), str(b)) in withheld for b in columns)


def _worked_from_rounded(row: Any, metadata: Mapping[str, Mapping[str, Any]], base: int) -> bool:
    """Whether, with counts rounded, the statistic is worked from a table's true cells
    (``statistics_of``) and rests on people: shares of those recorded of both populations,
    read with the table's additivity, undid the rounding of the cells exactly (the sixth
    red team of stop 61 pinned a shown 50 to its true 47)."""
    named = (metadata.get(str(row.table_id)) or {}).get("statistics_of")
    return base > 1 and bool(named) and number(row.n) is not None


def _n_is_withheld_figure(
    row: Any,
    metadata: Mapping[str, Mapping[str, Any]],
    system: LinearSystem,
    state: SuppressionState,
) -> bool:
    """Whether the statistic's ``n`` is, by its table's definition, a figure of another table
    (``statistics_n_is``: ``[table, category]``, in the same breakdown) that is withheld."""
    named = (metadata.get(str(row.table_id)) or {}).get("statistics_n_is")
    n = number(row.n)
    if not named or n is None:
        return False
    q = system.ref_index.get(CellRef(str(named[0]), str(row.breakdown), str(named[1])))
    return q is not None and state.is_hidden(q) and int(system.values[q]) == int(n)


def _counted_figures(
    metadata: Mapping[str, Mapping[str, Any]], system: LinearSystem
) -> dict[tuple[str, str], dict[str, int]]:
    """(table, breakdown) -> statistic -> quantity of each count of people controlled as a
    figure of the system (``statistics_figures``, :mod:`gbo.disclosure.statistic_figures`)."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for table_id, meta in metadata.items():
        spec = meta.get("statistics_figures")
        if not spec:
            continue
        for breakdown in spec["breakdowns"]:
            for statistic in spec["statistics"]:
                ref = CellRef(figure_table_id(str(table_id)), str(breakdown), str(statistic))
                q = system.ref_index.get(ref)
                if q is not None:
                    out.setdefault((str(table_id), str(breakdown)), {})[str(statistic)] = q
    return out


def _counted_figure_withheld(
    row: Any,
    counted: Mapping[tuple[str, str], Mapping[str, int]],
    system: LinearSystem,
    state: SuppressionState,
) -> bool:
    """Whether the statistic is a counted figure that is withheld, or rests on as many
    people as a withheld count of its row (a median's ``n`` is the identified victims of
    its row)."""
    n = number(row.n)
    for statistic, q in counted.get((str(row.table_id), str(row.breakdown)), {}).items():
        if not state.is_hidden(q):
            continue
        if statistic == str(row.statistic):
            return True
        if n is not None and int(system.values[q]) == int(n):
            return True
    return False


def control_statistics(
    stats: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    system: LinearSystem,
    state: SuppressionState,
    settings: DisclosureSettings,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The published statistics and the log rows of what was withheld."""
    out = stats.copy()
    log: list[dict[str, Any]] = []
    hidden_values: dict[str, set[int]] = {}
    for q in np.flatnonzero(state.hidden()).tolist():
        # a figure published in tables of several populations is withheld in each of them
        for ref in system.refs[q]:
            ref_group = margin_group(ref.table_id, metadata.get(ref.table_id))
            hidden_values.setdefault(ref_group, set()).add(int(system.values[q]))
    every_hidden = set().union(*hidden_values.values()) if hidden_values else set()
    minimum = settings.min_statistic_n
    base = settings.rounding_base
    values: list[float | None] = []
    value_texts: list[str] = []
    ns: list[int | None] = []
    n_texts: list[str] = []
    lows: list[tuple[float | None, str]] = []
    highs: list[tuple[float | None, str]] = []
    suppression: list[str | None] = []
    totals: dict[tuple[str | None, str], set[int]] = {}
    for q in range(len(system.values)):
        if state.is_hidden(q):
            continue
        for ref in system.refs[q]:
            if ref.category is None:
                ref_group = margin_group(ref.table_id, metadata.get(ref.table_id))
                totals.setdefault((ref_group, ref.breakdown), set()).add(int(system.values[q]))
    groups = {
        str(t): (margin_group(str(t), metadata[str(t)]) if str(t) in metadata else None)
        for t in out["table_id"].unique()
    }
    withheld_columns = _withheld_columns(system, state)
    counted = _counted_figures(metadata, system)
    primary: set[int] = set()
    for i, row in enumerate(out.itertuples(index=False)):
        n_value = number(row.n)
        summary = is_summary_of_people(str(row.statistic))
        if (
            _n_is_withheld_figure(row, metadata, system, state)
            or _counted_figure_withheld(row, counted, system, state)
            or _source_withheld(row, metadata, withheld_columns)
            or _worked_from_rounded(row, metadata, base)
            or (n_value is not None and n_value < minimum)
            or (n_value is None and number(row.value) is not None and summary)
            or n_value is not None
            and int(n_value)
            in (
                hidden_values.get(groups[str(row.table_id)] or "", set())
                if groups[str(row.table_id)] is not None
                else every_hidden
            )
        ):
            primary.add(i)
    hidden_by_group: dict[str | None, set[int]] = {g: set(v) for g, v in hidden_values.items()}
    hidden_by_group[None] = every_hidden
    quantile_keys = {
        (str(r.table_id), str(r.breakdown))
        for r in out.itertuples(index=False)
        if str(r.statistic) in SUMMARIES
    }
    narrowing = quantile_risks(out, columns_of(system, state, quantile_keys), metadata)
    # withheld statistics protected against differencing and against All less the other
    # breakdowns, together, until neither adds any
    differenced: set[int] = set()
    shown_counts = {
        key: {int(system.values[q]) for q in figures.values() if not state.is_hidden(q)}
        for key, figures in counted.items()
    }
    people_counts = counts_of_people(out)
    sums = declared_sums(out, metadata)
    ranges = declared_ranges(out, metadata)
    # the statistics each rule of its own withholds, for the log (the rest: differencing)
    complements: dict[str, Callable[[set[int]], set[int]]] = {
        "statistic_sum": lambda gone: sum_complements(out, gone, sums),
        "statistic_mean_of_parts": lambda gone: mean_of_all_complements(out, gone),
        "statistic_same": lambda gone: same_statistic_complements(out, gone),
        "statistic_range_of": lambda gone: range_complements(gone, ranges),
    }
    by_rule: dict[str, set[int]] = {rule: set() for rule in complements}
    while True:
        settled = primary | narrowing | differenced
        found = differenced_statistics(
            out, settled, hidden_by_group, totals, groups, settings.threshold, shown_counts
        )
        found |= breakdown_complements(out, settled | found)
        for rule, complement in complements.items():
            added = complement(settled | found)
            by_rule[rule] |= added - settled - found
            found |= added
        if found <= differenced:
            break
        differenced |= found
    for position, row in enumerate(out.itertuples(index=False)):
        table_id = str(row.table_id)
        meta = metadata.get(table_id)
        value = number(row.value)
        n_number = number(row.n)
        n = None if n_number is None else int(n_number)
        low, high = number(getattr(row, "ci_lower", None)), number(getattr(row, "ci_upper", None))

        def shown(number: float | None) -> tuple[float | None, str]:
            return (None, NOT_AVAILABLE) if number is None else (number, format_statistic(number))

        group = margin_group(table_id, meta) if meta is not None else None
        hidden_here = hidden_values.get(group, set()) if group is not None else every_hidden
        withheld: tuple[str, str, str] | None = None
        if n is not None and n < minimum:
            withheld = ("statistic_threshold", f"describes fewer than {minimum} people", "primary")
        elif n is None and value is not None and is_summary_of_people(str(row.statistic)):
            # a median or mean is a summary of people's values: without n it cannot be
            # shown to rest on enough of them
            withheld = ("statistic_threshold", "a summary statistic without n", "primary")
        elif _worked_from_rounded(row, metadata, base):
            withheld = (
                "statistic_rounding",
                "worked from the true counts of a table whose counts are rounded, it would undo "
                "the rounding",
                "secondary",
            )
        elif _source_withheld(row, metadata, withheld_columns):
            withheld = (
                "statistic_source_withheld",
                "worked from a table column with a withheld figure, it would give it back",
                "secondary",
            )
        elif _counted_figure_withheld(row, counted, system, state):
            withheld = (
                "statistic_counted",
                "a count of people withheld by the tables' control, or a statistic of as many "
                "people as one",
                "secondary",
            )
        elif (n is not None and n in hidden_here) or _n_is_withheld_figure(
            row, metadata, system, state
        ):
            withheld = (
                "statistic_n_hidden",
                "rests on as many people as a count withheld in the tables",
                "secondary",
            )
        elif position in narrowing:
            withheld = (
                "statistic_quantile",
                "with its table's shown cells, the quantile would narrow a withheld count",
                "secondary",
            )
        elif complemented := next((r for r, found in by_rule.items() if position in found), None):
            withheld = (complemented, COMPLEMENT_REASONS[complemented], "secondary")
        elif position in differenced:
            withheld = (
                "statistic_differencing",
                "with the counts shown beside it, it would give a small or withheld count "
                "by subtraction",
                "secondary",
            )
        if withheld is not None:
            rule, reason, kind = withheld
            log.append(_log(row, "statistic", rule, reason))
            values.append(None)
            value_texts.append(CONFIDENTIAL)
            ns.append(None)
            n_texts.append(CONFIDENTIAL)
            lows.append((None, CONFIDENTIAL))
            highs.append((None, CONFIDENTIAL))
            suppression.append(kind)
            continue
        if base > 1 and (table_id, str(row.statistic)) in people_counts:
            # a count of people (the victims, the identified) is rounded like every count,
            # and so are the ends of its range
            value, low, high = (
                None if x is None else float(round_counts(np.array([round(x)]), base)[0])
                for x in (value, low, high)
            )
        elif base > 1 and n is not None and value is not None:
            # with counts rounded, a statistic's fraction would give its n back (a mean
            # times the true n is whole; a quartile's fraction is fixed by n): whole
            # numbers only, the ends of its interval or range too (the seventh red team of
            # stop 62 read 5 of 376 and 5 of 374 off a range's ends at full precision)
            value, low, high = (None if x is None else float(round(x)) for x in (value, low, high))
        values.append(value)
        value_texts.append(shown(value)[1])
        lows.append(shown(low))
        highs.append(shown(high))
        suppression.append(None)
        if n is None:
            # no one in the records behind it (e.g. a census share of the population)
            ns.append(None)
            n_texts.append(NOT_APPLICABLE)
        else:
            rounded = int(round_counts(np.array([n]), base)[0])
            ns.append(rounded)
            n_texts.append(format_count(rounded))
    out["value"] = pd.array(values, dtype="Float64")
    out["value_display"] = pd.array(value_texts, dtype="string")
    out["n"] = pd.array(ns, dtype="Int64")
    out["n_display"] = pd.array(n_texts, dtype="string")
    out["ci_lower"] = pd.array([v for v, _ in lows], dtype="Float64")
    out["ci_lower_display"] = pd.array([t for _, t in lows], dtype="string")
    out["ci_upper"] = pd.array([v for v, _ in highs], dtype="Float64")
    out["ci_upper_display"] = pd.array([t for _, t in highs], dtype="string")
    out["suppression"] = pd.array(suppression, dtype="string")
    return out, log


def _log(row: Any, figure: str, rule: str, reason: str) -> dict[str, Any]:
    return {
        "table_id": str(row.table_id),
        "breakdown": str(row.breakdown),
        "category": str(row.statistic),
        "figure": figure,
        "rule": rule,
        "reason": reason,
    }
