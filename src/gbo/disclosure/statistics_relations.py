"""How a reader reads published statistics together, and the statistics to withhold with
one already withheld (:mod:`gbo.disclosure.statistics_control` applies them).

Counts of nested groups of people published side by side (victims, identified, identified
after contacts) and the ``n`` behind each median must not differ by a small or withheld
count, nor from the shown total of the table column they describe, and a percentage times
its ``n`` must not be one (:func:`differenced_statistics`). A statistic of one breakdown is
never withheld alone where the breakdowns split All (:func:`breakdown_complements`), nor
one of statistics declared to add up to one another (``statistics_sums``,
:func:`sum_complements`); All's mean is withheld with any other breakdown's
(:func:`mean_of_all_complements`), a summary published twice is withheld in both places
(:func:`same_statistic_complements`), and a range whose ends are other statistics of its
table (``statistics_ranges``) is withheld with either end (:func:`range_complements`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from gbo.disclosure.linear_system import ALL

# statistics that summarise the values of the people counted (any table, any stage): they
# must carry n, and are withheld on fewer than the statistic threshold
SUMMARY_STATISTIC = re.compile(
    r"(^|_)(median|mean|average|quartile|q1|q3|p\d{1,2}|percentile|min|max|minimum|maximum|iqr)(_|$)"
)


# a mean times its n is the sum of the people's values
MEAN_STATISTIC = re.compile(r"(^|_)(mean|average)(_|$)")


def is_summary_of_people(statistic: str) -> bool:
    return SUMMARY_STATISTIC.search(statistic.lower()) is not None


def number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


# statistics whose value is not a count of people: shares, rates and summaries of values
NOT_A_COUNT = re.compile(r"(^|_)(pct|share|rate|ratio|per|days|age|years)(_|$)")


def counts_of_people(stats: pd.DataFrame) -> set[tuple[str, str]]:
    """(table, statistic) pairs whose value is a count of people: somewhere in the table
    the value is its own n ("identified": 731 people, n 731), unlike a count of contacts."""
    out: set[tuple[str, str]] = set()
    for row in stats.itertuples(index=False):
        value, n = number(row.value), number(row.n)
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
    n = number(row.n)
    if n is not None:
        out.append(int(n))
    if (str(row.table_id), str(row.statistic)) in people:
        for value in (row.value, getattr(row, "ci_lower", None), getattr(row, "ci_upper", None)):
            figure = number(value)
            if figure is not None and float(figure).is_integer():
                out.append(int(figure))
    return out


def differenced_statistics(
    stats: pd.DataFrame,
    withheld: set[int],
    hidden: Mapping[str | None, set[int]],
    totals: Mapping[tuple[str | None, str], set[int]],
    groups: Mapping[str, str | None],
    threshold: int,
    counted: Mapping[tuple[str, str], set[int]] | None = None,
) -> set[int]:
    """Positions of statistics that, shown, would let a reader work out a small or withheld
    count by subtraction.

    ``counted`` holds, per (table, breakdown), the counts of people shown as figures of the
    tables' system (``statistics_figures``): their showing was settled there, with every
    relation the definitions give, so the statistics that are those counts are never
    withheld here, and an ``n`` equal to one of them tells nothing more.

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
    people = counts_of_people(stats)
    counts = [_count_like(r, people) for r in rows]
    settled = counted or {}
    fixed = {
        i
        for i, r in enumerate(rows)
        if (key := (str(r.table_id), str(r.breakdown))) in settled
        and (str(r.table_id), str(r.statistic)) in people
        and set(counts[i]) <= settled[key]
    }
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
                if gone(i) or i in fixed:
                    continue
                others = {v for j in members if j != i and not gone(j) for v in counts[j]}
                others |= column_totals | {0}
                row = rows[i]
                implied: list[int] = []
                value, n = number(row.value), number(row.n)
                statistic = str(row.statistic).lower()
                if statistic.startswith("pct") and value is not None and n is not None:
                    part = value * n / 100
                    if abs(part - round(part)) < 1e-6:  # a share of n: it gives its count
                        implied.append(round(part))
                # a row's own counts are read together too: a range from the configured
                # figure to another computation's (145 to 146) gives their difference
                own = [c for c in counts[i] if c not in settled.get((table_id, breakdown), set())]
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
        if number(r.n) is not None:
            family[(str(r.table_id), str(r.statistic))][str(r.breakdown)] = i
    out: dict[tuple[str, str], list[int]] = {}
    for key, by_breakdown in family.items():
        parts = [i for b, i in by_breakdown.items() if b != ALL]
        if ALL not in by_breakdown or len(parts) < 2:
            continue
        whole = by_breakdown[ALL]
        if int(number(rows[whole].n) or 0) == sum(int(number(rows[i].n) or 0) for i in parts):
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
        return [j for j in block if number(rows[j].n) == number(r.n)]

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
                    pick = min(shown, key=lambda i: (number(rows[i].n) or 0, i))
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
        value, n = number(r.value), number(r.n)
        if value is not None and n is not None and is_summary_of_people(str(r.statistic)):
            groups[(round(value, 9), n)].append(i)
    return {
        i
        for members in groups.values()
        if any(m in withheld for m in members)
        for i in members
        if i not in withheld
    }


def _positions(stats: pd.DataFrame) -> dict[tuple[str, str, str], int]:
    """(table, breakdown, statistic) -> position of its row."""
    return {
        (str(r.table_id), str(r.breakdown), str(r.statistic)): i
        for i, r in enumerate(stats.itertuples(index=False))
    }


def declared_sums(
    stats: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]]
) -> list[tuple[list[int], int | None]]:
    """Positions of the statistics that add up to one another (``statistics_sums``: the
    statistic and its members as ``[table, breakdown]``, e.g. an agency's contacts and those
    of the contact types only it records), each sum's members present in ``stats``; with the
    position of the mean whose total (times its n) the members add up to (``total_of``:
    ``[table, breakdown, statistic]``), or None."""
    where = _positions(stats)
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
            gone.add(min(shown, key=lambda i: (number(people[i]) or 0, i)))
    return gone - withheld


def declared_ranges(
    stats: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]]
) -> list[tuple[int, list[int]]]:
    """(position of a range statistic, positions of the statistics it spans) for every row
    of a breakdown declared a range (``statistics_ranges``: ``{"breakdown": ..., "ends":
    [breakdown, ...]}``, the value and interval of each of its statistics being the same
    statistic of those breakdowns, as the sensitivity table's range with the review queue
    accepted is the configured figure and the accepted one)."""
    where = _positions(stats)
    out: list[tuple[int, list[int]]] = []
    for table_id, meta in metadata.items():
        for entry in meta.get("statistics_ranges") or []:
            for (table, breakdown, statistic), i in where.items():
                if table != str(table_id) or breakdown != str(entry["breakdown"]):
                    continue
                ends = [where.get((table, str(end), statistic)) for end in entry["ends"]]
                out.append((i, [e for e in ends if e is not None]))
    return out


def range_complements(withheld: set[int], ranges: list[tuple[int, list[int]]]) -> set[int]:
    """Positions of ranges to withhold because a statistic at one of their ends is: the range
    shows its ends (the seventh red team of stop 62 read a withheld share of victims
    identified at first contact, and with it their number, off the range row's ends)."""
    return {i for i, ends in ranges if i not in withheld and any(e in withheld for e in ends)}
