"""Figures published as text: shares recorded, counts in notes, periods.

Tables are not the only place a figure is published. Each of these goes through the same
control as the cells:

* **Share recorded.** A table's ``completeness`` (the share of its first column with a
  recorded value) is ``1 - unrecorded / total``: to one decimal place of a total under about
  a thousand it gives the unrecorded count back. It is published only when the column total
  and every unrecorded count it is worked from are shown; otherwise it is withheld.
* **Counts and shares in notes** (``{{figure=name:n}}``, ``{{share=r/n@key}}``) are
  figures of the one system the audit solves: see :mod:`gbo.disclosure.text_figures`. A
  share is also withheld, in every table that quotes it, when a table quoting it withholds
  its share recorded (a withheld unrecorded count).
* **Dates.** A date in a period line or note (``2012-02-02``) can be the date of one
  offence. Every ISO date in the published metadata is given as its month and year.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from gbo.disclosure.cells import CellRef
from gbo.disclosure.linear_system import LinearSystem
from gbo.disclosure.percent_relations import share_of_shown, share_recorded_column
from gbo.disclosure.primary import not_recorded_categories
from gbo.disclosure.state import SuppressionState
from gbo.disclosure.text_figures import SHARE, TEXT_KEYS, render_text_figures

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_of(match: re.Match[str]) -> str:
    month = int(match.group(2))
    if not 1 <= month <= 12:
        return match.group(0)
    return f"{MONTHS[month - 1]} {match.group(1)}"


def control_text(
    text: str,
    shown: Mapping[tuple[str, str | None], str],
    withheld_shares: Collection[str] = (),
) -> str:
    """A published sentence with its quoted figures as controlled (``shown``, from
    :func:`~gbo.disclosure.text_figures.shown_text_figures`) and its dates given as months;
    the share placeholders in ``withheld_shares`` are ``[c]`` whatever their parts."""
    return ISO_DATE.sub(month_of, render_text_figures(text, shown, withheld_shares))


def shares_in_notes(meta: Mapping[str, Any]) -> set[str]:
    """The share placeholders (``{{share=r/n@key}}``) of one table's notes."""
    return {
        m.group(0)
        for note in meta.get("notes") or []
        if isinstance(note, str)
        for m in SHARE.finditer(note)
    }


def control_metadata_text(
    meta: dict[str, Any],
    shown: Mapping[tuple[str, str | None], str],
    withheld_shares: Collection[str] = (),
) -> None:
    """Apply :func:`control_text` to every published text of one table's metadata, in place."""
    for key in TEXT_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            meta[key] = control_text(value, shown, withheld_shares)
        elif isinstance(value, list):
            meta[key] = [
                control_text(v, shown, withheld_shares) if isinstance(v, str) else v for v in value
            ]


def share_recorded_is_safe(
    table_id: str,
    frame: pd.DataFrame | None,
    system: LinearSystem,
    state: SuppressionState,
) -> bool:
    """True when every figure the share recorded is worked from is shown."""
    if frame is None or frame.empty:
        return True
    head = share_recorded_column(frame)
    refs = [CellRef(table_id, head, None)]
    refs += [CellRef(table_id, head, c) for c in sorted(not_recorded_categories(frame))]
    for ref in refs:
        q = system.ref_index.get(ref)
        if q is not None and state.is_hidden(q):
            return False
    return True


def control_share_recorded(
    meta: dict[str, Any],
    table_id: str,
    frame: pd.DataFrame | None,
    system: LinearSystem,
    state: SuppressionState,
    shown: pd.DataFrame | None = None,
) -> None:
    """Withhold a table's share recorded where it would give a withheld count back. With
    its counts rounded, work it from the figures as published (``shown``, the table's
    published rows): a share of the true counts would give them back ("45.5%" of a shown
    130 fits only 60 of 132)."""
    if meta.get("completeness") is None:
        return
    if not share_recorded_is_safe(table_id, frame, system, state):
        meta["completeness"] = None
        notes = list(meta.get("notes") or [])
        notes.append(
            "The share of records with this item recorded is withheld: it would let a "
            "withheld count be worked out."
        )
        meta["notes"] = notes
    elif frame is not None and meta.get("disclosure", {}).get("rounding_base", 1) > 1:
        if shown is None:
            meta["completeness"] = None
            return
        column = shown[shown["breakdown"].astype(str) == share_recorded_column(frame)]
        meta["completeness"] = share_of_shown(column, not_recorded_categories(frame))


def input_frames(rows: pd.DataFrame) -> Mapping[str, pd.DataFrame]:
    return {str(t): f for t, f in rows.groupby("table_id", sort=False)}
