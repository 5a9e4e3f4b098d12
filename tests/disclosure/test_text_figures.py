"""Counts and shares quoted in notes are figures of the one system the audit solves.

Before, a note said "12 offenders have linked records that disagree on sex" or "police 97%
of 165" from the true figures, outside the system: the audit never saw them, so a figure it
withheld elsewhere (a page's rows without a date, a linkage fact) could be shown in a note.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.stage import control_release
from gbo.disclosure.text_figures import (
    TEXT_COUNTS,
    TEXT_SHARES,
    figure_in_text,
    share_in_text,
    text_figure_tables,
)
from tests.disclosure.tables import one_table
from tests.disclosure.text_inventory import Figures, classify, undeclared_numbers


def _completeness(agency: str, field: str, n: int, recorded: int) -> dict[str, object]:
    share = recorded / n
    return {"agency": agency, "table": "event", "field": field, "n": n, "n_recorded": recorded,
            "share_recorded": share}  # fmt: skip


def test_a_quoted_figure_is_withheld_where_the_page_withholds_the_same_records() -> None:
    # the page's event rows of health lack a date on 3 (withheld); the note's share of the
    # same rows said 98% of 165 from the true figures, and the count of contacts without a
    # date "fewer than 5": both now come from the one system, so both withhold the 3
    page = {"completeness": [_completeness("health", "event_date", 165, 162)]}
    note = (
        f"Completeness of event_date: health "
        f"{share_in_text(162, 165, 'victims|event|event_date|health')}. "
        f"{figure_in_text('journey_events_without_date', 3)} victims' contacts have no date."
    )
    rows, meta = one_table("journeys_x", {"All": {"A": 40, "B": 60}}, notes=[note])
    control = control_release(rows, meta, pd.DataFrame(), page, DisclosureSettings())
    assert control.result.audit.passed
    said = control.result.metadata["journeys_x"]["notes"][0]
    assert said == (
        "Completeness of event_date: health [c] of 165. [c] victims' contacts have no date."
    )
    assert control.page is not None
    assert control.page["completeness"][0]["n_recorded"] == "[c]"
    assert not set(control.result.tables["table_id"]) & {TEXT_COUNTS, TEXT_SHARES}


def test_quoted_figures_are_related_to_what_they_are_part_of() -> None:
    note = (
        f"{figure_in_text('offenders_conflicting_sex', 6)} offenders disagree; "
        f"{figure_in_text('journey_events_without_date', 2)} contacts; "
        f"health {share_in_text(160, 165, 'victims|event|event_date|health')}"
    )
    rows, meta = one_table("offenders_sex", {"All": {"Female": 10, "Male": 90}}, notes=[note])
    text_rows, text_meta = text_figure_tables(rows, meta)
    assert set(text_rows["table_id"]) == {TEXT_COUNTS, TEXT_SHARES}
    described = [r["description"] for m in text_meta.values() for r in m.get("relations", [])]
    assert any("offenders_conflicting_sex quoted by offenders_sex" in d for d in described)
    assert any("journey_events_without_date are some of the notes' event" in d for d in described)


def test_the_inventory_reports_a_count_the_audit_never_saw(tmp_path: Path) -> None:
    figures = Figures(displays={"64"}, raw=[64.0], quoted={"6"})
    assert classify("6 offenders have linked records that disagree on sex.", figures) == []
    assert classify("7 offenders have linked records that disagree on sex.", figures) == ["7"]
    assert classify("12 victims were seen in March 2019.", figures) == ["12"]
    assert classify("Seen in 2019.", figures) == ["2019"]  # a bare year could be a count
    assert classify("Release date: 02 December 2026", figures) == []
    assert classify("Produced with gbo 0.1.0+g8be9b2467dd5", figures) == []
    assert classify("Counts of 1 to 4 are withheld to protect the people", figures) == []
    assert classify("64 (table 10)", figures) == []
    assert classify("65 (table 10)", figures) == ["65"]
    assert undeclared_numbers(tmp_path) == []


@given(
    n=st.integers(min_value=0, max_value=100_000),
    declared=st.booleans(),
    noun=st.sampled_from(["offenders", "victims"]),
)
def test_a_quoted_count_is_declared_only_if_the_audit_controlled_it(
    n: int, declared: bool, noun: str
) -> None:
    said = f"{n:,}"
    figures = Figures(quoted={str(n)} if declared else set())
    sentence = f"[note 3] {said} {noun} have linked records that disagree on date of birth."
    assert classify(sentence, figures) == ([] if declared else [said])


def test_notes_of_populations_that_make_up_an_agencys_records() -> None:
    """The red team of stop 60 (sparse world, seed 95, k = 5): a police export holds only
    the people on its crimes, so the offenders' 61 and the victims' 44 records are the
    page's 105 police person records; with 51 offenders and 91 records with a sex shown,
    the victims' withheld 4 without one were 44 - (91 - 51)."""
    page = {
        "completeness": [
            {"agency": "police", "table": "person_record", "field": "sex", "n": 105,
             "n_recorded": 91, "share_recorded": 91 / 105},
        ]
    }  # fmt: skip
    notes = [
        "Completeness of sex (offenders' records by agency): police "
        + share_in_text(51, 61, "offenders|person_record|sex|police"),
        "Completeness of sex (victims' records by agency): police "
        + share_in_text(40, 44, "victims|person_record|sex|police"),
    ]
    rows, meta = one_table("people_x", {"All": {"A": 40, "B": 60}}, notes=notes)
    control = control_release(rows, meta, pd.DataFrame(), page, DisclosureSettings())
    assert control.result.audit.passed
    said = control.result.metadata["people_x"]["notes"]
    assert said[1].endswith("police [c] of 44")
    assert control.page is not None
    page_recorded = control.page["completeness"][0]["n_recorded"]
    # the victims' 4 stay withheld: the offenders' share or the page's 91 is withheld too
    assert said[0].endswith("[c] of 61") or page_recorded == "[c]", (said, page_recorded)
