"""The ground truth agrees with the exports and with what was planted."""

from __future__ import annotations

from collections import defaultdict
from typing import cast

import pandas as pd
import pyarrow.parquet as pq

from gbo.synth import SynthOutput
from tests.synth.exports import read_health, read_police, read_social_care


def _truth(output: SynthOutput, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = pq.read_table(output.ground_truth_dir / f"{name}.parquet").to_pandas(
        date_as_object=False
    )
    return frame


def test_every_person_record_has_one_truth_row(small_odd: SynthOutput) -> None:
    truth = _truth(small_odd, "person_records")
    assert not truth.duplicated(["agency", "local_id"]).any()
    police = read_police(small_odd)
    nominal = police.loc[police["RecordType"] == "Crime Nominal", "NominalRef"]
    sc = read_social_care(small_odd)
    exported = {
        "police": set(nominal),
        "social_care": set(sc["Children"]["Child ID"]),
        "health": set(read_health(small_odd)["patient_id"].astype(str)),
    }
    for agency, ids in exported.items():
        assert set(truth.loc[truth["agency"] == agency, "local_id"]) == ids


def test_groups_have_their_planted_sizes_and_are_connected(small_odd: SynthOutput) -> None:
    persons = _truth(small_odd, "persons")
    groups = _truth(small_odd, "groups").set_index("true_group_id")
    members = persons.dropna(subset=["true_group_id"]).groupby("true_group_id").size()
    assert members.to_dict() == groups["n_members"].to_dict()
    assert (groups["n_members"] >= 2).all()
    assert (groups["end_date"] >= groups["start_date"]).all()

    # Offenders of each group are connected through shared crimes in the police export.
    police = read_police(small_odd)
    records = _truth(small_odd, "person_records").query("agency == 'police'")
    person_of = dict(zip(records["local_id"], records["true_person_id"], strict=True))
    # person -> group ids (str): pandas-stubs key a Series' dict by Hashable
    group_of = cast(
        "dict[str, str]", persons.set_index("true_person_id")["true_group_id"].dropna().to_dict()
    )
    rows = police[
        (police["RecordType"] == "Crime Nominal")
        & police["InvolvementType"].isin(["Suspect", "Charged/Summonsed", "Convicted"])
    ]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for _, crime in rows.groupby("CrimeReference"):
        people = [person_of[n] for n in crime["NominalRef"]]
        for other in people[1:]:
            parent[find(other)] = find(people[0])
    components: dict[str, set[str]] = defaultdict(set)
    for person, group in group_of.items():
        components[group].add(find(person))
    # Bad rows can cut a crime out; all but a few groups stay in one piece.
    split = [g for g, roots in components.items() if len(roots) > 1]
    assert len(split) <= 2


def test_identification_follows_every_prior_contact(small_odd: SynthOutput) -> None:
    events = _truth(small_odd, "events")
    victims = _truth(small_odd, "victims").set_index("true_person_id")
    ident = events[events["is_identification"]]
    assert ident["true_person_id"].is_unique
    identified = victims[victims["identification_date"].notna()]
    assert set(ident["true_person_id"]) == set(identified.index)
    # some victims are never identified, and some identifications are referrals for CSE
    assert 0 < len(identified) < len(victims)
    assert set(ident["event_type"]) == {"CSE_IDENTIFIED", "SOCIAL_CARE_REFERRAL"}
    assert (ident.loc[ident["event_type"] == "SOCIAL_CARE_REFERRAL", "event_reason"] == "CSE").all()
    others = events[~events["is_identification"]]
    assert not (others["event_reason"] == "CSE").any()
    assert {"CSE_RISK", "CSE_CONCERN"} <= set(others["event_reason"].dropna())
    prior = events[events["is_prior_to_identification"]]
    when = victims["identification_date"]
    assert (prior["event_date"].to_numpy() < when.loc[prior["true_person_id"]].to_numpy()).all()
    assert (identified["identification_date"] > identified["first_offence_date"]).all()
    assert (victims["n_prior_contacts"] >= victims["n_prior_contacts_recorded"]).all()
    assert victims["n_prior_contacts_recorded"].sum() > 0


def test_offences_map_every_crime_reference(small_odd: SynthOutput) -> None:
    offences = _truth(small_odd, "offences")
    police = read_police(small_odd)
    refs = set(police.loc[police["RecordType"] == "Crime Nominal", "CrimeReference"])
    assert offences["crime_ref"].is_unique
    assert refs <= set(offences["crime_ref"])


def test_victims_are_children_at_their_first_offence(small_odd: SynthOutput) -> None:
    persons = _truth(small_odd, "persons").set_index("true_person_id")
    victims = _truth(small_odd, "victims").set_index("true_person_id")
    age_days = victims["first_offence_date"] - persons.loc[victims.index, "dob"]
    assert (age_days.dt.days < 18 * 365.25).all()
    assert (age_days.dt.days >= 5 * 365).all()
