"""A publication decision is a figure: not publishing the 19-category ethnicity table says
fewer than 50 people have a recorded ethnicity.

Offenders by ethnic group (5): White 10, Mixed 3, Asian 12, Black 11, Other 12, Not stated 6,
Not recorded 10. The note used to say "48 offenders have a recorded self-defined
ethnicity", which gave Mixed back (48 - 45). It now states the rule ("fewer than 50"), and
the profile declares the bound on the recorded groups so that disclosure control knows it:
without the declaration the bound alone narrows Mixed to 0 to 4.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.profile.stage import detail_withheld_relations
from gbo.profile.tidy import TidyTable
from tests.disclosure.attacker import attack_tables, solve
from tests.disclosure.attacker_text import read_every_text
from tests.disclosure.factories import ALL, NOT_RECORDED
from tests.disclosure.tables import table_rows

TABLE = "offenders_ethnicity_5"
GROUPS = {
    "White": 10,
    "Mixed or Multiple ethnic groups": 3,
    "Asian, Asian British or Asian Welsh": 12,
    "Black, Black British, Black Welsh, Caribbean or African": 11,
    "Other ethnic group": 12,
}
NOTE = (
    "The 19-category table is not published: {n} offenders have a recorded self-defined ethnicity."
)


def _control(declared: bool, threshold: int) -> pd.DataFrame:
    rows = table_rows(TABLE, {ALL: {**GROUPS, "Not stated": 6, NOT_RECORDED: 10}})
    # "Not stated" is left out of the percentage of those recorded, like Not recorded
    rows.loc[rows["category"] == "Not stated", "pct_of_recorded"] = None
    meta: dict[str, Any] = {
        TABLE: {"title": TABLE, "is_additive": True, "margin_key": "offenders",
                "unit": "people", "notes": []}
    }  # fmt: skip
    if declared:
        meta[TABLE]["relations"] = [
            {"terms": [[TABLE, ALL, c, 1] for c in GROUPS], "at_most": 49,
             "description": "fewer than 50 have a recorded ethnicity"}
        ]  # fmt: skip
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=threshold))
    assert result.audit.passed
    return result.tables


def _reader(published: pd.DataFrame, note: str, folder: Path, k: int) -> list[Any]:
    frame = published.astype(str).replace({"<NA>": ""})
    frame["pct_of_recorded_display"] = [
        "[z]" if c in ("Not stated", NOT_RECORDED) else v
        for c, v in zip(frame["category"], frame["pct_of_recorded_display"], strict=True)
    ]
    tables = {TABLE: frame}
    attack = attack_tables(tables, {TABLE: "Offenders"}, {}, {TABLE: True}, k)
    (folder / "report").mkdir()
    (folder / "report" / "index.html").write_text(
        f'<section class="gbo-table-block" id="table-{TABLE.replace("_", "-")}">'
        f"<p>{note}</p></section>",
        encoding="utf-8",
    )
    read_every_text(attack, folder, tables, k)
    narrow, withheld = solve(attack, k)
    assert withheld > 0
    return narrow


def test_the_count_in_the_note_gave_the_withheld_group_away(tmp_path: Path) -> None:
    published = _control(declared=False, threshold=5)
    narrow = _reader(published, NOTE.format(n=48), tmp_path, 5)
    assert ("Mixed or Multiple ethnic groups", 3, 3) in {
        (f.cell[-1], f.low, f.high) for f in narrow
    }


def test_the_bound_alone_narrows_it_unless_declared(tmp_path: Path) -> None:
    published = _control(declared=False, threshold=5)
    narrow = _reader(published, NOTE.format(n="fewer than 50"), tmp_path, 5)
    assert narrow != []


@pytest.mark.parametrize("threshold", [5, 10])
def test_declared_the_bound_gives_nothing_away(threshold: int, tmp_path: Path) -> None:
    published = _control(declared=True, threshold=threshold)
    narrow = _reader(published, NOTE.format(n="fewer than 50"), tmp_path, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


def test_the_profile_declares_the_bound_when_it_withholds_the_detail() -> None:
    table = TidyTable(
        table_id=TABLE,
        breakdowns=[ALL],
        categories=[*GROUPS, "Not stated", NOT_RECORDED],
        counts={(ALL, c): n for c, n in GROUPS.items()},
        denominators={ALL: 64},
    )
    profile = SimpleNamespace(
        settings=SimpleNamespace(ethnicity_detail_min_recorded=50),
        facts={"offenders_ethnicity_19_withheld": 48},
    )
    metadata: dict[str, Any] = {TABLE: {}}
    detail_withheld_relations(metadata, {TABLE: table}, profile)  # type: ignore[arg-type]
    (relation,) = metadata[TABLE]["relations"]
    assert relation["at_most"] == 49
    assert sorted(t[2] for t in relation["terms"]) == sorted(GROUPS)
