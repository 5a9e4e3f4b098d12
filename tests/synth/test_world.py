"""Properties of the world model: group sizes, record counts, the co-offending tree."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.progress import SilentProgress
from gbo.synth import SynthSettings
from gbo.synth.offending import draw_group_sizes, plant_offending
from gbo.synth.plan import AGENCIES, make_plan, split_size
from gbo.synth.settings import WorldSettings
from gbo.synth.world import build_world


@settings(deadline=None)
@given(
    n=st.integers(min_value=0, max_value=5000),
    low=st.integers(min_value=2, max_value=6),
    spread=st.integers(min_value=0, max_value=30),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_group_sizes_add_up_and_respect_the_minimum(
    n: int, low: int, spread: int, seed: int
) -> None:
    ws = WorldSettings(group_size_min=low, group_size_max=low + spread)
    sizes = draw_group_sizes(np.random.default_rng(seed), n, ws)
    if n < low:
        assert len(sizes) == 0
    else:
        assert int(sizes.sum()) == n
        assert (sizes >= low).all()
        # Only the last group may have absorbed a remainder smaller than the minimum.
        assert (sizes[:-1] <= low + spread).all()
        assert sizes[-1] < 2 * low + spread


@settings(deadline=None)
@given(size=st.integers(min_value=50, max_value=1_000_000))
def test_agency_records_add_up_to_size(size: int) -> None:
    records = split_size(size, SynthSettings())
    assert sum(records.values()) == size
    assert set(records) == set(AGENCIES)


@settings(max_examples=20, deadline=None)
@given(size=st.integers(min_value=200, max_value=20_000), seed=st.integers(0, 1000))
def test_plan_holds_exactly_the_records_asked_for(size: int, seed: int) -> None:
    synth = SynthSettings()
    plan = make_plan(np.random.default_rng(seed), size, synth)
    dup = synth.presence.duplicate_record_rate
    for agency, held in plan.presence.items():
        people = int(held.sum())
        assert people <= plan.records_per_agency[agency] <= people * (1 + 2 * dup) + 2


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_every_group_member_and_victim_is_on_an_offence_in_the_active_period(seed: int) -> None:
    ws = WorldSettings()
    o = plant_offending(np.random.default_rng(seed), 300, 250, ws)
    people = set(o.involvement_person.tolist())
    assert people == set(range(550))
    unit = o.offence_unit[o.involvement_offence]
    person_unit = np.concatenate([o.offender_unit, o.victim_unit])[o.involvement_person]
    assert (unit == person_unit).all()
    first = o.offence_first
    assert (first >= o.unit_start[o.offence_unit]).all()
    assert (first <= o.unit_end[o.offence_unit]).all()


def test_a_cocad_category_does_not_by_itself_mark_an_offence_as_group_based() -> None:
    """The seventh red team of stop 62 read every COCAD row as all group-based, since the
    generator gave every group offence a category and no lone one: the police record a
    category for most group offences and, all the same, for some lone ones. Whether one is
    recorded is drawn from a stream of its own: the rest of the world does not change."""
    ws = WorldSettings()
    o = plant_offending(np.random.default_rng(11), 1500, 1200, ws)
    group = o.unit_is_group[o.offence_unit]
    recorded = np.array([c is not None for c in o.offence_cocad])
    assert 0.8 < recorded[group].mean() < 0.97
    assert 0.08 < recorded[~group].mean() < 0.25
    every = plant_offending(
        np.random.default_rng(11),
        1500,
        1200,
        ws.model_copy(update={"cocad_rate_group": 1.0, "cocad_rate_lone": 0.0}),
    )
    assert [c is not None for c in every.offence_cocad] == group.tolist()
    assert (every.offence_first == o.offence_first).all()
    assert (every.offence_ho_code == o.offence_ho_code).all()
    both = recorded & group
    assert (every.offence_cocad[both] == o.offence_cocad[both]).all()


def test_victims_contacts_come_before_identification_and_after_birth() -> None:
    world = build_world(np.random.default_rng(3), 3000, SynthSettings(), SilentProgress())
    j = world.journeys
    prior = j.event_is_prior
    assert (j.event_date[prior] < j.identification_date[j.event_person[prior]]).all()
    assert (j.event_date > world.people.dob[j.event_person]).all()
    extract = np.datetime64(SynthSettings().world.extract_date, "D")
    assert (j.event_date <= extract).all()


def test_twins_are_distinct_people_who_look_alike() -> None:
    synth = SynthSettings.model_validate({"people": {"twin_share": 0.2, "sibling_share": 0.0}})
    people = build_world(np.random.default_rng(5), 3000, synth, SilentProgress()).people
    key = np.char.add(
        np.char.add(people.family.astype(str), "|"),
        np.char.add(people.dob.astype(str), people.home.postcode.astype(str)),
    )
    _, counts = np.unique(key, return_counts=True)
    assert (counts >= 2).sum() > 20


@pytest.mark.parametrize(
    ("setting", "same_sex"),
    [("twin_alike_name_share", False), ("same_sex_twin_alike_name_share", True)],
)
def test_twins_can_be_given_alike_forenames(setting: str, same_sex: bool) -> None:
    """Opposite-sex twins (Daniel, Danielle) and same-sex twins (Ella, Ellie), each only
    when asked for."""
    import jellyfish

    from gbo.synth.names import load_name_pools

    synth = SynthSettings.model_validate(
        {"people": {"twin_share": 0.3, setting: 1.0, "sibling_share": 0.0}}
    )
    people = build_world(np.random.default_rng(5), 3000, synth, SilentProgress()).people
    pools = load_name_pools(synth.people.name_frequency_seed)
    names = [
        (pools.given_female if sex == "F" else pools.given_male).names[given]
        for sex, given in zip(people.sex, people.given, strict=True)
    ]
    key = np.char.add(
        np.char.add(people.family.astype(str), "|"),
        np.char.add(people.dob.astype(str), people.home.postcode.astype(str)),
    )
    alike = {True: 0, False: 0}
    for value in np.unique(key):
        members = np.flatnonzero(key == value)
        if len(members) == 2:
            first, second = (str(names[m]).lower() for m in members)
            kind = bool(people.sex[members[0]] == people.sex[members[1]])
            alike[kind] += (
                first != second and jellyfish.jaro_winkler_similarity(first, second) >= 0.8
            )
    assert alike[same_sex] > 20
    assert alike[not same_sex] < 5


def test_a_sex_error_rate_records_the_other_sex_on_that_share_of_records() -> None:
    from gbo.synth.records import make_agency_records

    for rate in (0.0, 0.1):
        synth = SynthSettings.model_validate(
            {"corruption": {"sex_error_rate": rate, "missing_sex_rate": 0.0}}
        )
        world = build_world(np.random.default_rng(3), 3000, synth, SilentProgress())
        records = make_agency_records(np.random.default_rng(4), world, "police", synth)
        wrong = np.mean(records.sex != world.people.sex[records.person])
        assert abs(wrong - rate) < 0.03
