"""The reader's knowledge of the groups and year tables' definitions (no gbo import).

Stop 57's outside reader used these, none of which gbo had declared:

* groups partition the offenders in a group, so the groups by number of offenders bound
  offenders "In a group": at least each band's lower end times its groups, added up (at
  most the upper ends, where no band is open);
* a child is a victim of one group (true in every release tested, so a reader may take it),
  so the groups by number of victims bound the group-based victims the same way;
* a group with an offence of an offence group holds a group-based offence of it, and a
  group-based offence is some group's, so where no group has an offence of an offence group
  there is no group-based one (the seventh red team of stop 62); the same of the groups and
  the group-based offences with an online element; every offence of an offender in a group
  is group-based (a group's offences are those naming a member), so no group-based offence
  in a year means no offender in a group first offended in it (the eighth);
* the year tables list only the years seen, so each listed year's All figure is at least 1,
  and a group listed under a year has its first offence, a group-based one, in that year
  (and, as it holds in every release tested, a member who first offended that year);
* an open band of group sizes ends at the whole (no group is larger than all of them);
* an offence located online has an online element, and an A&E, sexual health or GP
  contact (or the health contact signal) is a contact with health services (stop 57's
  second reader; :func:`add_contained`);
* the group sensitivity table's row for the configured rule counts the groups and the
  offenders the tables count: :func:`sensitivity_disagreements` lists the figures shown in
  one place and withheld (or different) in the other.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack

Key = tuple[str, ...]

ALL = "All"
# banded groups table -> the figure its bands add up to (a cell, or a column total)
BANDED = {
    "groups_size": ("cell", "offenders_group_status", ALL, "In a group"),
    "groups_victims": ("den", "victims_sex", "Group-based"),
}
# (groups table, a table each of whose groups holds one of, in this breakdown): per category,
# an offence of the group's offence group; the group's first offence, in its first year;
# a member who first offended in that year
GROUPS_WITHIN = (
    ("groups_offence_mix", "scale_offence_type", "Group-based"),
    ("groups_online", "context_online", "Group-based"),
    ("scale_groups_by_year", "scale_offences_by_year", "Group-based"),
    ("scale_groups_by_year", "scale_offenders_by_year", "In a group"),
)
# ((table, breakdown) counted, (table, breakdown) that must hold one of each, categories):
# a group-based offence of a category is a group's with it, an offender in a group first
# offended in a group-based offence: none of them where none holds (None: every category)
GROUPS_HOLDING = (
    (("scale_offence_type", "Group-based"), ("groups_offence_mix", ALL), None),
    (("context_online", "Group-based"), ("groups_online", ALL), ("Yes",)),
    # every offence of an offender in a group names a member: it is group-based
    (("scale_offenders_by_year", "In a group"), ("scale_offences_by_year", "Group-based"), None),
)
# more offences than any release tested holds, where the offences' total is withheld
ANY_NUMBER = 1e5
YEAR_TABLES = (
    "scale_offences_by_year",
    "scale_victims_by_year",
    "scale_offenders_by_year",
    "scale_groups_by_year",
)
WITHHELD = "[c]"


def _band(label: str) -> tuple[float, float]:
    """A band's ends from its label ("2", "3 to 4", "10 or more"; "None recorded" is 0)."""
    text = label.strip()
    if text == "None recorded":
        return 0.0, 0.0
    if re.fullmatch(r"\d+", text):
        return float(text), float(text)
    found = re.fullmatch(r"(\d+) to (\d+)", text)
    if found:
        return float(found[1]), float(found[2])
    found = re.fullmatch(r"(\d+) or more", text)
    if found:
        return float(found[1]), math.inf
    return 0.0, math.inf  # "Not recorded": any number


def _categories(frame: pd.DataFrame, breakdown: str) -> list[str]:
    return [str(c) for c in frame.loc[frame["breakdown"] == breakdown, "category"]]


