"""Training on exports shaped like a police export whose one name column holds whole names
("GARSIDE, Jack") mapped to ``aliases``: no police record has a given_name or family_name.

The default prior rule (given_name, family_name, dob_iso) then finds no pair at all, Splink
sets the prior to exactly 0 and EM used to fail with Python's "math domain error" (log of 0),
reported as a failure of the first EM pass whatever its blocks.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest

from gbo.errors import LinkageError
from gbo.link.model import LinkageModel
from gbo.link.ordering import content_ids
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity
from tests.link.identities import FAMILY, GIVEN_F, GIVEN_M

SMALL = LinkSettings(u_max_pairs=2e4, em_max_pairs=None, threads=1)


def _three_agencies(police_names_split: bool) -> pd.DataFrame:
    """Police (every person), social care (about 60%, full names) and a charity (about half,
    forenames only and no date of birth), the way the analyst's exports were."""
    rng = random.Random(3)
    rows: list[dict[str, object]] = []
    for person in range(120):
        sex = rng.choice("FM")
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        family = rng.choice(FAMILY)
        dob = date(1990, 1, 1) + timedelta(days=rng.randint(0, 9000))
        base: dict[str, object] = {
            "middle_names": None,
            "dob_precision": "day",
            "sex": sex,
            "postcode": f"NT{rng.randint(1, 9)} {rng.randint(1, 9)}AB",
            "aliases": [],
            "dob": dob,
        }
        police: dict[str, object] = {**base, "record_pid": f"p{person}", "agency": "police"}
        if police_names_split:
            police |= {"given_name": given, "family_name": family.upper()}
        else:
            police |= {"given_name": None, "family_name": None}
            police["aliases"] = [f"{family.upper()}, {given}"]
        rows.append(police)
        if rng.random() < 0.6:
            rows.append(
                {**base, "record_pid": f"s{person}", "agency": "social_care"}
                | {"given_name": given, "family_name": family}
            )
        if rng.random() < 0.5:
            rows.append(
                {**base, "record_pid": f"c{person}", "agency": "charity"}
                | {"given_name": given, "family_name": None, "dob": None, "postcode": None}
            )
    return pd.DataFrame(rows)


def _model(police_names_split: bool) -> LinkageModel:
    records, _ = content_ids(standardise_identity(_three_agencies(police_names_split)))
    return LinkageModel(records, SMALL)


def test_a_prior_rule_that_pairs_no_records_is_named_not_a_math_error() -> None:
    model = _model(police_names_split=False)
    with pytest.raises(LinkageError) as caught:
        model.train()
    message = str(caught.value)
    assert "math domain" not in message
    assert "EM training" not in message
    assert "link.prior_rule (given_name, family_name, dob_iso)" in message
    # Which agency's records lack the rule's columns, and what to do about it.
    assert "police 0 of 120" in message
    assert "aliases" in message and "name_part" in message


def test_the_same_exports_train_once_the_police_names_are_split() -> None:
    model = _model(police_names_split=True)
    report = model.train()
    assert [p.split(" ")[0] for p in report.passes[-2:]] == ["EM", "EM"]
    assert 0 < (report.probability_two_random_records_match or 0) < 1


def test_levels_never_observed_and_forenames_equal_to_surnames_still_train() -> None:
    """Shapes a user can cause that Splink handles itself: levels no pair reaches (no NHS
    numbers or addresses at all) keep Splink's "not observed" values, which gbo's checks make
    neutral; a forename equal to the surname on every record trains like any other."""
    frame = _three_agencies(police_names_split=True)
    frame["given_name"] = frame["family_name"].fillna(frame["given_name"])
    records, _ = content_ids(standardise_identity(frame))
    report = LinkageModel(records, SMALL).train()
    assert [p.split(" ")[0] for p in report.passes[-2:]] == ["EM", "EM"]
    neutral = {(c.comparison, c.check) for c in report.checks}
    assert ("nhs_number", "m_not_trained") in neutral
    assert 0 < (report.probability_two_random_records_match or 0) < 1
