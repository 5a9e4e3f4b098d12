"""A small hand-made world whose answers were worked out by hand (see test_known_answers).

Five offenders, three victims, five offences, one group:

* f1 2020-03-01 (o1, o2; victim v1) and f2 2020-09-15 (o2, o3; victim v2) form group G1;
* f3 2021-01-10 (o4 alone; victim v3), f4 with no date (o5, not reported by the groups
  stage), f5 2021-06-01 (no offender; victim v1).

Victim v1 is linked across police, social care and health and has a hand-built timeline:
missing episode 2018-01-10, A&E 2018-06-01, social care referral 2019-02-01, identified
2019-05-01 (and again 2019-08-01), GP contact 2020-01-01 (after), one undated missing episode.
"""

from __future__ import annotations

from datetime import date

from tests.profile.world import World


def handmade_world() -> World:
    w = World()
    w.add_person("o1", ["police"], sex="M", birth_year=1990, ethnicity_self="W1",
                 ethnicity_officer="IC1", nationality="GBR")  # fmt: skip
    w.add_person("o2", ["police"], sex="M", birth_year=2004, ethnicity_self="A2",
                 ethnicity_officer="IC4", nationality="GBR")  # fmt: skip
    w.add_person("o3", ["police"], sex="M", birth_year=1970, ethnicity_officer="IC4",
                 nationality="PAK")  # fmt: skip
    w.add_person("o4", ["police"], sex="F", ethnicity_self="NS")
    w.add_person("o5", ["police"], sex="M", birth_year=1995, ethnicity_self="B2", nationality="GBR")
    v1 = w.add_person("v1", ["police", "social_care", "health"], sex="F", birth_year=2006,
                      ethnicity_self="W1", nationality="GBR")  # fmt: skip
    for row in w.person_record:
        if row["record_pid"] == "rec_v1_social_care":
            row["is_looked_after"] = True
    w.add_person("v2", ["police", "health"], sex="F", birth_year=2007)
    for row in w.person_record:
        if row["record_pid"] == "rec_v2_police":
            row["is_looked_after"] = False
    w.add_person("v3", ["police"], sex="M", birth_year=2009, ethnicity_self="M1")

    def offence(pid: str, when: date | None, code: str, **kw: object) -> None:
        row: dict[str, object] = {
            "offence_pid": pid,
            "agency": "police",
            "ho_offence_code": code,
            "first_date": when,
            "first_date_precision": "day" if when else None,
        }
        row.update(kw)
        w.offence.append(row)

    offence("f1", date(2020, 3, 1), "71", is_cse_flagged=True, is_online=False,
            cocad_category="CSE", location_type="HOTEL", methods=["ALCOHOL_DRUGS", "TRANSPORT"],
            police_force_area="PFA01", local_authority="LA001", outcome_code="1",
            outcome_date=date(2020, 6, 1))  # fmt: skip
    offence("f2", date(2020, 9, 15), "19C", is_cse_flagged=True, is_online=True,
            cocad_category="CSE", location_type="VEHICLE", methods=["ONLINE_CONTACT"],
            police_force_area="PFA01", local_authority="LA001", outcome_code="15")  # fmt: skip
    offence("f3", date(2021, 1, 10), "22B", is_cse_flagged=False, police_force_area="PFA02",
            outcome_code="UI")  # fmt: skip
    offence("f4", None, "86", is_online=True, cocad_category="FAMILIAL", location_type="ONLINE",
            methods=[])  # fmt: skip
    offence("f5", date(2021, 6, 1), "88A", location_type="STREET_PARK", police_force_area="PFA02",
            local_authority="LA002", outcome_code="18")  # fmt: skip

    def involve(offence_pid: str, record: str, role: str) -> None:
        w.involvement.append(
            {"offence_pid": offence_pid, "record_pid": record, "agency": "police", "role": role}
        )

    involve("f1", "rec_o1_police", "SUSPECT")
    involve("f1", "rec_o2_police", "ACCUSED")
    involve("f1", "rec_v1_police", "VICTIM")
    involve("f2", "rec_o2_police", "SUSPECT")
    involve("f2", "rec_o3_police", "CONVICTED")
    involve("f2", "rec_v2_police", "VICTIM")
    involve("f3", "rec_o4_police", "SUSPECT")
    involve("f3", "rec_v3_police", "VICTIM")
    involve("f4", "rec_o5_police", "SUSPECT")
    involve("f5", "rec_v1_police", "VICTIM")

    w.group.append({"group_pid": "G1", "n_offenders": 3, "n_victims": 2, "n_offences": 2,
                    "first_date": date(2020, 3, 1), "last_date": date(2020, 9, 15),
                    "duration_days": 198})  # fmt: skip
    w.group_offence += [{"group_pid": "G1", "offence_pid": o} for o in ("f1", "f2")]
    w.group_victim += [{"group_pid": "G1", "person_pid": v} for v in ("v1", "v2")]
    w.group_membership += [
        {"person_pid": p, "group_pid": "G1", "is_lone": False} for p in ("o1", "o2", "o3")
    ]
    w.group_membership.append({"person_pid": "o4", "group_pid": None, "is_lone": True})

    w.vulnerability += [
        {"record_pid": "rec_v1_social_care", "agency": "social_care", "marker": "LOOKED_AFTER"},
        {"record_pid": "rec_v1_police", "agency": "police", "marker": "MISSING_HISTORY"},
        {"record_pid": "rec_v2_health", "agency": "health", "marker": "SEND"},
    ]

    def event(record: str, agency: str, event_type: str, when: date | None) -> None:
        w.event.append(
            {"record_pid": record, "agency": agency, "event_type": event_type, "event_date": when}
        )

    police, care, health = v1
    event(police, "police", "MISSING_EPISODE", date(2018, 1, 10))
    event(health, "health", "AE_ATTENDANCE", date(2018, 6, 1))
    event(care, "social_care", "SOCIAL_CARE_REFERRAL", date(2019, 2, 1))
    event(care, "social_care", "CSE_IDENTIFIED", date(2019, 5, 1))
    event(police, "police", "CSE_IDENTIFIED", date(2019, 8, 1))
    event(health, "health", "GP_CONTACT", date(2020, 1, 1))
    event(police, "police", "MISSING_EPISODE", None)
    event("rec_v2_health", "health", "CSE_IDENTIFIED", date(2020, 1, 1))
    event("rec_v3_police", "police", "POLICE_CONTACT", date(2019, 3, 1))
    return w
