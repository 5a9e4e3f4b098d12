"""Figures published as text: shares recorded, counts in notes, periods.

Tables are not the only place a figure is published. Each of these goes through the same
control as the cells:

* **Share recorded.** A table's ``completeness`` (the share of its first column with a
  recorded value) is ``1 - unrecorded / total``: to one decimal place of a total under about
  a thousand it gives the unrecorded count back. It is published only when the column total
  and every unrecorded count it is worked from are shown; otherwise it is withheld.
* **Counts in notes.** A note quotes a count of people as ``{{n=12}}`` (see :func:`count_in_text`).
  The placeholder becomes the count when it may be shown (zero, or at least the threshold,
  rounded like the tables' counts), and "fewer than k" otherwise.
* **Shares in notes.** A note quotes a whole-percent share as ``{{share=r/n}}`` (see
  :func:`share_in_text`): "99% of 165" would say that one or two rows lack the item, so the
  share is withheld when either part or the total is a small count. It is the table's
  share recorded by agency, so it is withheld too, in every table that quotes it, when a
  table quoting it withholds its share recorded (a withheld unrecorded count).
* **Dates.** A date in a period line or note (``2012-02-02``) can be the date of one
  offence. Every ISO date in the published metadata is given as its month and year.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.cells import CellRef
from gbo.disclosure.linear_system import ALL, LinearSystem
from gbo.disclosure.primary import not_recorded_categories
from gbo.disclosure.rounding import round_counts
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import SuppressionState
from gbo.disclosure.symbols import CONFIDENTIAL

PLACEHOLDER = re.compile(r"\{\{n=(\d+)\}\}")
SHARE_PLACEHOLDER = re.compile(r"\{\{share=(\d+)/(\d+)\}\}")
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
TEXT_KEYS = ("notes", "period", "definition", "population", "title")


def count_in_text(n: int) -> str:
    """A count for a note, to be rendered by the disclosure stage (shown or 'fewer than k')."""
    return f"{{{{n={int(n)}}}}}"


def render_count(n: int, settings: DisclosureSettings) -> str:
    if n == 0:
        return "0"
    if n < settings.threshold:
        return f"fewer than {settings.threshold}"
    return f"{int(round_counts(np.array([n]), settings.rounding_base)[0]):,}"


def share_in_text(recorded: int, n: int) -> str:
    """A whole-percent share of n for a note ("73% of 1,181"), rendered by the disclosure
    stage: see :func:`render_share`."""
    return f"{{{{share={int(recorded)}/{int(n)}}}}}"


def render_share(recorded: int, n: int, settings: DisclosureSettings) -> str:
    """ "p% of n", unless the share would give back a small count.

    A whole percentage of n pins the rows without the item to within n / 100 (or n / 200
    at 0% and 100%): "99% of 165" says one or two rows lack it. The share is shown only when
    neither part (with the item, without it) nor n is a count from 1 to k - 1; otherwise it
    is ``[c]``, and n is said like any count in text.
    """
    parts = (recorded, n - recorded, n)
    if any(0 < x < settings.threshold for x in parts):
        return f"{CONFIDENTIAL} of {render_count(n, settings)}"
    return f"{100 * recorded / n:.0f}% of {render_count(n, settings)}" if n else "none"


def month_of(match: re.Match[str]) -> str:
    month = int(match.group(2))
    if not 1 <= month <= 12:
        return match.group(0)
    return f"{MONTHS[month - 1]} {match.group(1)}"


def control_text(
    text: str, settings: DisclosureSettings, withheld_shares: Collection[str] = ()
) -> str:
    """A published sentence with its counts controlled and its dates given as months;
    the share placeholders in ``withheld_shares`` are ``[c]`` whatever their parts."""

    def share(m: re.Match[str]) -> str:
        recorded, n = int(m.group(1)), int(m.group(2))
        if m.group(0) in withheld_shares:
            return f"{CONFIDENTIAL} of {render_count(n, settings)}"
        return render_share(recorded, n, settings)

    text = PLACEHOLDER.sub(lambda m: render_count(int(m.group(1)), settings), text)
    text = SHARE_PLACEHOLDER.sub(share, text)
    return ISO_DATE.sub(month_of, text)


def shares_in_notes(meta: Mapping[str, Any]) -> set[str]:
    """The share placeholders (``{{share=r/n}}``) of one table's notes."""
    return {
        m.group(0)
        for note in meta.get("notes") or []
        if isinstance(note, str)
        for m in SHARE_PLACEHOLDER.finditer(note)
    }


def control_metadata_text(
    meta: dict[str, Any], settings: DisclosureSettings, withheld_shares: Collection[str] = ()
) -> None:
    """Apply :func:`control_text` to every published text of one table's metadata, in place."""
    for key in TEXT_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            meta[key] = control_text(value, settings, withheld_shares)
        elif isinstance(value, list):
            meta[key] = [
                control_text(v, settings, withheld_shares) if isinstance(v, str) else v
                for v in value
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
    breakdowns = list(dict.fromkeys(str(b) for b in frame["breakdown"]))
    head = ALL if ALL in breakdowns else breakdowns[0]
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
) -> None:
    """Withhold a table's share recorded where it would give a withheld count back."""
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


def input_frames(rows: pd.DataFrame) -> Mapping[str, pd.DataFrame]:
    return {str(t): f for t, f in rows.groupby("table_id", sort=False)}
