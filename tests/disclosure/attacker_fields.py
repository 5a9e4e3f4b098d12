"""The outside reader relates the data quality page's completeness to the tables.

The page gives, for each agency, table and field, the rows checked and the rows with the
field recorded; a table of the release classifies the same rows by that field with a "Not
recorded" category. Where the page's rows of an agency's table are the table's total (the
same number, and that agency the only one with such rows), the rows recorded plus the
table's Not recorded are that total. Which table counts which field a reader takes from the
tables' titles; the list below is written out as a reader would, never imported from gbo.

The completeness notes of those tables ("police 48% of 1,139") are the table's own share
recorded when one agency gives all its rows: its total less the categories it leaves out of
the share ("[z]" of those recorded: "Not recorded", and "Unknown" where it has one). Where
a table leaves out more than "Not recorded", its notes measure something else than the
page's recorded rows, and the reader does not equate them.
Each margin of a cross-tabulation relates to the page in the same way, and a category
worked out from several fields (an age from a birth year and an offence date) holds at
least the rows without each field and at most the rows without one or the other
(:func:`add_margins`; which table classifies which field on which margin is written out
below, as a reader would read it from the titles).
Like :mod:`tests.disclosure.attacker` it imports nothing from gbo.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from tests.disclosure.attacker_pages import COMPLETENESS_NOTE, NOTE_PART, interval

if TYPE_CHECKING:
    import pandas as pd

    from tests.disclosure.attacker import Attack, Key

# field of the offence rows -> the table that classifies offences by it ("Offences by ...")
OFFENCE_FIELDS = {
    "cocad_category": "scale_cocad",
    "is_cse_flagged": "scale_cse_flag",
    "ho_offence_code": "scale_offence_code",
    "location_type": "context_location",
    "is_online": "context_online",
    "local_authority": "context_local_authority",
    "police_force_area": "context_police_force",
    "methods": "context_methods",
    "outcome_code": "outcomes_group",
}
NOT_RECORDED = "Not recorded"
# tables a reader sees classify offence rows by a field on their other margin, or by a
# figure worked out from several fields: table -> (fields of the categories, fields of the
# breakdowns), as (rows, field), read from the titles
MARGINS: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "scale_offences_by_year": ([("offence", "first_date")], []),
    "scale_group_share": ([], [("offence", "first_date")]),
}
Fields = list[tuple[str, str]]


def add_fields_to_tables(attack: Attack, tables: dict[str, pd.DataFrame]) -> None:
    """Rows recorded on the page + Not recorded in the table = the table's total."""
    agencies: dict[str, list[str]] = defaultdict(list)
    for key in list(attack.index):
        if key[:2] == ("dq", "rows"):
            agencies[key[3]].append(key[2])
    offences = agencies.get("offence", [])
    if len(offences) != 1:
        return
    agency = offences[0]
    rows = attack.known.get(("dq", "rows", agency, "offence"))
    for field, table_id in OFFENCE_FIELDS.items():
        frame = tables.get(table_id)
        recorded = ("dq", "recorded", agency, "offence", field)
        if frame is None or rows is None or recorded not in attack.index:
            continue
        column = frame[frame["breakdown"] == "All"]
        if column.empty or NOT_RECORDED not in set(column["category"]):
            continue
        total = column["denominator_display"].iloc[0].replace(",", "")
        if not total.isdigit() or float(total) != rows:
            continue  # other rows (a period, or offences of several agencies)
        not_recorded = ("cell", table_id, "All", NOT_RECORDED)
        attack.eq.append(
            {recorded: 1.0, not_recorded: 1.0, ("dq", "rows", agency, "offence"): -1.0}
        )


def _unrecorded(frame: pd.DataFrame) -> list[str]:
    """The categories a table leaves out of its share recorded ("[z]" of those recorded)."""
    column = frame[frame["breakdown"] == "All"]
    return sorted(set(column.loc[column["pct_of_recorded_display"] == "[z]", "category"]))