def add_groups(attack: Attack) -> None:
    """The relations above, for whichever of their tables the release has."""
    tables = attack.tables
    for table, total in BANDED.items():
        frame, people = tables.get(table), tables.get(total[1])
        if frame is None or people is None or total[2] not in set(people["breakdown"]):
            continue
        if total[0] == "cell" and total[3] not in _categories(people, total[2]):
            continue
        bands = {c: _band(c) for c in _categories(frame, ALL)}
        cells = {c: ("cell", table, ALL, c) for c in bands}
        for key in (*cells.values(), total):
            attack.var(key)
        attack.ub.append(({**{cells[c]: lo for c, (lo, _) in bands.items()}, total: -1.0}, 0.0))
        # an open band ends at the whole, where the release shows it (no group is larger)
        # (with counts rounded, at most the largest count that rounds to it)
        shown = attack.known.get(total)
        if shown is None and not all(math.isfinite(hi) for _, hi in bands.values()):
            continue
        whole = attack.shown_range(total, shown)[1] if shown is not None else 0.0
        ends = {c: hi if math.isfinite(hi) else whole for c, (_, hi) in bands.items()}
        attack.ub.append(({total: 1.0, **{cells[c]: -hi for c, hi in ends.items()}}, 0.0))
    for groups_id, counted_id, within in GROUPS_WITHIN:
        groups, counted = tables.get(groups_id), tables.get(counted_id)
        if groups is None or counted is None:
            continue
        present = set(_categories(counted, within))
        for category in _categories(groups, ALL):
            if category in present and category != "Not recorded":
                _at_most(
                    attack,
                    ("cell", groups_id, ALL, category),
                    ("cell", counted_id, within, category),
                )
    for (counted_id, within), (holder_id, holder_within), only in GROUPS_HOLDING:
        holders, counted = tables.get(holder_id), tables.get(counted_id)
        if holders is None or counted is None:
            continue
        den: Key = ("den", counted_id, ALL)
        shown_total = attack.known.get(den)
        most = ANY_NUMBER if shown_total is None else attack.shown_range(den, shown_total)[1]
        present = set(_categories(counted, within))
        for category in _categories(holders, holder_within):
            if (
                category in present
                and category != "Not recorded"
                and (only is None or category in only)
            ):
                part = ("cell", counted_id, within, category)
                holder = ("cell", holder_id, holder_within, category)
                attack.var(part)
                attack.var(holder)
                attack.ub.append(({part: 1.0, holder: -most}, 0.0))
    for table in YEAR_TABLES:
        frame = tables.get(table)
        if frame is None:
            continue
        for year in _categories(frame, ALL):
            if year.isdigit():
                key = ("cell", table, ALL, year)
                attack.var(key)
                attack.ub.append(({key: -1.0}, -1.0))


# (part, whole): a category that is by definition a case of another table's category
CONTAINED = (
    (("victims_vulnerability", "Looked-after child"), ("victims_looked_after", "Looked after")),
    (("context_location", "Online"), ("context_online", "Yes")),
    (("journeys_signals", "Health contact"), ("journeys_contacts_agency", "Health services")),
    *(
        (("journeys_contacts_event_type", kind), ("journeys_contacts_agency", "Health services"))
        for kind in ("A&E attendance", "Sexual health clinic visit", "GP contact")
    ),
)


def _at_most(attack: Attack, a: Key, b: Key) -> None:
    attack.var(a)
    attack.var(b)
    attack.ub.append(({a: 1.0, b: -1.0}, 0.0))


def add_contained(attack: Attack) -> None:
    """In every breakdown the two tables share, a part is at most its whole: a victim with
    the looked-after marker is counted as looked after; an offence located online has an
    online element; an A&E, sexual health or GP contact, or the health contact signal, is a
    contact with health services (the report's definitions)."""
    for (part_id, part), (whole_id, whole) in CONTAINED:
        parts, wholes = attack.tables.get(part_id), attack.tables.get(whole_id)
        if parts is None or wholes is None:
            continue
        for breakdown in set(parts["breakdown"]) & set(wholes["breakdown"]):
            if part in _categories(parts, breakdown) and whole in _categories(wholes, breakdown):
                _at_most(
                    attack, ("cell", part_id, breakdown, part), ("cell", whole_id, breakdown, whole)
                )


def _report_table(folder: Path, table_id: str) -> list[dict[str, str]]:
    """A table of the HTML report as rows of text, by its column headings."""
    page = (folder / "report" / "index.html").read_text(encoding="utf-8")
    start = page.find(f'data-table-id="{table_id}"')
    if start < 0:
        return []
    block = page[start : page.find("</table>", start)]
    rows = [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", block, re.S)
    ]
    if not rows:
        return []
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def sensitivity_disagreements(folder: Path) -> list[str]:
    """The configured rule's figures of the sensitivity table that the tables publish
    otherwise (one shows what the other withholds, or a different number)."""
    rows = [
        r
        for r in _report_table(folder, "group_sensitivity")
        if r.get("Is configured rule") == "Yes"
    ]
    if not rows:
        return []
    csv = folder / "csv"
    status = pd.read_csv(csv / "offenders_group_status.csv", dtype=str, keep_default_na=False)
    sizes = pd.read_csv(csv / "groups_size.csv", dtype=str, keep_default_na=False)
    status = status[status["breakdown"] == ALL]
    in_tables = {
        "Number of groups": sizes["denominator_display"].iloc[0],
        "Number of offenders in groups": status.loc[
            status["category"] == "In a group", "count_display"
        ].iloc[0],
        "Number of offenders not in groups": status.loc[
            status["category"] == "Alone", "count_display"
        ].iloc[0],
    }
    out = []
    for column, shown in in_tables.items():
        here = rows[0].get(column)
        if here is not None and here.replace(",", "") != str(shown).replace(",", ""):
            out.append(f"group sensitivity, configured rule, {column}: {here}; tables: {shown}")
    return out
