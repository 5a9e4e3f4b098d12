"""Negative attributes: zeros that tell the reader what nobody in a small population has.

Like :mod:`tests.disclosure.attacker_attributes` this reads the reader's solved ranges (every
published file, every table together, LP bounds where a figure is withheld); unlike it, it
is also given the true figures (``truth``), because whether a population is small is a fact
about the people, not about what the reader can see. The assessor, not the reader, holds it.

A **zero** is a cell of a table about people that the reader knows is 0: shown as 0, or
withheld with a range of 0 to 0 (``[z]``, a structural zero, says nothing and is not one).
A zero at breakdown *b* and category *c* says two things:

* of the people in column *b*: none of them has *c* ("no looked-after victim was male", when
  the column is the looked-after victims and *c* is Male);
* of the people in row *c*: none of them is in breakdown *b*.

Either is a **finding** when its population is small: its true number of people is from 1 to
``threshold - 1``. The population of a column is the people of the column whose attribute is
recorded (its total less its unrecorded categories); that of a row is the people with *c*
(the ``All`` cell) less those in a ``Not recorded`` breakdown. It is not a finding when

* *c* (for a column) or *b* (for a row) is an unrecorded category or breakdown: "none of
  them is unrecorded" is no attribute;
* the column has fewer than two recorded categories (the row fewer than two recorded
  breakdowns): there is no attribute to choose between;
* the zero is implied by one about a larger population the reader sees: for a column, the
  reader knows nobody in the whole table has *c* (its ``All`` cell is 0; that zero is then
  judged with the ``All`` column's own population); for a row, the reader knows nobody is
  in *b* at all (its total is 0).

A zero over a population of *k* or more people is not a finding: it says something of a
population, not of people a reader could single out. With rounding on, a shown 0 is not a
certain zero; the check takes it as one (worlds are measured without rounding).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tests.disclosure.attacker_attributes import _range, _unrecorded

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack, Key

NOT_RECORDED = "Not recorded"
Truth = Mapping[tuple[str, ...], int]


def true_figures(*stage_dirs: Path) -> dict[tuple[str, ...], int]:
    """The true counts and column totals of a run's tables, from the ``tables.parquet`` of
    the given stage folders (the profile and lessons stages; never published), keyed as the
    reader's variables: ``("cell", table, breakdown, category)`` and ``("den", table,
    breakdown)``."""
    columns = ["table_id", "breakdown", "category", "count", "denominator"]
    out: dict[tuple[str, ...], int] = {}
    for folder in stage_dirs:
        path = folder / "tables.parquet"
        frame = pd.read_parquet(path) if path.exists() else pd.DataFrame()
        if set(columns) <= set(frame.columns):
            out |= truth_of_rows(frame[columns])
    return out


def truth_of_rows(frame: pd.DataFrame) -> dict[tuple[str, ...], int]:
    """True figures of tidy rows (``table_id``, ``breakdown``, ``category``, ``count``,
    ``denominator``), keyed as :func:`true_figures`."""
    out: dict[tuple[str, ...], int] = {}
    # pandas-stubs type a row as a tuple, whose count method hides the column "count"
    r: Any
    for r in frame.itertuples(index=False):
        t, b = str(r.table_id), str(r.breakdown)
        if not pd.isna(r.count):
            out[("cell", t, b, str(r.category))] = int(r.count)
        if not pd.isna(r.denominator):
            out[("den", t, b)] = int(r.denominator)
    return out


def negative_attribute_disclosures(attack: Attack, truth: Truth, threshold: int) -> list[str]:
    """Zeros the reader knows, about a population of 1 to ``threshold - 1`` people."""
    found: list[str] = []
    known = {attack.root(attack.index[k]): v for k, v in attack.known.items() if k in attack.index}

    def certain_zero(key: Key, display: str) -> bool:
        return display != "[z]" and _range(attack, known, key, display)[1] == 0

    for table_id in sorted(attack.people):
        frame = attack.tables[table_id]
        skip = _unrecorded(frame)
        display = {
            (str(r.breakdown), str(r.category)): str(r.count_display)
            for r in frame.itertuples(index=False)
        }
        totals = {
            str(r.breakdown): str(r.denominator_display) for r in frame.itertuples(index=False)
        }
        breakdowns = list(dict.fromkeys(str(b) for b in frame["breakdown"]))
        categories = list(dict.fromkeys(str(c) for c in frame["category"]))
        recorded = [c for c in categories if c not in skip]
        parts = [b for b in breakdowns if b not in ("All", NOT_RECORDED, *skip)]

        def cell(b: str, c: str, t: str = table_id) -> Key:
            return ("cell", t, b, c)

        def small(size: int) -> bool:
            return 0 < size < threshold

        # columns: none of the people of breakdown b has category c
        if len(recorded) >= 2:
            for b in breakdowns:
                size = truth.get(("den", table_id, b), 0) - sum(
                    truth.get(cell(b, c), 0) for c in categories if c in skip
                )
                if not small(size):
                    continue
                for c in recorded:
                    if (b, c) not in display or not certain_zero(cell(b, c), display[(b, c)]):
                        continue
                    if b != "All" and (
                        ("All", c) in display and certain_zero(cell("All", c), display[("All", c)])
                    ):
                        continue  # nobody in the whole table has c
                    found.append(
                        f"negative attribute: none of the {size} recorded in {table_id} / {b} "
                        f"is {c}"
                    )
        # rows: none of the people with category c is in breakdown b
        if len(parts) >= 2 and "All" in breakdowns:
            for c in recorded:
                size = truth.get(cell("All", c), 0) - truth.get(cell(NOT_RECORDED, c), 0)
                if not small(size):
                    continue
                for b in parts:
                    if (b, c) not in display or not certain_zero(cell(b, c), display[(b, c)]):
                        continue
                    if certain_zero(("den", table_id, b), totals.get(b, "")):
                        continue  # nobody is in b at all
                    found.append(
                        f"negative attribute: none of the {size} recorded as {c} in {table_id} "
                        f"is {b}"
                    )
    return found
