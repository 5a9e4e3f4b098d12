"""Report text names only the kinds of agency whose records a run used."""

from __future__ import annotations

from gbo.schema.agencies import agencies_phrase, agency_kind


def test_only_the_agencies_present_are_named() -> None:
    assert agencies_phrase(["police", "social_care"]) == "the police and children's social care"
    assert "health" not in agencies_phrase(["police", "children_services"])
    assert agencies_phrase(["police", "social_care", "health"]) == (
        "the police, children's social care and health services"
    )


def test_repeated_and_unknown_agencies() -> None:
    assert agencies_phrase(["police", "police_west"]) == "the police"
    assert agency_kind("housing_trust") == "housing trust"
    # as the tables name it ("Voluntary sector"), not by the run's short name
    assert agencies_phrase(["police", "charity"]) == "the police and the voluntary sector"
    assert agencies_phrase([]) == "the agencies in this run"
