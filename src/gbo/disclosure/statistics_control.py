"""Disclosure control of ``statistics.parquet`` (medians, quartiles, rate ratios).

A statistic about fewer than ``statistic_threshold`` people is withheld with its interval
(a median of very few people is close to one person's value). The number of people behind
a statistic, ``n``, is itself a count, and a statistic is often worked from it (a rate ratio
is a count over a total): wherever ``n`` equals a figure withheld in the tables of the same
margin group, the whole statistic is withheld, since it could give that figure back.
Statistics are also read together (:func:`differenced_statistics`): counts of nested groups
of people published side by side (victims, identified, identified after contacts) and the
``n`` behind each median must not differ by a small or withheld count, nor from the shown
total of the table column they describe, and a percentage times its ``n`` must not be one;
and a statistic of one breakdown is never withheld alone where the breakdowns split All
(:func:`breakdown_complements`), nor one of statistics declared to add up to one another
(``statistics_sums``, :func:`sum_complements`), and All's mean is withheld with any
other breakdown's (:func:`mean_of_all_complements`), and a summary published twice is
withheld in both places (:func:`same_statistic_complements`). A table may name the figure
its statistics' ``n`` counts (``statistics_n_is``) or the columns its statistics are worked from
(``statistics_of``, the comparisons with a baseline): they are withheld with that figure, or
with any figure of those columns. A shown ``n`` is rounded like every other count. A
statistic with no ``n`` rests on no one in the records (a census share of the population,
say) and is shown, its ``n`` as ``[z]``, unless it is a summary of people's values (a
median, mean, quartile, percentile, minimum or maximum, recognised by its name wherever it
comes from): without ``n`` such a statistic cannot be shown to rest on enough people, so it
is withheld.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.cells import CellRef, margin_group
from gbo.disclosure.linear_system import ALL, LinearSystem
from gbo.disclosure.quantile_control import SUMMARIES, columns_of, quantile_risks
from gbo.disclosure.rounding import round_counts
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import SuppressionState
from gbo.disclosure.symbols import CONFIDENTIAL, NOT_APPLICABLE, NOT_AVAILABLE, format_count

LOG_COLUMNS = ("table_id", "breakdown", "category", "figure", "rule", "reason")
# statistics that summarise the values of the people counted (any table, any stage): they
# must carry n, and are withheld on fewer than the statistic threshold
SUMMARY_STATISTIC = re.compile(
    r"(^|_)(median|mean|average|quartile|q1|q3|p\d{1,2}|percentile|min|max|minimum|maximum|iqr)(_|$)"
)


# a mean times its n is the sum of the people's values
MEAN_STATISTIC = re.compile(r"(^|_)(mean|average)(_|$)")


def is_summary_of_people(statistic: str) -> bool:
    return SUMMARY_STATISTIC.search(statistic.lower()) is not None


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def format_statistic(value: float) -> str:
    """Up to two decimal places, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# statistics whose value is not a count of people: shares, rates and summaries of values
NOT_A_COUNT = re.compile(r"(^|_)(pct|share|rate|ratio|per|days|age|years)(_|$)")


def _counts_of_people(stats: pd.DataFrame) -> set[tuple[str, str]]:
    """(table, statistic) pairs whose value is a count of people: somewhere in the table
    the value is its own n ("identified": 731 people, n 731), unlike a count of contacts."""
    out: set[tuple[str, str]] = set()
    for row in stats.itertuples(index=False):
        value, n = _number(row.value), _number(row.n)
        statistic = str(row.statistic)
        counts_itself = value is not None and n is not None and value == n
        named_as_count = NOT_A_COUNT.search(statistic) is None
        if counts_itself and named_as_count and not is_summary_of_people(statistic):
            out.add((str(row.table_id), statistic))
    return out


def _count_like(row: Any, people: set[tuple[str, str]]) -> list[int]:
    """The counts of people a statistic row publishes: its n, and its value (and interval
    ends) when the statistic is itself a count of people ("identified", "victims")."""
    out: list[int] = []
    n = _number(row.n)
    if n is not None:
        out.append(int(n))
    if (str(row.table_id), str(row.statistic)) in people:
        for value in (row.value, getattr(row, "ci_lower", None), getattr(row, "ci_upper", None)):
            number = _number(value)
            if number is not None and float(number).is_integer():
                out.append(int(number))
    return out


