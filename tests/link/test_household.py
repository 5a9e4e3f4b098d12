"""The household guard: twins and siblings are held back, typing slips and nicknames are not."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from gbo.link.household import household_signature
from gbo.link.linkage import link_records
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity
from tests.link.identities import make_identities

LABELS = {
    "forename": {-1: "null", 0: "else", 1: "jaro-winkler >= 0.8", 2: "nickname", 3: "exact"},
    "surname": {-1: "null", 0: "else", 1: "exact"},
    "dob": {-1: "null", 0: "else", 1: "same year", 2: "exact"},
    "sex": {-1: "null", 0: "different", 1: "same"},
}


def _pair(forename: int, surname: int = 1, dob: int = 2, sex: int = 1) -> dict[str, int]:
    return {"gamma_forename": forename, "gamma_surname": surname, "gamma_dob": dob,
            "gamma_sex": sex}  # fmt: skip


@pytest.mark.parametrize(
    ("pair", "held"),
    [
        (_pair(0), True),  # James and Michael Smith, one birthday: twins
        (_pair(3, sex=0), False),  # the same forename, a sex keyed wrongly
        (_pair(2, sex=0), True),  # Samuel and Samantha, one recorded as Sam
        (_pair(1), False),  # a typing slip in the forename
        (_pair(2), False),  # a nickname
        (_pair(0, dob=1), False),  # other birthdays: not this guard's business
        (_pair(0, surname=0), False),  # other family names
        (_pair(0, sex=-1), False),  # sex not recorded: the model decides
        (_pair(-1), False),  # no forename on one side
    ],
)
def test_household_signature(pair: dict[str, int], held: bool) -> None:
    assert household_signature(pd.DataFrame([pair]), LABELS).tolist() == [held]


def test_a_different_sex_counts_only_where_sex_is_recorded_reliably() -> None:
    samuel_and_samantha = pd.DataFrame([_pair(2, sex=0)])
    assert household_signature(samuel_and_samantha, LABELS).tolist() == [True]
    assert household_signature(samuel_and_samantha, LABELS, sex_counts=False).tolist() == [False]
    # Unrelated forenames are the twin signature whatever the sex data are like.
    twins = pd.DataFrame([_pair(0)])
    assert household_signature(twins, LABELS, sex_counts=False).tolist() == [True]


def _child(pid: str, given: str, sex: str) -> dict[str, object]:
    return {"record_pid": pid, "agency": "social_care", "given_name": given,
            "family_name": "Oakes", "dob": date(2011, 5, 17), "dob_precision": "day",
            "sex": sex, "postcode": "QA1 1AA", "address": "4 Mill Road"}  # fmt: skip


@pytest.mark.slow
def test_twins_at_one_address_stay_two_people_and_go_to_review() -> None:
    identity, _ = make_identities(300, seed=5)
    twins = pd.DataFrame(
        [
            _child("rec_f000000000000021", "James", "M"),
            _child("rec_f000000000000022", "James", "M"),
            _child("rec_f000000000000023", "Michael", "M"),
        ]
    )
    settings = LinkSettings(u_max_pairs=2e5, em_max_pairs=None, threads=1)
    result = link_records(standardise_identity(pd.concat([identity, twins])), settings)
    cluster = result.clusters.set_index("unique_id")["cluster_id"]
    assert cluster["rec_f000000000000021"] == cluster["rec_f000000000000022"]
    assert cluster["rec_f000000000000021"] != cluster["rec_f000000000000023"]
    held = set(result.guarded["unique_id_l"]) | set(result.guarded["unique_id_r"])
    assert "rec_f000000000000023" in held


def test_unrelated_forenames_count_without_a_sex_where_forenames_are_reliable() -> None:
    no_sex = pd.DataFrame([_pair(0, sex=-1)])
    assert household_signature(no_sex, LABELS).tolist() == [False]
    assert household_signature(no_sex, LABELS, forename_counts_alone=True).tolist() == [True]
    # A typing slip is still a related forename.
    slip = pd.DataFrame([_pair(1, sex=-1)])
    assert household_signature(slip, LABELS, forename_counts_alone=True).tolist() == [False]
