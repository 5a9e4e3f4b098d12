"""One planted journey per rule of victims' journeys, on the hand-made world plus a few victims.

Added to tests/profile/handmade.py (v1 to v3, see test_known_answers):

* v4: a social care referral whose reason is child sexual exploitation (2020-02-01), then a
  crime record as a victim (f6, 2021-03-01): identified by the reason rule, at first contact;
* v5: a referral for risk of exploitation (2020-04-01), the same crime, and a crime
  committed in 2019 but recorded by the police only on 2020-06-01: known but not identified
  as configured; under the broader definition identified at first contact, since the
  police learnt of the earlier crime only after the referral;
* v6: the victim of an undated offence, no other record: no dated contact (not recorded);
* v7: a 'CSE identified' event without a date: identification not recorded;
* v1's history-of-going-missing marker is dated before identification (the marker signal).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gbo.profile.journey_settings import ContactRule, IdentificationRule
from gbo.profile.settings import ProfileSettings
from tests.profile.handmade import handmade_world
from tests.profile.outputs import Outputs, run_profile
from tests.profile.world import World

SENSITIVITY = "journeys_sensitivity"
BROADER = "Broader identification (adding risk of and concern about exploitation)"


def planted_world() -> World:
    w = handmade_world()
    for v in ("v4", "v5"):
        w.add_person(v, ["police", "social_care"], sex="F", birth_year=2008)
    w.add_person("v6", ["police"], sex="F", birth_year=2008)
    w.add_person("v7", ["police"], sex="F", birth_year=2008)
    w.offence += [
        {"offence_pid": "f6", "agency": "police", "ho_offence_code": "71",
         "first_date": date(2021, 3, 1), "first_date_precision": "day"},
        {"offence_pid": "f7", "agency": "police", "ho_offence_code": "71", "first_date": None},
        {"offence_pid": "f8", "agency": "police", "ho_offence_code": "71",
         "first_date": date(2019, 1, 1), "recorded_date": date(2020, 6, 1)},
    ]  # fmt: skip
    for offence, record in (
        ("f6", "rec_v4_police"),
        ("f6", "rec_v5_police"),
        ("f7", "rec_v6_police"),
        ("f7", "rec_v7_police"),
        ("f8", "rec_v5_police"),
    ):
        w.involvement.append(
            {"offence_pid": offence, "record_pid": record, "agency": "police", "role": "VICTIM"}
        )
    w.involvement.append(
        {"offence_pid": "f6", "record_pid": "rec_o4_police", "agency": "police", "role": "SUSPECT"}
    )

    def event(record: str, agency: str, kind: str, when: date | None, reason: str | None) -> None:
        w.event.append({"record_pid": record, "agency": agency, "event_type": kind,
                        "event_date": when, "event_reason": reason})  # fmt: skip

    event("rec_v4_social_care", "social_care", "SOCIAL_CARE_REFERRAL", date(2020, 2, 1), "CSE")
    event("rec_v5_social_care", "social_care", "SOCIAL_CARE_REFERRAL", date(2020, 4, 1), "CSE_RISK")
    event("rec_v7_police", "police", "CSE_IDENTIFIED", None, None)
    for row in w.vulnerability:
        if row["marker"] == "MISSING_HISTORY":
            row["marker_date"] = date(2018, 3, 1)
    return w


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    # the review queue holds a pair joining v3's police record with v4's social care record
    return run_profile(
        tmp_path_factory.mktemp("planted"),
        planted_world(),
        review_pairs=[("rec_v3_police", "rec_v4_social_care"), ("rec_v1_police", "rec_v1_health")],
    )


def _stat(out: Outputs, breakdown: str, name: str) -> tuple[float | None, int]:
    s = out.statistic(SENSITIVITY, breakdown, name)
    return s["value"], s["n"]


def test_each_victim_lands_in_its_journey(out: Outputs) -> None:
    cells = out.cells("journeys_identification")
    assert cells[("All", "Identified after earlier contacts")] == 1  # v1
    assert cells[("All", "Identified at first contact")] == 2  # v2, v4 (by the reason)
    assert cells[("All", "Known to agencies, not identified")] == 2  # v3, v5
    assert cells[("All", "Not recorded")] == 2  # v6 undated contact only, v7 undated ident
    assert ("All", "No contacts recorded") not in cells  # every victim has a crime record


def test_police_victim_records_are_contacts_dated_by_the_offence(out: Outputs) -> None:
    types = out.cells("journeys_contacts_event_type")
    assert ("All", "Recorded as the victim of an offence") not in types  # all came after
    after = out.cells("journeys_contacts_after_agency")
    assert after[("All", "Police, after identification")] == 3  # v1 (f1, f5), v2 (f2), v4 (f6)


def test_no_contacts_recorded_when_victim_records_do_not_count(tmp_path: Path) -> None:
    settings = ProfileSettings(contacts=ContactRule(victim_records=False))
    out = run_profile(tmp_path, planted_world(), settings)
    cells = out.cells("journeys_identification")
    assert cells[("All", "No contacts recorded")] == 1  # v6
    assert cells[("All", "Not recorded")] == 1  # v7
    assert any("'Recorded as the victim" not in n and n.startswith("Contacts: ")
               for n in out.metadata["journeys_identification"]["notes"])  # fmt: skip


def test_missing_history_marker_is_its_own_signal(out: Outputs) -> None:
    signals = out.cells("journeys_signals")
    assert signals[("All", "History of going missing recorded (marker)")] == 1
    assert signals[("All", "Missing episode")] == 1


def test_reason_rule_is_declared_and_published(tmp_path: Path, out: Outputs) -> None:
    notes = out.metadata["journeys_identification"]["notes"]
    assert any("recorded reason is 'Child sexual exploitation'" in n for n in notes)
    assert any(n.startswith("Broader identification") and "Risk of" in n for n in notes)
    # without the reason, v4 is only known to agencies
    narrow = ProfileSettings(identification=IdentificationRule(reasons=()))
    cells = run_profile(tmp_path, planted_world(), narrow).cells("journeys_identification")
    assert cells[("All", "Known to agencies, not identified")] == 3


def test_broader_definition_in_the_sensitivity_table(out: Outputs) -> None:
    assert _stat(out, "As configured", "identified") == (3, 3)  # v1, v2, v4
    assert _stat(out, BROADER, "identified") == (4, 4)  # and v5
    assert _stat(out, BROADER, "known_not_identified") == (1, 1)  # v3
    # v2, v4 and v5: v5's 2019 crime was recorded after the referral, so it came later
    assert _stat(out, BROADER, "identified_at_first_contact") == (3, 3)


def test_review_queue_accepted_as_a_range(out: Outputs) -> None:
    # v3 and v4 become one victim, identified (v4's referral) after v3's welfare contact
    assert _stat(out, "As configured", "victims") == (7, 7)
    assert _stat(out, "Review-queue links accepted", "victims") == (6, 6)
    assert _stat(out, "Review-queue links accepted", "identified_after_contacts") == (2, 2)
    assert _stat(out, "Review-queue links accepted", "victims_joined_by_review_links") == (2, 2)
    span = out.statistic(SENSITIVITY, "Range with review-queue links accepted", "victims")
    assert (span["value"], span["ci_lower"], span["ci_upper"], span["n"]) == (7, 6, 7, 6)
    notes = out.metadata[SENSITIVITY]["notes"]
    assert any(n.startswith("Linkage: pairs awaiting clerical review") for n in notes)


def test_every_journeys_statistic_says_how_many_people_it_describes(out: Outputs) -> None:
    journeys = [s for s in out.statistics if s["table_id"].startswith("journeys_")]
    assert journeys and all(s["n"] is not None for s in journeys)
    assert {s["statistic"] for s in journeys} >= {"median", "mean", "lower_quartile"}