def differenced_statistics(
    stats: pd.DataFrame,
    withheld: set[int],
    hidden: Mapping[str | None, set[int]],
    totals: Mapping[tuple[str | None, str], set[int]],
    groups: Mapping[str, str | None],
    threshold: int,
) -> set[int]:
    """Positions of statistics that, shown, would let a reader work out a small or withheld
    count by subtraction.

    Statistics of one table and breakdown often count nested groups of the same people
    (victims, identified, identified after contacts), and their ``n`` is the size of the
    group each describes. Two shown counts that differ by 1 to k - 1 give that small group
    away, whether in two rows or in one (a range row's two ends); a difference equal to a
    withheld count gives the withheld count back (a count no shown statistic of the table
    gives: a withheld mean's n is no secret beside quartiles of the same people); so does
    an ``n`` within k - 1 of the shown total of the table column with the same breakdown,
    and a percentage whose value times ``n`` is such a count. ``withheld`` holds the
    positions already withheld; the positions added are withheld until nothing changes.
    """
    out: set[int] = set()
    rows = list(stats.itertuples(index=False))
    people = _counts_of_people(stats)
    counts = [_count_like(r, people) for r in rows]
    by_block: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        by_block.setdefault((str(r.table_id), str(r.breakdown)), []).append(i)

    def gone(i: int) -> bool:
        return i in withheld or i in out

    changed = True
    while changed:
        changed = False
        withheld_values: dict[str, set[int]] = {}
        shown_values: dict[str, set[int]] = {}
        for i, r in enumerate(rows):
            into = withheld_values if gone(i) else shown_values
            into.setdefault(str(r.table_id), set()).update(counts[i])
        for table_id, values in withheld_values.items():
            # a withheld mean's n is no secret where its quartiles show the same n
            values -= shown_values.get(table_id, set())
        for (table_id, breakdown), members in by_block.items():
            group = groups.get(table_id)
            secret = withheld_values.get(table_id, set()) | set(hidden.get(group, set()))
            column_totals = totals.get((group, breakdown), set())
            for i in members:
                if gone(i):
                    continue
                others = {v for j in members if j != i and not gone(j) for v in counts[j]}
                others |= column_totals | {0}
                row = rows[i]
                implied: list[int] = []
                value, n = _number(row.value), _number(row.n)
                statistic = str(row.statistic).lower()
                if statistic.startswith("pct") and value is not None and n is not None:
                    part = value * n / 100
                    if abs(part - round(part)) < 1e-6:  # a share of n: it gives its count
                        implied.append(round(part))
                # a row's own counts are read together too: a range from the configured
                # figure to another computation's (145 to 146) gives their difference
                own = counts[i]
                risky = any(
                    (0 < abs(a - b) < threshold or (a != b and abs(a - b) in secret))
                    for a in own
                    for b in others | set(own)
                ) or any((0 < m < threshold) or m in secret for m in implied)
                if risky:
                    out.add(i)
                    changed = True
    return out


def _partitions(rows: list[Any]) -> dict[tuple[str, str], list[int]]:
    """(table, statistic) -> positions of its rows, All first, where the table's other
    breakdowns split All's people: their ``n`` add up to All's."""
    family: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for i, r in enumerate(rows):
        if _number(r.n) is not None:
            family[(str(r.table_id), str(r.statistic))][str(r.breakdown)] = i
    out: dict[tuple[str, str], list[int]] = {}
    for key, by_breakdown in family.items():
        parts = [i for b, i in by_breakdown.items() if b != ALL]
        if ALL not in by_breakdown or len(parts) < 2:
            continue
        whole = by_breakdown[ALL]
        if int(_number(rows[whole].n) or 0) == sum(int(_number(rows[i].n) or 0) for i in parts):
            out[key] = [whole, *parts]
    return out


