"""The reader's knowledge of the journeys tables' definitions (no gbo import).

The release describes victims' journeys from two populations: the identified victims and the
victims known to agencies, identified or not. A reader of the definitions on the report page
knows, without any declaration from gbo (stop 56's outside reader found these):

* the ``Identified`` column of a known-victims table is every identified victim: its total
  is the identified victims', and in the tables of contacts and of agencies it is the
  identified victims' own table of the same measure, category by category;
* the ``Known, not identified`` column is the journeys table's category "Known to agencies,
  not identified", and nobody in it has no contact at all;
* "Identified at first contact" is the no-contact band of the contacts before
  identification, in every breakdown;
* the statistics of time to identification describe the victims identified after earlier
  contacts, so their ``n`` is that category;
* where a statistics file gives ``n`` for All and for breakdowns that split All, the
  breakdowns' ``n`` add up to All's.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack

JOURNEYS = "journeys_identification"
PRIOR = "journeys_prior_contacts"
TIME = "journeys_time_to_identification"
KNOWN_NOT_IDENTIFIED = "Known to agencies, not identified"
AFTER = "Identified after earlier contacts"
FIRST = "Identified at first contact"
IDENTIFIED, NOT_IDENTIFIED = "Identified", "Known, not identified"
NO_CONTACT = "None"
KNOWN_AS_IDENTIFIED = {
    "journeys_known_contacts": PRIOR,
    "journeys_known_agency": "journeys_contacts_agency",
}
KNOWN_TABLES = (*KNOWN_AS_IDENTIFIED, "journeys_age_first_contact")
Key = tuple[str, ...]


def _n(text: object) -> float | None:
    try:
        return float(str(text).replace(",", "").strip())
    except ValueError:
        return None


def _statistics(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        path.stem.removesuffix("_statistics"): pd.read_csv(path, dtype=str, keep_default_na=False)
        for path in sorted((folder / "csv").glob("*_statistics.csv"))
    }


def _know(attack: Attack, key: Key, value: float) -> None:
    attack.var(key)
    attack.known[key] = value


def add_journeys(attack: Attack, folder: Path) -> None:
    """The journeys relations above, for whichever of their tables the release has."""
    tables = attack.tables

    def cells(table: str, breakdown: str) -> list[str]:
        frame = tables.get(table)
        if frame is None:
            return []
        return [str(c) for c in frame.loc[frame["breakdown"] == breakdown, "category"]]

    def has(table: str, breakdown: str, category: str | None = None) -> bool:
        frame = tables.get(table)
        if frame is None or breakdown not in set(frame["breakdown"]):
            return False
        return category is None or category in cells(table, breakdown)

    for known, identified in KNOWN_AS_IDENTIFIED.items():
        if has(known, IDENTIFIED) and has(identified, "All"):
            attack.same(("den", known, IDENTIFIED), ("den", identified, "All"))
            for category in cells(identified, "All"):
                if has(known, IDENTIFIED, category):
                    attack.same(
                        ("cell", known, IDENTIFIED, category), ("cell", identified, "All", category)
                    )
    for known in KNOWN_TABLES:
        if has(known, NOT_IDENTIFIED) and has(JOURNEYS, "All", KNOWN_NOT_IDENTIFIED):
            attack.same(
                ("den", known, NOT_IDENTIFIED), ("cell", JOURNEYS, "All", KNOWN_NOT_IDENTIFIED)
            )
    if has("journeys_known_contacts", NOT_IDENTIFIED, NO_CONTACT):
        _know(attack, ("cell", "journeys_known_contacts", NOT_IDENTIFIED, NO_CONTACT), 0.0)
    for breakdown in ("All", "Group-based", "Not group-based"):
        first = ("cell", JOURNEYS, breakdown, FIRST)
        if has(JOURNEYS, breakdown, FIRST):
            if has(PRIOR, breakdown, NO_CONTACT):
                attack.same(first, ("cell", PRIOR, breakdown, NO_CONTACT))
            if has(TIME, breakdown, FIRST):
                attack.same(first, ("cell", TIME, breakdown, FIRST))
    for table, frame in _statistics(folder).items():
        if not table.startswith("journeys_") or table not in tables:
            continue
        # breakdowns that split All (the victims by group, the known by identification)
        parts = sorted(set(tables[table]["breakdown"]) - {"All"})
        shown: dict[str, dict[str, float | None]] = defaultdict(dict)
        for row in frame.itertuples(index=False):
            shown[str(row.statistic)][str(row.breakdown)] = _n(row.n_display)
        for statistic, by_breakdown in shown.items():
            keys = {b: ("stat_n", table, b, statistic) for b in by_breakdown}
            for breakdown, n in by_breakdown.items():
                if n is not None:
                    _know(attack, keys[breakdown], n)
                if table == TIME and has(JOURNEYS, breakdown, AFTER):
                    attack.same(keys[breakdown], ("cell", JOURNEYS, breakdown, AFTER))
            if len(parts) < 2 or not set(by_breakdown) >= {"All", *parts}:
                continue
            values = [by_breakdown[b] for b in parts]
            whole = by_breakdown["All"]
            complete = whole is not None and all(v is not None for v in values)
            if complete and sum(v or 0 for v in values) != whole:
                continue  # these breakdowns do not split this statistic's people
            attack.eq.append({keys["All"]: -1.0, **{keys[b]: 1.0 for b in parts}})
