"""Published percentages, shares and intervals as relations the audit can solve.

A percentage shown to ``d`` decimal places, ``p``, tells a reader that the true ratio lies
within half a unit of the last digit: ``p - h <= 100 * count / base <= p + h`` with
``h = 0.5 / 10**d``. Multiplied out by the base (a whole, non-negative count) that is two
linear inequalities in whole numbers:

    (2P - 1) * base <= 2 * 100 * 10**d * count <= (2P + 1) * base,    P = p * 10**d

so every such figure joins the audited system exactly, whichever figures it is worked
from:

* ``pct_of_all``: count over the column total;
* ``pct_of_recorded``: count over the column total less its unrecorded counts;
* the share recorded (``completeness`` in the table's metadata, shown to one decimal place
  of a percent): the column total less its unrecorded counts, over the column total.

``[low]`` (above zero, but rounds to zero) is the interval ``0 < ratio <= h``. When counts
are rounded, percentages are worked from the rounded figures: they are then a function of
figures that are shown, and a percentage shown beside a withheld figure is outside the
model. So are Wilson intervals (not linear in their figures) shown beside a withheld figure.
Figures outside the model are reported as problems, so the audit fails loudly.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gbo.disclosure.cells import FAMILY_PERCENT, FAMILY_SHARE_RECORDED, CellRef, Constraint
from gbo.disclosure.linear_system import ALL, LinearSystem
from gbo.disclosure.symbols import CONFIDENTIAL, ROUNDS_TO_ZERO, is_symbol

SHARE_DECIMALS = 1
FAMILY_DERIVED = "percentages and intervals worked from shown figures only"


@dataclass
class PercentModel:
    """The relations published percentages add, and the figures outside the model."""

    constraints: list[Constraint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    n_derived: int = 0


def _shown(display: object) -> str | None:
    """The number part of a displayed percentage ('12.5 [u]' -> '12.5'), or None."""
    text = str(display).split(" ")[0]
    if text == ROUNDS_TO_ZERO:
        return text
    if not text or is_symbol(text):
        return None
    return text


def interval_constraints(
    numerator: list[tuple[int, int]],
    base: list[tuple[int, int]],
    display: str,
    description: str,
    family: str,
    decimals_shown: int = 1,
) -> list[Constraint]:
    """The two inequalities of a percentage ``display`` of ``numerator`` over ``base``.

    ``numerator`` and ``base`` are (quantity, coefficient) sums.
    """
    if display == ROUNDS_TO_ZERO:
        decimals, units = decimals_shown, 0
    else:
        whole, _, fraction = display.partition(".")
        decimals = len(fraction)
        units = int(whole + fraction)
    scale = 2 * 100 * 10**decimals
    out: list[Constraint] = []
    for side, offset in ((-1, -1), (1, 1)):
        # side -1: (2P - 1) * base - scale * numerator <= 0; side 1: the mirror image
        members: list[int] = []
        coefficients: list[int] = []
        for q, k in base:
            members.append(q)
            coefficients.append(-side * (2 * units + offset) * k)
        for q, k in numerator:
            members.append(q)
            coefficients.append(side * scale * k)
        if display == ROUNDS_TO_ZERO and side == -1:
            # above zero: the numerator is at least one
            out.append(
                Constraint(
                    [q for q, _ in numerator],
                    [-k for _, k in numerator],
                    f"{description} is above zero",
                    is_equality=False,
                    family=family,
                    rhs=-1,
                )
            )
            continue
        out.append(Constraint(members, coefficients, description, is_equality=False, family=family))
    return out


def percent_model(
    system: LinearSystem,
    published: pd.DataFrame,
    published_meta: Mapping[str, Mapping[str, Any]],
    unrecorded_by_table: Mapping[str, set[str]],
    rounding_base: int,
    percent_decimals: int = 1,
) -> PercentModel:
    """Every published percentage, share recorded and interval: modelled, or a problem."""
    model = PercentModel()
    index = system.ref_index
    hidden_text = CONFIDENTIAL
    for table_id, frame in published.groupby("table_id", sort=False):
        table = str(table_id)
        unrecorded = unrecorded_by_table.get(table, set())
        for breakdown, column in frame.groupby("breakdown", sort=False):
            b = str(breakdown)
            total = index.get(CellRef(table, b, None))
            hidden_total = bool((column["denominator_display"] == hidden_text).any())
            nr_cells = [
                (index[CellRef(table, b, str(c))], str(d))
                for c, d in zip(column["category"], column["count_display"], strict=True)
                if str(c) in unrecorded and CellRef(table, b, str(c)) in index
            ]
            any_hidden_nr = any(d == hidden_text for _, d in nr_cells)
            for row in column.itertuples(index=False):
                where = f"'{row.category}' in breakdown '{b}' of table {table}"
                count = index.get(CellRef(table, b, str(row.category)))
                count_hidden = row.count_display == hidden_text
                if total is None or count is None:
                    continue
                for name, base, hides in (
                    ("pct_of_all", [(total, 1)], count_hidden or hidden_total),
                    (
                        "pct_of_recorded",
                        [(total, 1)] + [(q, -1) for q, _ in nr_cells],
                        count_hidden or hidden_total or any_hidden_nr,
                    ),
                ):
                    text = _shown(getattr(row, f"{name}_display"))
                    if text is None:
                        continue
                    if not hides:
                        model.n_derived += 1
                    if rounding_base > 1:
                        if hides:
                            model.problems.append(
                                f"{name} of {where} is worked from rounded figures and shown "
                                "beside a withheld one: outside the audited model"
                            )
                        continue
                    model.constraints += interval_constraints(
                        [(count, 1)],
                        base,
                        text,
                        f"{name} of {where}",
                        FAMILY_PERCENT,
                        percent_decimals,
                    )
                for name in ("ci_lower", "ci_upper"):
                    text = _shown(getattr(row, f"{name}_display"))
                    if text is None:
                        continue
                    if count_hidden or hidden_total:
                        model.problems.append(
                            f"{name} of {where} (a Wilson interval, not linear in its figures) "
                            "is shown beside a withheld figure: outside the audited model"
                        )
                    else:
                        model.n_derived += 1
        meta = published_meta.get(table)
        rounded = (meta or {}).get("disclosure", {}).get("rounding_base", 1) > 1
        _share_recorded(
            system, table, frame, meta, unrecorded, model, rounding_base > 1 and rounded
        )
    return model


def share_recorded_column(frame: pd.DataFrame) -> str:
    """The column a table's share recorded is worked from: All, or its first breakdown."""
    breakdowns = list(dict.fromkeys(str(b) for b in frame["breakdown"]))
    return ALL if ALL in breakdowns else breakdowns[0]


