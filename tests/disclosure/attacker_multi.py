"""The outside reader's use of multi-response tables (a person may count in several
categories).

Like :mod:`tests.disclosure.attacker` it imports nothing from gbo. A count and its column
total do not give the people without the category by subtraction unless the categories
exclude each other, so the reader only uses what holds whatever the overlap:

* each category is at most the people with any (the total less the ``Not recorded`` row,
  the people with none), and the categories together count at least the people with any;
* a table of the same people by *how many* categories they have ("Victims by number of
  vulnerability markers" beside "Victims with each vulnerability marker", paired by their
  titles) bounds the sum of the categories: at least each band's lower end times its
  people, at most its upper end (an open band ends at the number of categories); and its
  ``Not recorded`` (people with none) is the other table's; and a table of pairs of the
  same categories (each column the people with one, each row those who also have another)
  counts a person of k categories k (k - 1) times off its diagonal, which the same bands
  bound.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from tests.disclosure.attacker_pages import band_of

if TYPE_CHECKING:
    import pandas as pd

    from tests.disclosure.attacker import Attack, Key

BY_NUMBER = re.compile(r"^(.+) by number of (.+?)s?$")


def _column(frame: pd.DataFrame, b: str) -> tuple[list[str], list[str]]:
    """The categories of one column: those with a value, and those of people with none."""
    column = frame[frame["breakdown"] == b]
    none = [
        str(c)
        for c, flag in zip(column["category"], column["is_not_recorded"], strict=True)
        if str(flag) == "True"
    ]
    return [str(c) for c in column["category"] if str(c) not in none], none


def add_multi_response(
    attack: Attack,
    tables: dict[str, pd.DataFrame],
    additive: dict[str, bool],
    titles: dict[str, str],
) -> None:
    """The relations of the module docstring."""
    for table_id, frame in tables.items():
        if additive.get(table_id, True):
            continue
        for b in dict.fromkeys(str(x) for x in frame["breakdown"]):
            some, none = _column(frame, b)
            den: Key = ("den", table_id, b)
            nobody: dict[Key, float] = {("cell", table_id, b, c): 1.0 for c in none}
            for c in some:
                attack.ub.append(({("cell", table_id, b, c): 1.0, **nobody, den: -1.0}, 0.0))
            if some and none:
                every: dict[Key, float] = {("cell", table_id, b, c): -1.0 for c in some}
                attack.ub.append(({den: 1.0, **every, **{k: -1.0 for k in nobody}}, 0.0))
    by_title = {title.lower(): t for t, title in titles.items()}
    for table_id, title in titles.items():
        found = BY_NUMBER.match(title)
        other = (
            by_title.get(f"{found.group(1)} with each {found.group(2)}".lower()) if found else None
        )
        if other is None or table_id not in tables or other not in tables:
            continue
        _counts(attack, table_id, tables[table_id], other, tables[other])
        _pairs(attack, table_id, tables[table_id], other, tables, additive)


def _counts(
    attack: Attack, table_id: str, frame: pd.DataFrame, other: str, counted: pd.DataFrame
) -> None:
    for b in dict.fromkeys(str(x) for x in frame["breakdown"]):
        bands, none = _column(frame, b)
        categories, none_there = _column(counted, b)
        ends = {c: band_of(c) for c in bands}
        if not categories or any(e is None or e[0] < 0 for e in ends.values()):
            continue
        pairs: dict[Key, float] = {("cell", other, b, c): 1.0 for c in categories}
        low: dict[Key, float] = {
            ("cell", table_id, b, c): float(e[0]) for c, e in ends.items() if e
        }
        high: dict[Key, float] = {
            ("cell", table_id, b, c): -float(
                len(categories) if math.isinf(e[1]) else min(e[1], len(categories))
            )
            for c, e in ends.items()
            if e
        }
        attack.ub.append(({**low, **{k: -1.0 for k in pairs}}, 0.0))
        attack.ub.append(({**pairs, **high}, 0.0))
        if none and none_there:
            relation: dict[Key, float] = {("cell", table_id, b, c): 1.0 for c in none}
            relation |= {("cell", other, b, c): -1.0 for c in none_there}
            attack.eq.append(relation)


def _pairs(
    attack: Attack,
    table_id: str,
    frame: pd.DataFrame,
    other: str,
    tables: dict[str, pd.DataFrame],
    additive: dict[str, bool],
) -> None:
    """A table of pairs of the same categories (its breakdowns are the categories, each
    column the people with that one) counts each person of k categories k (k - 1) times off
    its diagonal: the bands of the table by number of categories bound that sum."""
    categories, _ = _column(tables[other], "All")
    bands, _none = _column(frame, "All")
    ends = {c: band_of(c) for c in bands}
    if any(e is None or e[0] < 0 for e in ends.values()):
        return
    for pairs_id, pairs in tables.items():
        parts = set(pairs["breakdown"]) - {"All"}
        if additive.get(pairs_id, True) or pairs_id == other or parts != set(categories):
            continue
        off: dict[Key, float] = {
            ("cell", pairs_id, str(r.breakdown), str(r.category)): 1.0
            for r in pairs.itertuples(index=False)
            if str(r.category) in parts and str(r.category) != str(r.breakdown)
        }
        m = len(categories)
        low: dict[Key, float] = {
            ("cell", table_id, "All", c): float(e[0] * (e[0] - 1)) for c, e in ends.items() if e
        }
        high: dict[Key, float] = {
            ("cell", table_id, "All", c): -float(h * (h - 1))
            for c, e in ends.items()
            if e and (h := m if math.isinf(e[1]) else min(e[1], m)) >= 0
        }
        attack.ub.append(({**low, **{k: -1.0 for k in off}}, 0.0))
        attack.ub.append(({**off, **high}, 0.0))
