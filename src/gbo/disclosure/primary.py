"""Primary suppression: small counts, all-in-one-category columns and structural zeros.

* A count of 1 to ``threshold - 1`` people, whether a cell or a column total, is suppressed.
* Zeros are published: a true zero says nobody was recorded, which identifies no one, except
  where it completes an all-in-one-category column (below), or where it says what nobody
  of a population of 1 to ``threshold - 1`` people has (:func:`small_population_zeros`).
* A column where one recorded category holds (at least ``dominance_share`` of) everyone
  recorded tells a reader the attribute of every person in it. The dominant cell and the
  small or zero cells beside it are suppressed. ``Not recorded`` is never the dominant
  category (that everyone is unrecorded says nothing about anyone's attribute), in a
  breakdown column a category nobody in the whole table has is no alternative (its zero
  there is implied by the ``All`` column), and a column needs two categories left for the
  rule to apply to it. In a non-additive
  (multi-response) table, a category held by everyone in the column is suppressed, unless
  the column is defined by that very category (the diagonal of a table of marker pairs);
  so is a category held by all but 1 to ``threshold - 1`` of the column, since a count
  and its column total give those without it, a small count in its own right.
* Cells a table's metadata lists under ``structural_zeros`` (``[breakdown, category]`` pairs,
  or objects with those keys) cannot hold anyone; they are shown as ``[z]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from gbo.disclosure.cells import CellRef
from gbo.disclosure.linear_system import ALL, LinearSystem
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import (
    PRIMARY,
    RULE_DOMINANCE,
    RULE_SMALL_ZERO,
    RULE_STRUCTURAL,
    RULE_THRESHOLD,
    STRUCTURAL,
    SuppressionState,
)
from gbo.errors import DisclosureError
from gbo.schema.codes import NOT_RECORDED

# units of tables whose categories are no attribute of a person (the data quality page counts
# records); every other table (people, rate ratios of people, case reviews) is read for zeros
# about small populations
NOT_ABOUT_PEOPLE = frozenset({"offences", "groups", "records"})


def not_recorded_categories(frame: pd.DataFrame) -> set[str]:
    """Categories of one table that are not a recorded value (``Not recorded``, ``Not known``).

    Besides the ``is_not_recorded`` row, a category whose ``pct_of_recorded`` is always null
    while other categories have one is left out of the recorded share by the profile stage.
    """
    out = {str(c) for c in frame.loc[frame["is_not_recorded"].astype(bool), "category"]}
    if "pct_of_recorded" in frame.columns and frame["pct_of_recorded"].notna().any():
        has_share = frame["pct_of_recorded"].notna().groupby(frame["category"]).any()
        out |= {str(c) for c, has in has_share.items() if not has}
    return out


def structural_zero_cells(table_id: str, meta: Mapping[str, Any]) -> list[CellRef]:
    cells: list[CellRef] = []
    for item in meta.get("structural_zeros") or []:
        if isinstance(item, Mapping):
            breakdown, category = item.get("breakdown", "All"), item.get("category")
        else:
            breakdown, category = item
        cells.append(CellRef(table_id, str(breakdown), str(category)))
    return cells


def apply_primary_rules(
    system: LinearSystem,
    rows: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    settings: DisclosureSettings,
) -> SuppressionState:
    """Statuses after primary suppression (nothing secondary yet)."""
    state = SuppressionState.all_published(system.size)
    k = settings.threshold
    for table_id, meta in metadata.items():
        for ref in structural_zero_cells(table_id, meta):
            q = system.ref_index.get(ref)
            if q is None:
                continue
            if int(system.values[q]) != 0:
                raise DisclosureError(
                    f"{ref.describe()} is listed as a structural zero but is not zero",
                    hint="fix structural_zeros in the table's metadata",
                    path="tables.json",
                )
            state.mark(q, STRUCTURAL, RULE_STRUCTURAL, "cannot hold anyone by definition")
    for q in range(system.size):
        value = int(system.values[q])
        if 0 < value < k:
            state.mark(q, PRIMARY, RULE_THRESHOLD, f"fewer than {k} (primary suppression)")
    personal = rows
    for key, frame in personal.groupby("table_id", sort=False):
        table_id = str(key)
        if table_id in settings.dominance_exempt_tables:
            continue
        meta = metadata.get(table_id) or {}
        _apply_dominance(system, state, table_id, frame, meta, settings)
    mark_small_population_zeros(system, state, rows, metadata, settings)
    return state


def mark_small_population_zeros(
    system: LinearSystem,
    state: SuppressionState,
    rows: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    settings: DisclosureSettings,
) -> int:
    """Withhold the zeros :func:`small_population_zeros` finds, as primary figures; how many."""
    marked = 0
    for ref, reason in small_population_zeros(system, state, rows, metadata, settings):
        marked += state.mark(system.ref_index[ref], PRIMARY, RULE_SMALL_ZERO, reason)
    return marked


def small_population_zeros(
    system: LinearSystem,
    state: SuppressionState,
    rows: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    settings: DisclosureSettings,
) -> list[tuple[CellRef, str]]:
    """Shown zeros that say what nobody of a small population has (negative attributes).

    A zero at breakdown *b* and category *c* of a table of people says that nobody in column
    *b* has *c* ("no looked-after victim was male"), and that nobody in row *c* is in *b*.
    Where that column's recorded people (its total less its unrecorded categories), or that
    row's people (the ``All`` cell less a ``Not recorded`` breakdown), number 1 to
    ``threshold - 1``, the zero tells something of every one of a few people, and is
    withheld. Not withheld: zeros of unrecorded categories or breakdowns, zeros of a column
    with fewer than two recorded categories (a row with fewer than two recorded
    breakdowns), a column's zero where the ``All`` column shows the same zero (nobody in the
    whole table has *c*: the zero is about the table's population, judged with the ``All``
    column), a row's zero where the breakdown's shown total is 0, and structural zeros. Tables
    of offences, groups or records (:data:`NOT_ABOUT_PEOPLE`) and those exempt from the
    all-in-one-category rule are left alone; tables of documents are not, since a case review
    can be about one child.
    """
    out: list[tuple[CellRef, str]] = []
    for key, frame in rows.groupby("table_id", sort=False):
        table_id = str(key)
        meta = metadata.get(table_id) or {}
        if str(meta.get("unit", "people")) in NOT_ABOUT_PEOPLE:
            continue
        if table_id in settings.dominance_exempt_tables:
            continue
        out += _zeros_of_small_populations(system, state, table_id, frame, settings.threshold)
    return out


def _zeros_of_small_populations(
    system: LinearSystem, state: SuppressionState, table_id: str, frame: pd.DataFrame, k: int
) -> list[tuple[CellRef, str]]:
    """:func:`small_population_zeros` of one table."""
    out: list[tuple[CellRef, str]] = []
    skip = not_recorded_categories(frame)
    count = {
        (str(b), str(c)): int(n)
        for b, c, n in zip(frame["breakdown"], frame["category"], frame["count"], strict=True)
    }
    total = {str(b): int(d) for b, d in zip(frame["breakdown"], frame["denominator"], strict=True)}
    breakdowns = list(dict.fromkeys(str(b) for b in frame["breakdown"]))
    categories = list(dict.fromkeys(str(c) for c in frame["category"]))
    recorded = [c for c in categories if c not in skip]
    parts = [b for b in breakdowns if b not in (ALL, NOT_RECORDED, *skip)]

    def shown(b: str, c: str | None) -> bool:
        q = system.ref_index.get(CellRef(table_id, b, c))
        return q is not None and not state.is_hidden(q) and state.status[q] != STRUCTURAL

    def zero(b: str, c: str) -> bool:
        return count.get((b, c)) == 0 and shown(b, c)

    if len(recorded) >= 2:
        for b in breakdowns:
            size = total[b] - sum(count.get((b, c), 0) for c in categories if c in skip)
            if not 0 < size < k:
                continue
            for c in recorded:
                if zero(b, c) and not (b != ALL and zero(ALL, c)):
                    reason = (
                        f"says that none of the fewer than {k} recorded in breakdown "
                        f"'{b}' is '{c}' (a zero about a small population)"
                    )
                    out.append((CellRef(table_id, b, c), reason))
    if len(parts) >= 2 and ALL in total:
        for c in recorded:
            size = count.get((ALL, c), 0) - count.get((NOT_RECORDED, c), 0)
            if not 0 < size < k:
                continue
            for b in parts:
                if zero(b, c) and not (total[b] == 0 and shown(b, None)):
                    reason = (
                        f"says that none of the fewer than {k} recorded as '{c}' is in "
                        f"breakdown '{b}' (a zero about a small population)"
                    )
                    out.append((CellRef(table_id, b, c), reason))
    return out


def _hidden(system: LinearSystem, state: SuppressionState, ref: CellRef) -> bool:
    q = system.ref_index.get(ref)
    return q is not None and state.is_hidden(q)


def _apply_dominance(
    system: LinearSystem,
    state: SuppressionState,
    table_id: str,
    frame: pd.DataFrame,
    meta: Mapping[str, Any],
    settings: DisclosureSettings,
) -> None:
    unrecorded = not_recorded_categories(frame)
    # a category nobody in the whole table has: its zero in a breakdown column is implied by
    # the zero in the All column, so it is no alternative there and reveals nothing new
    everyone = frame[frame["breakdown"] == ALL]
    empty = {str(c) for c, n in zip(everyone["category"], everyone["count"], strict=True) if n == 0}
    share = settings.dominance_share
    additive = bool(meta.get("is_additive", False))
    columns = sorted(frame.groupby("breakdown", sort=False), key=lambda bc: bc[0] != ALL)
    for breakdown, column in columns:
        if breakdown != ALL:
            # ... unless the All column withholds that zero (everyone in one category): then
            # a breakdown's zeros are the reader's only view of it, and alternatives again
            empty = {c for c in empty if not _hidden(system, state, CellRef(table_id, ALL, c))}
        skip = unrecorded if breakdown == ALL else unrecorded | empty
        recorded = column[~column["category"].astype(str).isin(skip)]
        if recorded.empty:
            continue
        counts = recorded["count"].astype(int).tolist()
        categories = recorded["category"].astype(str).tolist()
        if additive:
            total = sum(counts)
            if len(categories) < 2 or total == 0:
                continue
            top = max(range(len(counts)), key=lambda i: counts[i])
            if counts[top] < share * total:
                continue
            reason = (
                f"'{categories[top]}' holds {'all' if share >= 1 else 'nearly all'} of those "
                f"recorded in breakdown '{breakdown}' (all-in-one-category rule)"
            )
            for i, category in enumerate(categories):
                if i == top or counts[i] < settings.threshold:
                    q = system.ref_index[CellRef(table_id, str(breakdown), category)]
                    state.mark(q, PRIMARY, RULE_DOMINANCE, reason)
        else:
            denominator = int(column["denominator"].iloc[0])
            if denominator == 0:
                continue
            for category, count in zip(categories, counts, strict=True):
                if category == str(breakdown):
                    continue  # e.g. a pairs table's diagonal: true by definition, says nothing
                if count <= 0:
                    continue
                q = system.ref_index[CellRef(table_id, str(breakdown), category)]
                if count >= share * denominator:
                    state.mark(
                        q,
                        PRIMARY,
                        RULE_DOMINANCE,
                        f"everyone in breakdown '{breakdown}' has '{category}' "
                        "(all-in-one-category rule)",
                    )
                elif denominator - count < settings.threshold:
                    state.mark(
                        q,
                        PRIMARY,
                        RULE_THRESHOLD,
                        f"fewer than {settings.threshold} in breakdown '{breakdown}' do not "
                        f"have '{category}' (complement of a count)",
                    )


def row_attribute_cells(
    system: LinearSystem,
    state: SuppressionState,
    rows: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
) -> list[CellRef]:
    """Shown zeros that tell a reader where every withheld person of a row falls.

    The all-in-one-category rule reads down a column; a row can give the attribute away
    too. Where a row of a table split by breakdowns (a year of offenders, say) is zero in
    every breakdown but withheld cells, the zeros say that every one of those people is in
    the withheld breakdowns ("every offender that year offended alone"); and where one
    breakdown holds everyone of the row, shown or not, the zeros say that all of them are in
    it. Those zeros (and the lone breakdown's cell) are withheld as well, as primary
    figures, so that their ranges are protected in turn. The
    rule reads tables of people (``unit`` "people"), and tables of offences whose
    breakdowns are an attribute of the offences' victims (``breakdowns_describe_victims``:
    by offence class, since a victim of a group-based offence is a group-based victim, so
    "every offence in this area was group-based" says so of every child abused there).
    """
    out: list[CellRef] = []
    for key, frame in rows.groupby("table_id", sort=False):
        table_id = str(key)
        meta = metadata.get(table_id) or {}
        if str(meta.get("unit", "people")) != "people" and not meta.get(
            "breakdowns_describe_victims"
        ):
            continue  # an attribute of offences or documents, not of a person
        # a breakdown nobody is in is no alternative: its zeros are implied by its total
        parts = [
            b
            for b in dict.fromkeys(str(b) for b in frame["breakdown"])
            if b != ALL and int(system.values[system.ref_index[CellRef(table_id, b, None)]]) > 0
        ]
        if len(parts) < 2:
            continue
        for category in dict.fromkeys(str(c) for c in frame["category"]):
            zeros: list[CellRef] = []
            held: list[CellRef] = []
            hidden_people = False
            for b in parts:
                ref = CellRef(table_id, b, category)
                q = system.ref_index.get(ref)
                if q is None:
                    continue
                if int(system.values[q]) > 0:
                    held.append(ref)
                    hidden_people = hidden_people or state.is_hidden(q)
                elif not state.is_hidden(q) and state.status[q] != STRUCTURAL:
                    zeros.append(ref)
            if zeros and (hidden_people or len(held) == 1):
                # everyone of the row in withheld breakdowns, or all in one breakdown
                # ("every offender whose first offence was in 2016 was in a group"): the
                # zeros, and a lone breakdown holding them all, are withheld
                out += zeros
                if len(held) == 1:
                    q = system.ref_index[held[0]]
                    if not state.is_hidden(q):
                        out.append(held[0])
    return out
