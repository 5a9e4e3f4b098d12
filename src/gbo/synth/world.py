"""The true world: people, planted offending and agency contacts, drawn from one seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.progress import Progress
from gbo.synth.journeys import Journeys, draw_journeys, earliest_date
from gbo.synth.nhs_numbers import allocate_nhs_numbers, shard_pool
from gbo.synth.offending import Offending, plant_offending
from gbo.synth.plan import BACKGROUND, Plan, make_plan
from gbo.synth.population import People, draw_people
from gbo.synth.settings import SynthSettings
from gbo.synth.shards import Shard


@dataclass(frozen=True)
class World:
    """Everything that is true, before any agency records it."""

    plan: Plan
    people: People
    offending: Offending
    journeys: Journeys
    shard: Shard = Shard()

    def unit_of_person(self) -> np.ndarray:
        """Each offender's or victim's unit (group or lone offender), -1 for other people."""
        return unit_of_person(self.plan, self.offending)

    def group_of_person(self) -> np.ndarray:
        """Each person's planted group (unit index), -1 for lone offenders and other people.

        Victims carry the group that offended against them.
        """
        unit = self.unit_of_person()
        is_group = self.offending.unit_is_group[np.maximum(unit, 0)]
        group: np.ndarray = np.where((unit >= 0) & is_group, unit, -1)
        return group


def unit_of_person(plan: Plan, offending: Offending) -> np.ndarray:
    """Offenders and victims: their unit; other people: -1."""
    unit = np.full(plan.n_people, -1, dtype=np.int64)
    unit[: plan.n_offenders] = offending.offender_unit
    unit[plan.n_offenders : plan.n_offenders + plan.n_victims] = offending.victim_unit
    return unit


def build_world(
    rng: np.random.Generator,
    size: int,
    settings: SynthSettings,
    progress: Progress,
    shard: Shard = Shard(),  # noqa: B008 - frozen
) -> World:
    """Draw the whole true world for ``size`` person records (of one shard)."""
    with progress.task("Drawing the true world", total=3) as task:
        plan = make_plan(rng, size, settings)
        offending = plant_offending(rng, plan.n_offenders, plan.n_victims, settings.world)
        task.advance()
        n = plan.n_people
        first_offence = earliest_date(
            n, offending.involvement_person, offending.offence_first[offending.involvement_offence]
        )
        extract = np.datetime64(settings.world.extract_date, "D")
        reference = np.where(plan.kind == BACKGROUND, extract, first_offence)
        unit = unit_of_person(plan, offending)
        home_la = np.where(unit >= 0, offending.unit_la[np.maximum(unit, 0)], -1)
        # NHS numbers come from a stream spawned for them, so the other draws stay as they were.
        pool = None if shard.count == 1 else shard_pool(shard.index, shard.count)
        nhs_number = allocate_nhs_numbers(rng.spawn(1)[0], n, settings.nhs_numbers.people, pool)
        people = draw_people(
            rng, plan, settings, reference_date=reference, home_la=home_la, nhs_number=nhs_number
        )
        task.advance()
        offence_end = np.where(
            np.isnat(offending.offence_last), offending.offence_first, offending.offence_last
        )
        journeys = draw_journeys(
            rng,
            plan,
            settings,
            dob=people.dob,
            first_offence_date=first_offence,
            offence_end=offence_end,
        )
        task.advance()
    return World(plan=plan, people=people, offending=offending, journeys=journeys, shard=shard)
