"""Label-free estimates: rule membership, capture-recapture blocking recall, threshold curve."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from gbo.link.coverage import (
    blocking_coverage,
    choose_threshold,
    reachable_by_agency,
    rule_membership,
    threshold_curve,
    unreachable_warnings,
)
from gbo.link.settings import BlockingRuleSettings

RULES = [
    BlockingRuleSettings(columns=["given_dm", "family_dm"]),
    BlockingRuleSettings(columns=["family_keys", "dob_ym"], explode=["family_keys"]),
    BlockingRuleSettings(columns=["dob_iso", "postcode"]),
]


def _records() -> pa.Table:
    return pa.table(
        {
            "unique_id": ["1", "2", "3", "4", "5", "6"],
            "given_dm": ["JMS", "JMS", "ANN", "AN", "PTR", "PTR"],
            "family_dm": ["SM0", "SM0", "JNS", "JNS", "PRN", "PRN"],
            "family_keys": [["SM0"], ["SM0"], ["JNS"], ["JNS"], ["PRN"], ["PRN", "XX"]],
            "dob_ym": ["2010-01", "2010-01", "2011-02", "2011-02", None, None],
            "dob_iso": ["2010-01-02", "2010-01-02", "2011-02-03", "2011-02-03", None, None],
            "postcode": ["A1", "B2", "C3", "C3", "D4", "D4"],
        }
    )


def test_rule_membership_checks_every_rule_on_every_link() -> None:
    links = pd.DataFrame({"unique_id_l": ["1", "3", "5"], "unique_id_r": ["2", "4", "6"]})
    flags = rule_membership(_records(), links, RULES)
    assert flags.to_numpy().tolist() == [
        [True, True, False],  # same names and month; other postcode
        [False, True, True],  # forename code differs; family key, month, date and postcode agree
        [True, False, False],  # no date of birth
    ]


def test_capture_recapture_counts_both_families() -> None:
    links = pd.DataFrame({"unique_id_l": ["1", "3", "5"], "unique_id_r": ["2", "4", "6"]})
    found = blocking_coverage(_records(), links, RULES)
    assert (found["found_by_name_rules"], found["found_by_other_rules"]) == (3, 1)
    assert found["found_by_both"] == 1
    # Chapman: (3 + 1)(1 + 1) / (1 + 1) - 1 = 3 true pairs estimated, all three found.
    assert found["estimated_true_pairs"] == pytest.approx(3.0)
    assert found["estimated_blocking_recall"] == 1.0
    only = {r["rule"]: r["links_only_this_rule_found"] for r in found["by_rule"]}
    assert only["given_dm + family_dm"] == 1


def test_threshold_curve_uses_the_models_own_probabilities() -> None:
    p = pd.Series([0.999, 0.995, 0.9, 0.6, 0.2])
    curve = {row["threshold"]: row for row in threshold_curve(p, blocking_recall=0.9)}
    at = curve[0.99]
    assert at["n_links"] == 2
    assert at["estimated_precision"] == pytest.approx((0.999 + 0.995) / 2, abs=1e-5)
    assert at["estimated_recall_among_scored"] == pytest.approx(1.994 / 3.694, abs=1e-5)
    assert at["estimated_recall"] == pytest.approx(0.9 * 1.994 / 3.694, abs=1e-5)


def test_the_threshold_is_the_lowest_that_meets_the_precision_target() -> None:
    # 1,000 near-certain pairs and a few uncertain ones: the budget of false links allows
    # the pairs down to 0.9.
    p = pd.Series([0.9999] * 1_000 + [0.92, 0.93, 0.96, 0.6])
    assert choose_threshold(p, target=0.999, lowest=0.9) == 0.9
    # The same uncertain pairs among only 20 sure ones: precision at 0.9 is too low.
    few = pd.Series([0.9999] * 20 + [0.92, 0.93, 0.96, 0.6])
    assert choose_threshold(few, target=0.999, lowest=0.9) == 0.98
    # Never below the floor, and the highest candidate when none meets the target.
    assert choose_threshold(p, target=0.5, lowest=0.95) == 0.95
    assert choose_threshold(pd.Series([0.9991, 0.5]), target=0.99999, lowest=0.9) == 0.999


def test_records_no_rule_can_pair_are_counted_by_agency_and_warned_of() -> None:
    # a charity that records a first name and an age only: no rule's columns are all there
    records = pa.table(
        {
            "unique_id": ["1", "2", "3", "4", "5", "6"],
            "agency": ["police", "police", "charity", "charity", "charity", "charity"],
            "given_dm": ["JMS", "ANN", "PTR", "PTR", "SR", None],
            "family_dm": ["SM0", "JNS", None, None, None, None],
            "family_keys": [["SM0"], ["JNS"], [], [], [], []],
            "dob_ym": ["2010-01", None, None, None, None, None],
            "dob_iso": [None, None, None, None, None, None],
            "postcode": ["A1", None, None, None, None, "B2"],
        }
    )
    reachable = reachable_by_agency(records, RULES)
    assert reachable == [
        {"agency": "charity", "n_records": 4, "n_reachable": 0},
        # the second police record has both names: the first rule reaches it
        {"agency": "police", "n_records": 2, "n_reachable": 2},
    ]
    sql = [BlockingRuleSettings(sql="l.given_dm = r.family_dm and l.family_dm = r.given_dm")]
    assert reachable_by_agency(records, sql)[0]["n_reachable"] == 0
    warnings = unreachable_warnings(reachable, RULES)
    assert len(warnings) == 1
    assert warnings[0].startswith("linkage: 4 of 4 charity records have the columns of no")
    assert "given_dm + family_dm" in warnings[0]