def breakdown_complements(stats: pd.DataFrame, withheld: set[int]) -> set[int]:
    """Positions to withhold so that no statistic of a breakdown can be worked out from the
    other breakdowns of its table.

    Where a table's breakdowns split its ``All`` people, their ``n`` add up to All's, and so
    do ``n`` times their means (sums of whole values). One breakdown withheld alone comes
    back as All less the others: its ``n`` (a count, perhaps one the tables withhold) and
    its mean. So the same statistic of a second breakdown is withheld with it, the one with
    the fewest people; where the first breakdown's ``n`` is shown by none of its statistics,
    every statistic of the second that gives its ``n`` is withheld too.
    """
    rows = list(stats.itertuples(index=False))
    by_block: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_block[(str(r.table_id), str(r.breakdown))].append(i)

    def same_n(i: int) -> list[int]:
        """The statistics of i's breakdown that give the same n as i."""
        r = rows[i]
        block = by_block[(str(r.table_id), str(r.breakdown))]
        return [j for j in block if _number(rows[j].n) == _number(r.n)]

    families = _partitions(rows)
    gone = set(withheld)
    changed = True
    while changed:
        changed = False
        for members in families.values():
            # the statistic itself withheld in one breakdown; or its n, given by none of
            # that breakdown's statistics
            for by_n, unknown in (
                (False, [i in gone for i in members]),
                (True, [all(j in gone for j in same_n(i)) for i in members]),
            ):
                if sum(unknown) != 1:
                    continue
                shown = [i for i, u in zip(members[1:], unknown[1:], strict=True) if not u]
                if shown:
                    pick = min(shown, key=lambda i: (_number(rows[i].n) or 0, i))
                    gone |= set(same_n(pick)) if by_n else {pick}
                    changed = True
    return gone - withheld


def means_of_all(stats: pd.DataFrame) -> list[tuple[int, list[int]]]:
    """(All's position, the other breakdowns' positions) of each mean of a table with an
    All breakdown."""
    family: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for i, r in enumerate(stats.itertuples(index=False)):
        if MEAN_STATISTIC.search(str(r.statistic).lower()):
            family[(str(r.table_id), str(r.statistic))][str(r.breakdown)] = i
    return [
        (by_breakdown[ALL], [i for b, i in by_breakdown.items() if b != ALL])
        for by_breakdown in family.values()
        if ALL in by_breakdown and len(by_breakdown) > 1
    ]


def mean_of_all_complements(stats: pd.DataFrame, withheld: set[int]) -> set[int]:
    """Positions of All's means to withhold because the same mean of another breakdown is.

    The values a mean sums are never negative, so All's mean times its n is at least the
    sum of any breakdowns' values, whether or not the breakdowns split All. Shown beside a
    withheld breakdown's mean, it bounds that breakdown's sum from above, and a bounded sum
    bounds the people in the upper bands of its banded table: the second red team of stop
    60 read the never-identified victims with 10 or more contacts as 0 to 6 at k = 10 from
    the known victims' mean less the identified victims' earlier contacts."""
    return {
        whole
        for whole, parts in means_of_all(stats)
        if whole not in withheld and any(i in withheld for i in parts)
    }


def same_statistic_complements(stats: pd.DataFrame, withheld: set[int]) -> set[int]:
    """Positions of summaries of people's values that are, to full precision and over as many
    people, another one withheld: the same measure published twice (the identified victims'
    days known and their time to identification; the sensitivity table's median of earlier
    contacts and the table's own, found by the fifth red team of stop 61) is one figure,
    withheld everywhere or nowhere. A coincidence of value and n only withholds more."""
    groups: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, r in enumerate(stats.itertuples(index=False)):
        value, n = _number(r.value), _number(r.n)
        if value is not None and n is not None and is_summary_of_people(str(r.statistic)):
            groups[(round(value, 9), n)].append(i)
    return {
        i
        for members in groups.values()
        if any(m in withheld for m in members)
        for i in members
        if i not in withheld
    }


def declared_sums(
    stats: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]]
) -> list[tuple[list[int], int | None]]:
    """Positions of the statistics that add up to one another (``statistics_sums``: the
    statistic and its members as ``[table, breakdown]``, e.g. an agency's contacts and those
    of the contact types only it records), each sum's members present in ``stats``; with the
    position of the mean whose total (times its n) the members add up to (``total_of``:
    ``[table, breakdown, statistic]``), or None."""
    where = {
        (str(r.table_id), str(r.breakdown), str(r.statistic)): i
        for i, r in enumerate(stats.itertuples(index=False))
    }
    out: list[tuple[list[int], int | None]] = []
    for meta in metadata.values():
        for entry in meta.get("statistics_sums") or []:
            keys = [(str(t), str(b), str(entry["statistic"])) for t, b in entry["members"]]
            total = entry.get("total_of")
            mean = where.get((str(total[0]), str(total[1]), str(total[2]))) if total else None
            if all(k in where for k in keys) and (total is None or mean is not None):
                out.append(([where[k] for k in keys], mean))
    return out


