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
* the statistics of time to identification describe every identified victim (0 days for
  those identified at first contact), so their ``n`` is their table's column total;
* a victim's time to identification runs from their first earlier contact, which the
  timeline of contacts counts with its agency in the period holding the time; and a victim
  with a contact in a period took at least that long (:func:`add_timeline`, the third red
  team of stop 61);
* where a statistics file gives ``n`` for All and for breakdowns that split All, the
  breakdowns' ``n`` add up to All's;
* each type of contact belongs to one agency (the synthetic data's documentation says which),
  so an agency's contacts before identification are the sum of its types' contacts, and the
  victims with a contact of a type are at most its contacts (:func:`add_contact_sums`);
* the agencies' contacts add up to the identified victims' earlier contacts, which the bands
  of their number bound;
* the sensitivity table's range rows hold the configured figure, and the configured and the
  accepted figures at their ends (:func:`ranges_giving_back`, the seventh red team of stop
  62).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tests.disclosure.attacker_pages import band_of

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack

JOURNEYS = "journeys_identification"
PRIOR = "journeys_prior_contacts"
TIME = "journeys_time_to_identification"
KNOWN_NOT_IDENTIFIED = "Known to agencies, not identified"
FIRST = "Identified at first contact"
IDENTIFIED, NOT_IDENTIFIED = "Identified", "Known, not identified"
NO_CONTACT = "None"
KNOWN_AS_IDENTIFIED = {
    "journeys_known_contacts": PRIOR,
    "journeys_known_agency": "journeys_contacts_agency",
}
KNOWN_TABLES = (*KNOWN_AS_IDENTIFIED, "journeys_age_first_contact")
Key = tuple[str, ...]
# docs/synthetic-data.md: "Each contact type belongs to one agency"
_POLICE, _CARE, _HEALTH = "Police", "Children's social care", "Health services"
AGENCY_OF_CONTACT = {
    "Missing episode": _POLICE,
    "Police contact": _POLICE,
    "Recorded as the victim of an offence": _POLICE,
    "Social care referral": _CARE,
    "Social care assessment": _CARE,
    "School exclusion": _CARE,
    "Strategy meeting": _CARE,
    "CSE risk assessment": _CARE,
    "Education contact": _CARE,
    "Voluntary sector contact": _CARE,
    "Child sexual exploitation identified": _CARE,
    "A&E attendance": _HEALTH,
    "Sexual health clinic visit": _HEALTH,
    "GP contact": _HEALTH,
}
BY_AGENCY, BY_TYPE = "journeys_contacts_agency", "journeys_contacts_event_type"
TIME_TABLES = (TIME, "journeys_by_year")
TIMELINE = "journeys_contacts_timeline"
_MONTHS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[float, float]]], ...] = (
    (re.compile(r"^Under (\d+) months?$"), lambda m: (0.0, float(m[1]))),
    (re.compile(r"^(\d+) to (\d+) months$"), lambda m: (float(m[1]), float(m[2]) + 1)),
    (
        re.compile(r"^(\d+) years? to under (\d+) years$"),
        lambda m: (12.0 * float(m[1]), 12.0 * float(m[2])),
    ),
    (re.compile(r"^(\d+) years or more$"), lambda m: (12.0 * float(m[1]), math.inf)),
)


def months(label: str) -> tuple[float, float] | None:
    """A band of time read from its label, as [from, to) in months ("before" dropped)."""
    text = label.removesuffix(" before")
    for pattern, bounds in _MONTHS:
        found = pattern.match(text)
        if found:
            return bounds(found)
    return None


def add_timeline(attack: Attack) -> None:
    """Each band of time to identification (All) at most the timeline's periods that overlap
    it, over every agency; each timeline cell at most the bands of time that reach it."""
    timeline = attack.tables.get(TIMELINE)
    if timeline is None:
        return
    periods = {
        (str(r.breakdown), str(r.category)): band
        for r in timeline.itertuples(index=False)
        if (band := months(str(r.category))) is not None
    }
    for table in TIME_TABLES:
        frame = attack.tables.get(table)
        if frame is None:
            continue
        bands = {
            str(c): band
            for c in frame.loc[frame["breakdown"] == "All", "category"]
            if (band := months(str(c))) is not None
        }
        for c, (low, high) in bands.items():
            over = [k for k, (p_low, p_high) in periods.items() if p_low < high and low < p_high]
            attack.ub.append(
                (
                    {
                        ("cell", table, "All", c): 1.0,
                        **{("cell", TIMELINE, *k): -1.0 for k in over},
                    },
                    0,
                )
            )
        for k, (p_low, _p_high) in periods.items():
            reach = [c for c, (_low, high) in bands.items() if high > p_low]
            attack.ub.append(
                (
                    {
                        ("cell", TIMELINE, *k): 1.0,
                        **{("cell", table, "All", c): -1.0 for c in reach},
                    },
                    0,
                )
            )


