"""Counts and shares quoted in the tables' notes, controlled as figures of the one system.

A note that quotes a count ("12 offenders have linked records that disagree on sex", "3
victims' contacts have no date") or a completeness share ("police 73% of 1,181") publishes
figures a reader can relate to others: the offenders with conflicting sexes are some of the
persons with conflicting sexes in the linkage facts and some of the offenders of the table;
the contacts without a date are the victims' event rows without one; the 1,181 records of a
completeness note are the same records in every field's note, some of the records the data
quality page counts, and, where one agency gives all a table's rows, the table's total.
Said one at a time ("fewer than 5"), each escaped the system the audit solves. Here each
becomes a figure of a tidy table that :func:`~gbo.disclosure.control.control_disclosure`
withholds, completes and audits with everything else, with what a reader knows of it
declared as relations (each used only where it holds on the true figures):

* a named count (``{{figure=name:n}}``, :func:`figure_in_text`) is a figure of
  :data:`TEXT_COUNTS`: at most the population of each table whose notes quote it, at most
  the linkage fact it is part of (:data:`PART_OF_FACT`), and, for contacts without a date,
  at most the rows without the date in the completeness notes and on the data quality page;
* a completeness share (``{{share=r/n@key}}``, :func:`share_in_text`) is a column of
  :data:`TEXT_SHARES` (recorded + not recorded = the records checked): every field of one
  agency's table is checked on the same records; they are at most the records of the page
  (its not recorded at most the page's); and the note of a table that one agency gives all
  the rows of has the table's total and its unrecorded categories.

The published note then says the controlled figure: the count, or ``[c]`` when withheld (a
share: ``p% of n`` only when the records with and without the item and their total are
all shown, else ``[c] of n`` or ``[c] of [c]``). These tables are never published as
tables; they are in the suppression log for the analyst.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Mapping
from itertools import combinations
from typing import Any

import pandas as pd

from gbo.disclosure.linkage_facts import COUNTS
from gbo.disclosure.page_builder import ALL, PageTables, Term
from gbo.disclosure.page_relations import COMPLETENESS
from gbo.disclosure.symbols import CONFIDENTIAL

TEXT_COUNTS = "text_counts"
TEXT_SHARES = "text_completeness"
TEXT_TABLES = (TEXT_COUNTS, TEXT_SHARES)
RECORDED, NOT_RECORDED = "recorded", "not recorded"
FIGURE = re.compile(r"\{\{figure=([a-z0-9_]+):(\d+)\}\}")
SHARE = re.compile(r"\{\{share=(\d+)/(\d+)@([^}]+)\}\}")
TEXT_KEYS = ("notes", "period", "definition", "population", "title")
# a named count -> the linkage fact it is part of
PART_OF_FACT = {
    "offenders_conflicting_sex": "n_persons_conflicting_sex",
    "victims_conflicting_sex": "n_persons_conflicting_sex",
    "offenders_conflicting_dob": "n_persons_conflicting_dob",
    "victims_conflicting_dob": "n_persons_conflicting_dob",
}
# a named count -> the (rows, field) whose unrecorded rows it is some of
PART_OF_UNRECORDED = {"journey_events_without_date": ("event", "event_date")}


def figure_in_text(name: str, n: int) -> str:
    """A named count for a note, rendered by the disclosure stage from the controlled figure."""
    return f"{{{{figure={name}:{int(n)}}}}}"


def share_in_text(recorded: int, n: int, key: str) -> str:
    """A whole-percent share of n records for a note ("73% of 1,181"); ``key`` names the
    records ("population|table|field|agency"), the same in every note that quotes them."""
    return f"{{{{share={int(recorded)}/{int(n)}@{key}}}}}"


def share_key(population: str, table: str, field: str, agency: str) -> str:
    return f"{population}|{table}|{field}|{agency}"


def _texts(meta: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for key in TEXT_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += [v for v in value if isinstance(v, str)]
    return out


def _quoted(metadata: Mapping[str, Mapping[str, Any]]) -> tuple[
    dict[str, int], dict[str, tuple[int, int]], dict[str, list[str]], dict[str, list[str]]
]:  # fmt: skip
    """Named counts, shares, and the tables quoting each (name or key -> table ids)."""
    counts: dict[str, int] = {}
    shares: dict[str, tuple[int, int]] = {}
    count_tables: dict[str, list[str]] = defaultdict(list)
    share_notes: dict[str, list[str]] = defaultdict(list)
    for table_id, meta in metadata.items():
        for text in _texts(meta):
            for m in FIGURE.finditer(text):
                counts[m.group(1)] = int(m.group(2))
                count_tables[m.group(1)].append(table_id)
            keys = [m.group(3) for m in SHARE.finditer(text)]
            for m in SHARE.finditer(text):
                shares[m.group(3)] = (int(m.group(1)), int(m.group(2)))
            if len(keys) == 1:  # a note of one agency: its records may be the table's
                share_notes[keys[0]].append(table_id)
    return counts, shares, count_tables, share_notes


def text_figure_tables(
    rows: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]]
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """The quoted counts and shares as tidy tables with their relations (see the module)."""
    counts, shares, count_tables, share_notes = _quoted(metadata)
    t = PageTables()
    if not counts and not shares:
        return pd.DataFrame(t.rows), t.metadata
    present = (
        set(zip(rows["table_id"].astype(str), rows["breakdown"].astype(str), strict=True))
        if not rows.empty
        else set()
    )
    figures = (
        set(
            zip(
                rows["table_id"].astype(str),
                rows["breakdown"].astype(str),
                rows["category"].astype(str),
                strict=True,
            )
        )
        if not rows.empty
        else set()
    )
    if shares:
        t.table(TEXT_SHARES, additive=True)
        for key, (recorded, n) in shares.items():
            t.add(TEXT_SHARES, key, RECORDED, recorded, n)
            t.add(TEXT_SHARES, key, NOT_RECORDED, n - recorded, n)
        _share_relations(t, shares, share_notes, rows, present, figures)
    if counts:
        t.table(TEXT_COUNTS, additive=False)
        largest = max(counts.values())
        for name, n in counts.items():
            t.add(TEXT_COUNTS, ALL, name, n, largest)
        _count_relations(t, counts, count_tables, shares, present, figures)
    return pd.DataFrame(t.rows), t.metadata


def _count_relations(
    t: PageTables,
    counts: Mapping[str, int],
    count_tables: Mapping[str, list[str]],
    shares: Mapping[str, tuple[int, int]],
    present: set[tuple[str, str]],
    figures: set[tuple[str, str, str]],
) -> None:
    for name in counts:
        me: Term = (TEXT_COUNTS, ALL, name, 1)
        for table_id in dict.fromkeys(count_tables[name]):
            if (table_id, ALL) in present:
                t.relate(
                    TEXT_COUNTS,
                    [me, (table_id, ALL, None, -1)],
                    f"the {name} quoted by {table_id} are some of its population",
                )
        fact = PART_OF_FACT.get(name)
        if fact and (COUNTS, ALL, fact) in figures:
            t.relate(
                TEXT_COUNTS, [me, (COUNTS, ALL, fact, -1)], f"the {name} are some of the {fact}"
            )
        rows_field = PART_OF_UNRECORDED.get(name)
        if rows_field is None:
            continue
        table, field = rows_field
        mine = [k for k in shares if k.split("|")[1:3] == [table, field]]
        if mine:
            t.relate(
                TEXT_COUNTS,
                [me, *((TEXT_SHARES, k, NOT_RECORDED, -1) for k in mine)],
                f"the {name} are some of the notes' {table} rows without {field}",
            )
        page = [
            (COMPLETENESS, b, NOT_RECORDED, -1)
            for (tb, b, c) in figures
            if tb == COMPLETENESS and c == NOT_RECORDED and b.endswith(f" {table}.{field}")
        ]
        if page:
            t.relate(
                TEXT_COUNTS,
                [me, *page],
                f"the {name} are some of the page's {table} rows without {field}",
            )


def _page_key(key: str) -> str | None:
    """The data quality page's completeness row of a note's records ("police
    person_record.sex" for "offenders|person_record|sex|police")."""
    parts = key.split("|")
    return f"{parts[3]} {parts[1]}.{parts[2]}" if len(parts) == 4 else None


def _share_relations(
    t: PageTables,
    shares: Mapping[str, tuple[int, int]],
    share_notes: Mapping[str, list[str]],
    rows: pd.DataFrame,
    present: set[tuple[str, str]],
    figures: set[tuple[str, str, str]],
) -> None:
    by_records: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for key in shares:
        parts = key.split("|")
        if len(parts) == 4:
            population, table, field, agency = parts
            by_records[(population, table, agency)].append(key)
        page_key = _page_key(key)
        if (COMPLETENESS, page_key) in present:
            t.relate(
                TEXT_SHARES,
                [(TEXT_SHARES, key, None, 1), (COMPLETENESS, str(page_key), None, -1)],
                f"the records of the note {key} are some of the page's",
            )
            t.relate(
                TEXT_SHARES,
                [
                    (TEXT_SHARES, key, NOT_RECORDED, 1),
                    (COMPLETENESS, str(page_key), NOT_RECORDED, -1),
                ],
                f"the records without the item in the note {key} are some of the page's",
            )
        for table_id in dict.fromkeys(share_notes.get(key, [])):
            if (table_id, ALL) not in present:
                continue
            t.relate(
                TEXT_SHARES,
                [(TEXT_SHARES, key, None, 1), (table_id, ALL, None, -1)],
                f"the records of the note {key} are the total of {table_id}",
                equals=True,
            )
            frame = rows[(rows["table_id"] == table_id) & (rows["breakdown"] == ALL)]
            unrecorded = [str(c) for c in frame.loc[frame["is_not_recorded"], "category"]]
            if unrecorded:
                t.relate(
                    TEXT_SHARES,
                    [
                        (TEXT_SHARES, key, NOT_RECORDED, 1),
                        *((table_id, ALL, c, -1) for c in unrecorded),
                    ],
                    f"the records without the item in the note {key} are the Not recorded "
                    f"of {table_id}",
                    equals=True,
                )
    for keys in by_records.values():
        for other in keys[1:]:
            t.relate(
                TEXT_SHARES,
                [(TEXT_SHARES, keys[0], None, 1), (TEXT_SHARES, other, None, -1)],
                f"every field of {keys[0]} is checked on the same records",
                equals=True,
            )
    _populations_make_up_the_page(t, shares, rows)


def _populations_make_up_the_page(
    t: PageTables, shares: Mapping[str, tuple[int, int]], rows: pd.DataFrame
) -> None:
    """Notes of several populations that together are the page's records of a field.

    An agency's export may hold only offenders and victims (a police export): the
    offenders' and victims' notes of a field then add up to the page's records of that
    agency, and their records without it to the page's. A reader who knows the export
    knows it; so wherever some populations' notes add up to the page's figure, they are
    declared to (a coincidence only makes the control more cautious).
    """
    page = rows[rows["table_id"] == COMPLETENESS]
    if page.empty:
        return
    missing = {
        str(b): int(n)
        for b, c, n in zip(page["breakdown"], page["category"], page["count"], strict=True)
        if str(c) == NOT_RECORDED
    }
    total = {str(b): int(n) for b, n in zip(page["breakdown"], page["denominator"], strict=True)}
    by_field: dict[str, list[str]] = defaultdict(list)
    for key in shares:
        page_key = _page_key(key)
        if page_key is not None:
            by_field[page_key].append(key)
    for page_key, keys in by_field.items():
        if page_key not in total:
            continue
        for size in range(1, len(keys) + 1):
            for chosen in combinations(keys, size):
                records = sum(shares[k][1] for k in chosen)
                without = sum(shares[k][1] - shares[k][0] for k in chosen)
                for category, mine, page_value in (
                    (None, records, total[page_key]),
                    (NOT_RECORDED, without, missing.get(page_key)),
                ):
                    if mine != page_value:
                        continue
                    what = "records" if category is None else "records without the item"
                    t.relate(
                        TEXT_SHARES,
                        [
                            *((TEXT_SHARES, k, category, 1) for k in chosen),
                            (COMPLETENESS, page_key, category, -1),
                        ],
                        f"the {what} of the notes {' + '.join(chosen)} are the page's {page_key}",
                        equals=True,
                    )


def shown_text_figures(published: pd.DataFrame) -> dict[tuple[str, str | None], str]:
    """Display of each quoted figure: (name, None) for a count; (key, part) for a share,
    with the part None for its total."""
    out: dict[tuple[str, str | None], str] = {}
    for r in published[published["table_id"].isin(TEXT_TABLES)].itertuples(index=False):
        if r.table_id == TEXT_COUNTS:
            out[(str(r.category), None)] = str(r.count_display)
        else:
            out[(str(r.breakdown), str(r.category))] = str(r.count_display)
            out[(str(r.breakdown), None)] = str(r.denominator_display)
    return out


def _number(display: str | None) -> int | None:
    digits = (display or "").replace(",", "")
    return int(digits) if digits.isdigit() else None


def render_text_figures(
    text: str,
    shown: Mapping[tuple[str, str | None], str],
    withheld_shares: Collection[str] = (),
) -> str:
    """The note with each quoted figure as published (see the module docstring)."""

    def said(display: str | None) -> str:
        n = _number(display)
        return CONFIDENTIAL if display is None else display if n is None else f"{n:,}"

    def count(m: re.Match[str]) -> str:
        return said(shown.get((m.group(1), None)))

    def share(m: re.Match[str]) -> str:
        key = m.group(3)
        total = said(shown.get((key, None)))
        recorded, n = _number(shown.get((key, RECORDED))), _number(total)
        missing = _number(shown.get((key, NOT_RECORDED)))
        if None in (recorded, n, missing) or m.group(0) in withheld_shares:
            return f"{CONFIDENTIAL} of {total}"
        # worked from the shown (so, with rounding, the rounded) figures
        return f"{100 * recorded / n:.0f}% of {total}" if n else "none"  # type: ignore[operator]

    return SHARE.sub(share, FIGURE.sub(count, text))