def sum_complements(
    stats: pd.DataFrame, withheld: set[int], sums: list[tuple[list[int], int | None]]
) -> set[int]:
    """Positions to withhold so that no statistic of a declared sum is withheld alone (the
    others would give it back), and no sum of a withheld mean's total is all shown: the
    shown member about the fewest people is withheld too."""
    gone = set(withheld)
    people = stats["n"].tolist()
    for members, mean in sums:
        shown = [i for i in members if i not in gone]
        alone = (
            len(shown) == len(members) - 1 if mean is None else mean in gone and shown == members
        )
        if alone and shown:
            gone.add(min(shown, key=lambda i: (_number(people[i]) or 0, i)))
    return gone - withheld


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
    if not named or _number(row.n) is None:
        return False  # a census share with no n rests on no one in the records
    table, columns = named
    return any((str(table), str(b)) in withheld for b in columns)


def _worked_from_rounded(row: Any, metadata: Mapping[str, Mapping[str, Any]], base: int) -> bool:
    """Whether, with counts rounded, the statistic is worked from a table's true cells
    (``statistics_of``) and rests on people: shares of those recorded of both populations,
    read with the table's additivity, undid the rounding of the cells exactly (the sixth
    red team of stop 61 pinned a shown 50 to its true 47)."""
    named = (metadata.get(str(row.table_id)) or {}).get("statistics_of")
    return base > 1 and bool(named) and _number(row.n) is not None


def _n_is_withheld_figure(
    row: Any,
    metadata: Mapping[str, Mapping[str, Any]],
    system: LinearSystem,
    state: SuppressionState,
) -> bool:
    """Whether the statistic's ``n`` is, by its table's definition, a figure of another table
    (``statistics_n_is``: ``[table, category]``, in the same breakdown) that is withheld."""
    named = (metadata.get(str(row.table_id)) or {}).get("statistics_n_is")
    n = _number(row.n)
    if not named or n is None:
        return False
    q = system.ref_index.get(CellRef(str(named[0]), str(row.breakdown), str(named[1])))
    return q is not None and state.is_hidden(q) and int(system.values[q]) == int(n)


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
    primary: set[int] = set()
    for i, row in enumerate(out.itertuples(index=False)):
        n_value = _number(row.n)
        summary = is_summary_of_people(str(row.statistic))
        if (
            _n_is_withheld_figure(row, metadata, system, state)
            or _source_withheld(row, metadata, withheld_columns)
            or _worked_from_rounded(row, metadata, base)
            or (n_value is not None and n_value < minimum)
            or (n_value is None and _number(row.value) is not None and summary)
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
    counts_of_people = _counts_of_people(out)
    sums = declared_sums(out, metadata)
    summed: set[int] = set()
    of_parts: set[int] = set()
    same: set[int] = set()
    while True:
        settled = primary | narrowing | differenced
        found = differenced_statistics(
            out, settled, hidden_by_group, totals, groups, settings.threshold
        )
        found |= breakdown_complements(out, settled | found)
        by_sum = sum_complements(out, settled | found, sums)
        summed |= by_sum - settled - found
        found |= by_sum
        by_parts = mean_of_all_complements(out, settled | found)
        of_parts |= by_parts - settled - found
        found |= by_parts
        by_same = same_statistic_complements(out, settled | found)
        same |= by_same - settled - found
        found |= by_same
        if found <= differenced:
            break
        differenced |= found
    for position, row in enumerate(out.itertuples(index=False)):
        table_id = str(row.table_id)
        meta = metadata.get(table_id)
        value = _number(row.value)
        n_number = _number(row.n)
        n = None if n_number is None else int(n_number)
        low, high = _number(getattr(row, "ci_lower", None)), _number(getattr(row, "ci_upper", None))

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
        elif position in summed:
            withheld = (
                "statistic_sum",
                "one of statistics that add up to one another (or to a withheld mean's "
                "total), one of them withheld: it would come back as the others' difference",
                "secondary",
            )
        elif position in same:
            withheld = (
                "statistic_same",
                "the same statistic of the same people as one withheld in another table",
                "secondary",
            )
        elif position in of_parts:
            withheld = (
                "statistic_mean_of_parts",
                "the mean of All, with the same mean withheld in another breakdown: it would "
                "bound that breakdown's sum of values",
                "secondary",
            )
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
        if base > 1 and (table_id, str(row.statistic)) in counts_of_people:
            # a count of people (the victims, the identified) is rounded like every count,
            # and so are the ends of its range
            value, low, high = (
                None if x is None else float(round_counts(np.array([round(x)]), base)[0])
                for x in (value, low, high)
            )
        elif base > 1 and n is not None and value is not None:
            # with counts rounded, a statistic's fraction would give its n back (a mean
            # times the true n is whole; a quartile's fraction is fixed by n): whole
            # numbers only
            value = float(round(value))
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
