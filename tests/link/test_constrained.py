"""Persons never hold records that conflict on a reliable attribute (constrained joining)."""

from __future__ import annotations

import pandas as pd

from gbo.link.constrained import refuse_conflicting_joins
from gbo.link.reliability import ALWAYS, Reliability

RECORDS = pd.DataFrame(
    {
        "unique_id": ["a", "b", "c", "d"],
        "sex": ["F", None, "F", "M"],
        "birth_year_min": [2001, 2000, 1998, 2000],
        "birth_year_max": [2001, 2001, 1998, 2000],
    }
)


def _links(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability", "basis"])


def test_a_chain_through_an_age_is_refused_where_it_meets_a_conflict() -> None:
    # a (2001) - b (aged: 2000 or 2001) - c (1998): each link plausible, the person not.
    links = _links(("a", "b", 0.999, "model"), ("b", "c", 0.97, "model"))
    assert refuse_conflicting_joins(links, RECORDS, ALWAYS).tolist() == ["", "dob"]


def test_the_stronger_link_is_kept_whatever_the_order_given() -> None:
    links = _links(("b", "c", 0.97, "model"), ("a", "b", 0.999, "model"))
    assert refuse_conflicting_joins(links, RECORDS, ALWAYS).tolist() == ["dob", ""]


def test_sex_conflict_across_a_group_and_clerical_matches_always_join() -> None:
    links = _links(("a", "b", 0.99, "model"), ("b", "d", 0.98, "model"))
    assert refuse_conflicting_joins(links, RECORDS, ALWAYS).tolist() == ["", "sex"]
    decided = _links(("a", "b", 0.99, "model"), ("b", "d", 1.0, "review"))
    # The clerical match joins first; then the model's link meets the conflict.
    assert refuse_conflicting_joins(decided, RECORDS, ALWAYS).tolist() == ["sex", ""]


def test_links_inside_one_group_are_never_refused() -> None:
    links = _links(("a", "b", 0.99, "model"), ("a", "c", 0.98, "model"), ("b", "c", 0.97, "model"))
    out = refuse_conflicting_joins(links, RECORDS, ALWAYS).tolist()
    assert out == ["", "dob", "dob"]


def test_unreliable_attributes_refuse_nothing() -> None:
    links = _links(("a", "b", 0.99, "model"), ("b", "c", 0.98, "model"), ("c", "d", 0.97, "model"))
    neither = Reliability(0.08, 0.2, 0.02)
    assert refuse_conflicting_joins(links, RECORDS, neither).tolist() == ["", "", ""]
    dates_only = Reliability(0.004, 0.2, 0.02)
    assert refuse_conflicting_joins(links, RECORDS, dates_only).tolist() == ["", "dob", "dob"]


def test_agreeing_nhs_numbers_join_across_a_date_conflict_but_not_a_sex_one() -> None:
    links = _links(("a", "c", 0.99, "model"), ("c", "d", 0.98, "model"))
    agreeing = links.assign(nhs_number_agrees=[True, True])
    assert refuse_conflicting_joins(links, RECORDS, ALWAYS).tolist() == ["dob", "sex"]
    assert refuse_conflicting_joins(agreeing, RECORDS, ALWAYS).tolist() == ["", "sex"]


TWINS = pd.DataFrame(
    {
        # Ella's police record (no number), Ella's and Ellie's health records, and Ella's
        # social care record whose number is a keying slip of hers (two digits swapped)
        "unique_id": ["ella_police", "ella_health", "ellie_health", "ella_care"],
        "sex": ["F", "F", "F", "F"],
        "birth_year_min": [2009] * 4,
        "birth_year_max": [2009] * 4,
        "nhs_number": [None, 9990001234, 9990005678, 9990002134],
    }
)


def test_a_person_never_holds_two_nhs_numbers_more_than_a_slip_apart() -> None:
    """Same-sex twins with alike forenames: a police record without a number links to both
    twins' health records; the second join would give one person two numbers."""
    links = _links(
        ("ella_police", "ella_health", 0.999, "model"),
        ("ella_police", "ellie_health", 0.998, "model"),
        ("ella_health", "ella_care", 0.99, "model"),
    )
    assert refuse_conflicting_joins(links, TWINS, ALWAYS).tolist() == ["", "nhs", ""]
    # where the data's NHS numbers are not reliable, or not given, the join is left alone
    unreliable = Reliability(0.0, 0.0, 0.02, 0.0, nhs_disagreement=0.05)
    assert refuse_conflicting_joins(links, TWINS, unreliable).tolist() == ["", "", ""]
    without = TWINS.drop(columns=["nhs_number"])
    assert refuse_conflicting_joins(links, without, ALWAYS).tolist() == ["", "", ""]
