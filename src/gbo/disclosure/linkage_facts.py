"""The linkage facts published beside the tables, controlled as figures with relations.

The report and the data quality page both list the link stage's counts: records, persons,
persons linked, links, pairs scored, the review queue, weak links, persons by their number
of records. Each count said on its own as "fewer than k" is not enough: the persons by
number of records add up to the persons, those with two or more records are the persons
linked, and their records add up to the records, so a reader who sees all but one band has
the last (one person with five records, from 3,291 persons less 3,290 in the other bands).
Here they become tidy tables with what a reader knows of them declared:

* persons by number of records add up to the persons; all but the first band are the
  persons linked; band times size adds up to the records (at least, for an open band);
* records less persons is at most the links (a person of r records needs r - 1 links);
  weak links cut at most the weak links, links from review at most the links and the
  decisions, persons with conflicting sex or dates of birth at most the persons linked;
* the linkage bias audit's records of each dimension are the records (or, for pairs, the
  pairs scored), its linked records the records less the persons with one record, and
  its linked pairs the links.

Every relation is used only if it holds on the figures. The data quality page's control
(:mod:`gbo.disclosure.quality_page`) withholds and audits them with the page; the report
takes its linkage facts from the same controlled copy, so a figure is never shown in one
place and withheld in another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gbo.disclosure.page_builder import ALL, PageTables, Term

COUNTS = "linkage_counts"
PERSONS = "linkage_persons_by_records"
LINKAGE_TABLES = (COUNTS, PERSONS)
BY_RECORDS = "persons_by_n_records"
BAND_START = re.compile(r"^(\d+)(\+?)$")
# run diagnostics of the link stage, not measures of linkage quality: never published (the
# timings differ from one run to the next)
RUN_DIAGNOSTICS = frozenset({"backend", "timings", "training", "model_checks", "n_model_checks"})
# (smaller, larger): a count that is at most another
AT_MOST = (
    ("n_weak_links_cut", "n_weak_links"),
    ("n_weak_links", "n_links"),
    ("n_links_from_review", "n_links"),
    ("n_links_from_review", "n_decisions"),
    ("n_persons_conflicting_sex", "n_persons_linked"),
    ("n_persons_conflicting_dob", "n_persons_linked"),
    ("n_persons_linked", "n_persons"),
    ("n_persons", "n_records"),
)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def count_facts(facts: Mapping[str, Any]) -> dict[str, int]:
    """The top-level counts of the linkage facts (``n_...``)."""
    return {k: int(v) for k, v in facts.items() if k.startswith("n_") and _is_count(v)}


def _bands(facts: Mapping[str, Any]) -> dict[str, tuple[int, bool]]:
    """Persons by number of records: band label -> (its smallest size, whether open)."""
    found = facts.get(BY_RECORDS)
    if not isinstance(found, Mapping):
        return {}
    out: dict[str, tuple[int, bool]] = {}
    for label, value in found.items():
        match = BAND_START.match(str(label))
        if match and _is_count(value):
            out[str(label)] = (int(match.group(1)), bool(match.group(2)))
    return out


def add_linkage_tables(t: PageTables, facts: Mapping[str, Any]) -> None:
    """The counts and the persons by number of records, with their relations."""
    counts = count_facts(facts)
    if not counts:
        return
    t.table(COUNTS, additive=False)
    largest = max(counts.values())
    for name, value in counts.items():
        t.add(COUNTS, ALL, name, value, largest)

    def fact(name: str, k: int) -> list[Term]:
        return [(COUNTS, ALL, name, k)] if name in counts else []

    for small, large in AT_MOST:
        if small in counts and large in counts:
            t.relate(COUNTS, [*fact(small, 1), *fact(large, -1)], f"{small} <= {large}")
    if {"n_records", "n_persons", "n_links"} <= set(counts):
        t.relate(
            COUNTS,
            [*fact("n_records", 1), *fact("n_persons", -1), *fact("n_links", -1)],
            "a person of r records needs r - 1 links",
        )
    bands = _bands(facts)
    by_records = facts.get(BY_RECORDS) or {}
    if not bands:
        return
    t.table(PERSONS, additive=True)
    total = sum(int(by_records[b]) for b in bands)
    for band in bands:
        t.add(PERSONS, ALL, band, int(by_records[band]), total)
        t.listed(PERSONS, ALL, band, int(by_records[band]))
    if "n_persons" in counts:
        t.relate(
            PERSONS,
            [(PERSONS, ALL, None, 1), *fact("n_persons", -1)],
            "persons by number of records add up to the persons",
            equals=True,
        )
    if "n_persons_linked" in counts:
        t.relate(
            PERSONS,
            [*((PERSONS, ALL, b, 1) for b, (size, _) in bands.items() if size > 1)]
            + fact("n_persons_linked", -1),
            "persons with two or more records are the persons linked",
            equals=True,
        )
    if "n_records" in counts:
        is_open = any(o for _, o in bands.values())
        t.relate(
            PERSONS,
            [*((PERSONS, ALL, b, size) for b, (size, _) in bands.items())] + fact("n_records", -1),
            "persons times their number of records add up to the records",
            equals=not is_open,
        )


def add_bias_relations(t: PageTables, dimensions: list[str], facts: Mapping[str, Any]) -> None:
    """The linkage bias audit's totals as linkage facts (each used only where it holds)."""
    counts = count_facts(facts)
    bands = _bands(facts)
    singles = [b for b, (size, is_open) in bands.items() if size == 1 and not is_open]
    present = {(str(r["table_id"]), str(r["breakdown"])) for r in t.rows}
    for d in dimensions:
        records = f"quality_bias_{d}_records"
        across = f"quality_bias_{d}_by_outcome"
        for name in ("n_records", "n_pairs_scored"):
            if name in counts and (records, ALL) in present:
                t.relate(
                    records,
                    [(records, ALL, None, 1), (COUNTS, ALL, name, -1)],
                    f"the bias audit's {d} groups add up to {name}",
                    equals=True,
                )
        if (across, "n_linked") not in present:
            continue
        if "n_links" in counts:
            t.relate(
                across,
                [(across, "n_linked", None, 1), (COUNTS, ALL, "n_links", -1)],
                f"the bias audit's linked {d} are the links",
                equals=True,
            )
        if "n_records" in counts and singles:
            t.relate(
                across,
                [
                    (across, "n_linked", None, 1),
                    (COUNTS, ALL, "n_records", -1),
                    (PERSONS, ALL, singles[0], 1),
                ],
                f"the bias audit's linked records by {d} are the records of persons linked",
                equals=True,
            )


def controlled_linkage(
    facts: Mapping[str, Any], shown: Mapping[tuple[str, str, str | None], str]
) -> dict[str, Any]:
    """The facts with every modelled count replaced by its published text or number."""

    def display(table_id: str, category: str, value: Any) -> Any:
        text = shown.get((table_id, ALL, category))
        if text is None:
            return value
        return int(text) if text.isdigit() else text

    out = {k: v for k, v in facts.items() if k not in RUN_DIAGNOSTICS}
    for name, value in count_facts(facts).items():
        out[name] = display(COUNTS, name, value)
    bands = _bands(facts)
    by_records = facts.get(BY_RECORDS)
    if bands and isinstance(by_records, Mapping):
        out[BY_RECORDS] = {
            k: display(PERSONS, str(k), v) if str(k) in bands else v for k, v in by_records.items()
        }
    return out