CONTACTS = "contacts_before_identification"


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
                if table in TIME_TABLES and has(table, breakdown):
                    attack.same(keys[breakdown], ("den", table, breakdown))
            if len(parts) < 2 or not set(by_breakdown) >= {"All", *parts}:
                continue
            values = [by_breakdown[b] for b in parts]
            whole = by_breakdown["All"]
            complete = whole is not None and all(v is not None for v in values)
            if complete and sum(v or 0 for v in values) != whole:
                continue  # these breakdowns do not split this statistic's people
            attack.eq.append({keys["All"]: -1.0, **{keys[b]: 1.0 for b in parts}})


def _differ(attack: Attack, a: Key, b: Key) -> bool:
    """Both figures shown, and not the same."""
    return a in attack.known and b in attack.known and attack.known[a] != attack.known[b]


def add_contact_sums(attack: Attack, folder: Path) -> None:
    """An agency's contacts before identification are its types' contacts (``AGENCY_OF_CONTACT``,
    used for an agency only where its figures, all shown, agree), and a type's victims (its
    ``n``) at most its contacts. One of a sum withheld alone is worked out exactly: listed in
    ``recovered``."""
    stats = _statistics(folder)
    if BY_AGENCY not in stats or BY_TYPE not in stats:
        return
    value: dict[tuple[str, str], float | None] = {}
    for table in (BY_AGENCY, BY_TYPE):
        for row in stats[table].itertuples(index=False):
            if str(row.statistic) == CONTACTS:
                key = (table, str(row.breakdown))
                value[key] = _n(row.value_display)
                contacts: Key = ("contacts", *key)
                attack.var(contacts)
                if value[key] is not None:
                    attack.known[contacts] = value[key] or 0.0
                if table == BY_TYPE:  # the victims with a contact of the type
                    people = ("stat_n", table, key[1], CONTACTS)
                    attack.ub.append(({people: 1.0, contacts: -1.0}, 0))
                    cell = ("cell", table, "All", key[1])
                    if cell in attack.index and not _differ(attack, people, cell):
                        attack.same(people, cell)  # the table's count of those victims
    for agency in [b for t, b in value if t == BY_AGENCY]:
        parts = [
            (BY_TYPE, b) for t, b in value if t == BY_TYPE and AGENCY_OF_CONTACT.get(b) == agency
        ]
        members = [(BY_AGENCY, agency), *parts]
        shown = [value[m] for m in members]
        if all(v is not None for v in shown) and shown[0] != sum(v or 0 for v in shown[1:]):
            continue  # the documented types do not make up this agency's contacts here
        attack.eq.append(
            {("contacts", *members[0]): -1.0, **{("contacts", *m): 1.0 for m in parts}}
        )
        withheld = [m for m, v in zip(members, shown, strict=True) if v is None]
        if len(withheld) == 1:
            attack.recovered.append(f"{withheld[0][1]} contacts before identification")
    prior = stats.get(PRIOR)
    mean = (
        prior[(prior["breakdown"] == "All") & (prior["statistic"] == "mean")]["value_display"]
        if prior is not None
        else pd.Series(dtype=str)
    )
    for table in (BY_AGENCY, BY_TYPE):
        side = [v for (t, _), v in value.items() if t == table]
        if side and all(v is not None for v in side) and (mean == "[c]").any():
            attack.recovered.append(f"the withheld mean of earlier contacts, from {table}")
    _total_against_bands(attack, [v for (t, _), v in value.items() if t == BY_AGENCY])


def _total_against_bands(attack: Attack, agencies: list[float | None]) -> None:
    """Every contact before identification is one of an identified victim's earlier
    contacts: the agencies' contacts add up to the sum of the identified victims' numbers of
    earlier contacts (the mean times its n, which a withheld mean then gives back), which
    the bands of their table bound."""
    frame = attack.tables.get(PRIOR)
    if not agencies or any(v is None for v in agencies) or frame is None:
        return
    total = sum(v or 0.0 for v in agencies)
    bands = {
        str(c): band
        for c in frame.loc[frame["breakdown"] == "All", "category"]
        if (band := band_of(str(c))) is not None
    }
    cells = {c: ("cell", PRIOR, "All", c) for c in bands}
    attack.ub.append(({cells[c]: float(lo) for c, (lo, _) in bands.items()}, total))
    if all(math.isfinite(hi) for _, hi in bands.values()):
        attack.ub.append(({cells[c]: -float(hi) for c, (_, hi) in bands.items()}, -total))


SENSITIVITY = "journeys_sensitivity"
RANGE_ENDS = ("As configured", "Review-queue links accepted")
RANGE = "Range with review-queue links accepted"


def ranges_giving_back(folder: Path) -> list[str]:
    """The sensitivity table's statistics withheld in the configured or the accepted row and
    shown at an end of the range row (its value is the configured figure)."""
    frame = _statistics(folder).get(SENSITIVITY)
    if frame is None:
        return []
    shown = {
        (str(r.breakdown), str(r.statistic)): str(r.value_display) != "[c]"
        for r in frame.itertuples(index=False)
    }
    return [
        f"{SENSITIVITY}: {statistic} of '{end}', withheld, shown by the range row"
        for (breakdown, statistic), is_shown in shown.items()
        if breakdown == RANGE and is_shown
        for end in RANGE_ENDS
        if shown.get((end, statistic)) is False
    ]
