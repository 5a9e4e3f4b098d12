"""Attribute disclosure: can the reader tell the attribute of everyone in a group?

Like :mod:`tests.disclosure.attacker` it imports nothing from gbo. After solving, the reader
knows each shown count and a range for each withheld one. In a table about people (not
offences or groups), a column (breakdown) in which one recorded category certainly holds
someone while every other recorded category is certainly empty tells the attribute of
everyone recorded in that column ("every victim in group X was looked after"), whether the
zeros are shown or worked out (a withheld cell whose complement leaves the others no one).
``Not recorded`` and other categories left out of the share recorded are no attribute, a
column needs two recorded categories, and in a breakdown column a category nobody in the
whole table has is no alternative. In a multi-response table, a category certainly held by
everyone in its column is reported likewise (not the column's own category, as on the
diagonal of a table of pairs). Rows of a table of offences split by offence class are
read across too: an offence's class is its victim's ("every offence in this area was
group-based" says every child abused there was a group-based victim). Such a row is read
with the reader knowing from outside that someone is in it; given the true figures, a row
nobody is in is left out, since there is no one to place (a withheld row of zeros whose
only open class is group-based said nothing about anyone on a world of seed 110).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from tests.disclosure.attacker import Attack, Key

UNKNOWN = (0.0, math.inf)
OFFENCE_CLASSES = {"Group-based", "Lone offending", "No offender recorded"}


def _range(attack: Attack, known: dict[int, float], key: Key, display: str) -> tuple[float, float]:
    """What the reader knows of one figure: shown (with counts rounded, the values that
    round to it: 40 of a rounded 40 may be 35 of 43), worked out, or a range."""
    if display == "[z]":
        return (0.0, 0.0)
    if key not in attack.index:
        return UNKNOWN
    root = attack.root(attack.index[key])
    if root in known:
        return attack.shown_range(key, known[root])
    return attack.ranges.get(root, UNKNOWN)


def _unrecorded(frame: pd.DataFrame) -> set[str]:
    out = set()
    for r in frame.itertuples(index=False):
        if str(r.is_not_recorded) == "True" or str(r.pct_of_recorded_display) == "[z]":
            out.add(str(r.category))
    return out


def attribute_disclosures(
    attack: Attack, truth: Mapping[tuple[str, ...], int] | None = None
) -> list[str]:
    """Columns of people tables whose every recorded member the reader can place; with the
    true figures (``truth``, keyed as the reader's variables), rows of offences nobody is
    in are left out."""
    found: list[str] = []
    known = {attack.root(attack.index[k]): v for k, v in attack.known.items() if k in attack.index}
    for table_id in sorted(attack.people):
        frame = attack.tables[table_id]
        skip = _unrecorded(frame)
        everyone = frame[frame["breakdown"] == "All"]
        empty = {
            str(r.category)
            for r in everyone.itertuples(index=False)
            if _range(
                attack, known, ("cell", table_id, "All", str(r.category)), str(r.count_display)
            )[1]
            == 0
        }
        for b, column in frame.groupby("breakdown", sort=False):
            ranges = {
                str(r.category): _range(
                    attack, known, ("cell", table_id, str(b), str(r.category)), str(r.count_display)
                )
                for r in column.itertuples(index=False)
            }
            if attack.additive.get(table_id, True):
                recorded = [c for c in ranges if c not in skip and (b == "All" or c not in empty)]
                if len(recorded) < 2:
                    continue
                for c in recorded:
                    others = [o for o in recorded if o != c]
                    if ranges[c][0] >= 1 and all(ranges[o][1] == 0 for o in others):
                        found.append(f"attribute: everyone recorded in {table_id} / {b} is {c}")
            else:
                den = _range(
                    attack,
                    known,
                    ("den", table_id, str(b)),
                    str(column["denominator_display"].iloc[0]),
                )
                if den[1] == 0 or math.isinf(den[1]):
                    continue
                for c, (low, _high) in ranges.items():
                    if c not in skip and c != str(b) and low >= den[1]:
                        found.append(f"attribute: everyone in {table_id} / {b} has {c}")
        found += [finding for _c, finding in _across_rows(attack, known, table_id, frame, skip)]
    # a victim of a group-based offence is a group-based victim (the published definition):
    # a row of offences all in one class tells which kind of victim every child of it was
    for table_id, frame in sorted(attack.tables.items()):
        if table_id not in attack.people and set(frame["breakdown"]) >= OFFENCE_CLASSES:
            unrecorded = {
                str(r.category)
                for r in frame.itertuples(index=False)
                if str(r.is_not_recorded) == "True"
            }
            rows = _across_rows(attack, known, table_id, frame, unrecorded, True)
            found += [
                finding
                for c, finding in rows
                if truth is None or truth.get(("cell", table_id, "All", c), 1) > 0
            ]
    return found


def _across_rows(
    attack: Attack,
    known: dict[int, float],
    table_id: str,
    frame: pd.DataFrame,
    skip: set[str],
    member_known: bool = False,
) -> list[tuple[str, str]]:
    """Rows read across the breakdowns: a recorded category held by someone (All) whose
    every breakdown but one is certainly empty places all its people in that breakdown
    ("every looked-after victim was a victim of group-based offending"), from shown cells
    or from ranges worked out with the other tables. Only where the breakdowns split the
    population (additive table, two or more recorded breakdowns). ``member_known``: the
    reader knows from outside that someone is in the row (where a child was abused), so a
    row whose every breakdown but one is certainly empty places them. Each finding comes
    with its row's category."""
    if not attack.additive.get(table_id, True):
        return []
    parts = [
        str(b)
        for b in dict.fromkeys(frame["breakdown"])
        if str(b) not in ("All", "Not recorded", *skip)
    ]
    if len(parts) < 2 or "All" not in set(frame["breakdown"]):
        return []
    empty = {
        b
        for b in parts
        if _range(
            attack,
            known,
            ("den", table_id, b),
            str(frame.loc[frame["breakdown"].astype(str) == b, "denominator_display"].iloc[0]),
        )[1]
        == 0
    }
    found = []
    for c in dict.fromkeys(str(x) for x in frame["category"]):
        if c in skip:
            continue
        display = {
            str(r.breakdown): str(r.count_display)
            for r in frame[frame["category"] == c].itertuples(index=False)
        }
        if "All" not in display or any(b not in display for b in parts):
            continue
        # a breakdown the definitions rule out for this row ([z]: no group-based offence
        # before the first group began) or that nobody is in at all is no alternative: what
        # is left says only what the definitions say
        open_parts = [b for b in parts if display[b] != "[z]" and b not in empty]
        if len(open_parts) < 2:
            continue
        everyone = _range(attack, known, ("cell", table_id, "All", c), display["All"])
        ranges = {
            b: _range(attack, known, ("cell", table_id, b, c), display[b]) for b in open_parts
        }
        held = [b for b, (_low, high) in ranges.items() if high > 0]
        someone = member_known or (everyone[0] >= 1 and ranges[held[0]][0] >= 1 if held else False)
        if len(held) == 1 and someone:
            found.append((c, f"attribute: everyone recorded as {c} in {table_id} is {held[0]}"))
    return found