def other_measures(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Fields whose table counts more than "Not recorded" as unrecorded ("Unknown"): their
    completeness notes measure something else than the data quality page's recorded rows."""
    return {
        field
        for field, table_id in OFFENCE_FIELDS.items()
        if table_id in tables and set(_unrecorded(tables[table_id])) - {NOT_RECORDED}
    }


def add_notes_to_tables(attack: Attack, notes: list[str], tables: dict[str, pd.DataFrame]) -> None:
    """ "Completeness of cocad_category (offence rows, by agency): police 48% of 1,139" is
    the share recorded of the table of offences by that field when one agency gives all its
    rows: the table's total less its unrecorded categories, within half a percent."""
    for text in notes:
        found = COMPLETENESS_NOTE.match(text)
        if not found or found.group(2) != "offence":
            continue
        field, parts = found.group(1), NOTE_PART.findall(found.group(3))
        table_id = OFFENCE_FIELDS.get(field)
        if table_id not in tables or len(parts) != 1:
            continue
        frame = tables[table_id]
        column = frame[frame["breakdown"] == "All"]
        total = column["denominator_display"].iloc[0].replace(",", "") if len(column) else ""
        _agency, share, n = parts[0]
        if not total.isdigit() or int(total) != int(n.replace(",", "")):
            continue
        den = ("den", table_id, "All")
        recorded: dict[Key, float] = {den: 1.0}
        for c in _unrecorded(frame):
            recorded[("cell", table_id, "All", c)] = -1.0
        interval(attack, recorded, {den: 1.0}, float(share), 0)


def add_margins(
    attack: Attack,
    tables: dict[str, pd.DataFrame],
    margins: dict[str, tuple[Fields, Fields]] | None = None,
) -> None:
    """Each margin of a table against the page's rows recorded of the field it classifies.

    Where the page's rows of a field (over all agencies that have it) are the table's total:
    the rows recorded and the ``Not recorded`` categories are the total when one field gives
    the categories; when several do (an age from two dates) ``Not recorded`` holds at least
    the rows without each and at most the rows without one or the other; the rows recorded
    of the field of the breakdowns and the ``Not recorded`` breakdown's total are the total.
    """
    for table_id, (on_categories, on_breakdowns) in (margins or MARGINS).items():
        frame = tables.get(table_id)
        if frame is None:
            continue
        column = frame[frame["breakdown"] == "All"]
        total = column["denominator_display"].iloc[0].replace(",", "") if len(column) else ""
        if not total.isdigit():
            continue
        den = ("den", table_id, "All")
        unrecorded = [
            ("cell", table_id, "All", c)
            for c, flag in zip(column["category"], column["is_not_recorded"], strict=True)
            if str(flag) == "True" or c == NOT_RECORDED
        ]

        def recorded_of(rows: str, field: str, total: str = total) -> list[Key] | None:
            agencies = [k[2] for k in attack.index if k[:2] == ("dq", "recorded")]
            keys: list[Key] = [("dq", "recorded", a, rows, field) for a in dict.fromkeys(agencies)]
            keys = [k for k in keys if k in attack.index]
            counted = [attack.known.get(("dq", "rows", k[2], rows)) for k in keys]
            if not keys or None in counted or sum(counted) != float(total):  # type: ignore[arg-type]
                return None  # other rows than the table's
            return keys

        keys: list[Key] | None
        cats = [(f, k) for rows, f in on_categories if (k := recorded_of(rows, f))]
        if len(cats) == 1:
            relation = {k: 1.0 for k in cats[0][1]} | {c: 1.0 for c in unrecorded}
            attack.eq.append(relation | {den: -1.0})
        elif cats and unrecorded:
            for _field, keys in cats:
                attack.ub.append(
                    ({den: 1.0} | {k: -1.0 for k in keys} | {c: -1.0 for c in unrecorded}, 0.0)
                )
            every = {c: 1.0 for c in unrecorded} | {k: 1.0 for _, keys in cats for k in keys}
            attack.ub.append((every | {den: -float(len(cats))}, 0.0))
        parts = [b for b in dict.fromkeys(frame["breakdown"]) if b == NOT_RECORDED]
        for rows, field in on_breakdowns:
            keys = recorded_of(rows, field)
            if keys:
                relation = {k: 1.0 for k in keys} | {("den", table_id, b): 1.0 for b in parts}
                attack.eq.append(relation | {den: -1.0})
