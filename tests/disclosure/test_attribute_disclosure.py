"""Attribute disclosure against the reader of a whole release.

The reader's check (:mod:`tests.disclosure.attacker_attributes`) reports a column of a
table about people in which one recorded category certainly holds someone and every other
certainly no one. It finds the case in a table published without control, whether the
zeros are shown or only worked out from a complement; and on releases gbo controls (a
population whose lone offenders are all in one ethnic group, shown both in the 19
categories and the 5 groups, which a reader can add up) it finds nothing.
"""

from __future__ import annotations

import pandas as pd
import pytest

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.attacker import Attack, Finding, attack_tables, solve
from tests.disclosure.attacker_attributes import attribute_disclosures
from tests.disclosure.test_attack_release import _tables

ALONE_ALL_WHITE = (
    [("Alone", "English, Welsh, Scottish, Northern Irish or British", "Male")] * 6
    + [("Alone", "Irish", "Male")] * 5
    + [("In a group", "Indian", "Male")] * 7
    + [("In a group", "Pakistani", "Female")] * 6
    + [("In a group", "Irish", "Male")] * 6
    + [("In a group", "Not recorded", "Male")] * 2
)


def solved_attack(published: pd.DataFrame, k: int) -> tuple[Attack, list[Finding]]:
    """The reader's system for tables of offenders as published (display text), solved."""
    tables = {
        str(t): f.astype(str).replace({"<NA>": ""})
        for t, f in published.groupby("table_id", sort=False)
    }
    attack = attack_tables(
        tables, {t: "Offenders" for t in tables}, {}, {t: True for t in tables}, k
    )
    narrow, _ = solve(attack, k)
    return attack, narrow


def _read(published: pd.DataFrame, k: int) -> tuple[list[Finding], list[str]]:
    attack, narrow = solved_attack(published, k)
    return narrow, attribute_disclosures(attack)


def _uncontrolled(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.copy()
    out["count_display"] = out["count"].astype(str)
    out["denominator_display"] = out["denominator"].astype(str)
    out["pct_of_all_display"] = ""
    out["pct_of_recorded_display"] = ["[z]" if nr else "" for nr in out["is_not_recorded"]]
    return out


def test_the_reader_sees_an_all_in_one_column_published_without_control() -> None:
    rows, _ = _tables(ALONE_ALL_WHITE)
    _, found = _read(_uncontrolled(rows), 5)
    assert "attribute: everyone recorded in eth5 / Alone is White" in found


def test_the_reader_works_out_an_all_in_one_column_from_a_complement() -> None:
    rows, _ = _tables(ALONE_ALL_WHITE)
    published = _uncontrolled(rows[rows["table_id"] == "eth5"])
    # the zeros withheld, but the White count is the whole column
    zero = (published["breakdown"] == "Alone") & (published["count"] == 0)
    published.loc[zero & (published["category"] != "Not recorded"), "count_display"] = "[c]"
    _, found = _read(published, 5)
    assert "attribute: everyone recorded in eth5 / Alone is White" in found


# every Indian offender is in a group (7 of 7; none alone), while each column is mixed
INDIANS_ALL_IN_GROUPS = (
    [("In a group", "Indian", "Male")] * 7
    + [("In a group", "Pakistani", "Male")] * 6
    + [("In a group", "Irish", "Female")] * 6
    + [("Alone", "Irish", "Male")] * 5
    + [("Alone", "English, Welsh, Scottish, Northern Irish or British", "Male")] * 6
    + [("Alone", "Pakistani", "Female")] * 5
)


def test_the_reader_reads_a_row_across_the_breakdowns() -> None:
    rows, _ = _tables(INDIANS_ALL_IN_GROUPS)
    _, found = _read(_uncontrolled(rows), 5)
    assert "attribute: everyone recorded as Indian in eth19 is In a group" in found


# every offender is male: the All column withholds its zeros, so a breakdown's zeros for
# Female and Other are no longer implied by shown ones (seen on a 300-record world, seed 61)
ALL_MALE = (
    [("In a group", "Indian", "Male")] * 12
    + [("In a group", "Irish", "Male")] * 10
    + [("Alone", "Irish", "Male")] * 6
    + [("Alone", "Pakistani", "Male")] * 7
)


@pytest.mark.parametrize("threshold", [5, 10])
@pytest.mark.parametrize("people", [ALONE_ALL_WHITE, INDIANS_ALL_IN_GROUPS, ALL_MALE])
def test_controlled_no_column_or_row_gives_everyone_s_attribute(
    threshold: int, people: list[tuple[str, str, str]]
) -> None:
    # on the earlier code the row's zero ("Indian, alone: 0") was shown beside its 7: the
    # rule read rows only where the people were withheld
    rows, meta = _tables(people)
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=threshold))
    assert result.audit.passed
    narrow, found = _read(result.tables, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
    assert found == []


def _offences_by_area(area_b: dict[str, str]) -> pd.DataFrame:
    """Offences by local authority and offence class, as published: area A shown, area B's
    cells as given, and the totals of the columns it is withheld in withheld too."""
    classes = ["All", "Group-based", "Lone offending", "No offender recorded"]
    area_a = {"All": "40", "Group-based": "20", "Lone offending": "12", "No offender recorded": "8"}
    # the columns of the classes area B may hold are withheld with it
    totals = {b: "[c]" if area_b[b] == "[c]" else area_a[b] for b in classes}
    rows = [
        {
            "table_id": "context_local_authority",
            "breakdown": b,
            "category": area,
            "count_display": shown[b],
            "denominator_display": totals[b],
            "is_not_recorded": "False",
            "pct_of_all_display": "",
            "pct_of_recorded_display": "",
        }
        for b in classes
        for area, shown in (("Area A", area_a), ("Area B", area_b))
    ]
    return pd.DataFrame(rows)


def test_a_row_of_offences_nobody_is_in_places_no_one() -> None:
    """Area B's row withheld but for zeros of lone offending and no offender: a reader who
    knows a child was abused there would place them as a group-based victim; where nobody
    is in the row (seed 110, sparse, k 10), there is no one to place."""
    published = _offences_by_area(
        {"All": "[c]", "Group-based": "[c]", "Lone offending": "0", "No offender recorded": "0"}
    )
    tables = {"context_local_authority": published}
    attack = attack_tables(
        tables, {"context_local_authority": "Offences"}, {}, {"context_local_authority": True}, 5
    )
    solve(attack, 5)
    finding = "attribute: everyone recorded as Area B in context_local_authority is Group-based"
    assert finding in attribute_disclosures(attack)
    row: tuple[str, ...] = ("cell", "context_local_authority", "All", "Area B")
    someone = {row: 2}
    assert finding in attribute_disclosures(attack, someone)
    assert attribute_disclosures(attack, {row: 0}) == []