def share_of_shown(column: pd.DataFrame, unrecorded: Collection[str]) -> float | None:
    """The share recorded worked from one column's figures as published (``count`` and
    ``denominator``, null where withheld): its total less its ``unrecorded`` counts, over
    its total. None where a figure it needs is withheld or the total is nobody."""
    if column.empty or column["denominator"].isna().any():
        return None
    total = int(column["denominator"].iloc[0])
    missing = column.loc[column["category"].astype(str).isin(unrecorded), "count"]
    if total <= 0 or missing.isna().any():
        return None
    return float((total - int(missing.sum())) / total)


def _share_recorded(
    system: LinearSystem,
    table: str,
    frame: pd.DataFrame,
    meta: Mapping[str, Any] | None,
    unrecorded: set[str],
    model: PercentModel,
    rounded: bool,
) -> None:
    """The table's share recorded, as shown (one decimal place of a percent). With counts
    ``rounded`` it is worked from the shown figures: it adds nothing a reader does not
    have, as long as it is that (else a problem)."""
    share = (meta or {}).get("completeness")
    if share is None:
        return
    head = share_recorded_column(frame)
    head_rows = frame[frame["breakdown"].astype(str) == head]
    if rounded:
        worked = share_of_shown(head_rows, unrecorded)
        if worked is not None and abs(float(share) - worked) < 1e-9:
            model.n_derived += 1
            return
        model.problems.append(
            f"the share recorded of table {table} is not worked from its rounded figures as "
            "shown: outside the audited model"
        )
        return
    total = system.ref_index.get(CellRef(table, head, None))
    if total is None:
        return
    nr = [
        system.ref_index[CellRef(table, head, str(c))]
        for c in head_rows["category"]
        if str(c) in unrecorded and CellRef(table, head, str(c)) in system.ref_index
    ]
    display = f"{100.0 * float(share):.{SHARE_DECIMALS}f}"
    model.constraints += interval_constraints(
        [(total, 1)] + [(q, -1) for q in nr],
        [(total, 1)],
        display,
        f"the share recorded of table {table}",
        FAMILY_SHARE_RECORDED,
    )
