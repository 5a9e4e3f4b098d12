"""Planted offending: groups and lone offenders, their offences, victims and associations.

A *unit* is either a planted group (2 or more offenders) or one lone offender. Each unit has
an active period, a home local authority, its own victims and its own offences. Group
members are joined by a random tree of co-offending (every member after the first shares
an offence with an earlier member), so each planted group is connected; further members
and victims are added to offences at random, which makes victims shared across offences.
Everything is drawn with numpy, never with a loop per person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.errors import GboError
from gbo.schema.codes import ASSOCIATION_TYPES, LOCATION_TYPES, METHODS, OUTCOMES
from gbo.synth.geography import LA_CODES
from gbo.synth.population import weighted_codes
from gbo.synth.settings import WorldSettings
from gbo.synth.writers import blank_where


@dataclass(frozen=True)
class Offending:
    """Units, offences, involvements and associations of the true world."""

    unit_size: np.ndarray
    unit_is_group: np.ndarray
    unit_start: np.ndarray  # datetime64[D]
    unit_end: np.ndarray
    unit_la: np.ndarray  # local authority index
    offender_unit: np.ndarray  # per offender
    victim_unit: np.ndarray  # per victim
    offence_unit: np.ndarray
    offence_first: np.ndarray
    offence_last: np.ndarray  # NaT for a single-day offence
    offence_ho_code: np.ndarray
    offence_is_cse: np.ndarray
    offence_is_online: np.ndarray
    offence_cocad: np.ndarray  # None where the police recorded none
    offence_location: np.ndarray
    offence_methods: np.ndarray  # codes joined by ';' ('' for none)
    offence_outcome: np.ndarray
    offence_outcome_date: np.ndarray  # NaT when under investigation
    involvement_offence: np.ndarray
    involvement_person: np.ndarray
    involvement_role: np.ndarray
    association_a: np.ndarray
    association_b: np.ndarray
    association_type: np.ndarray
    association_date: np.ndarray
    association_is_noise: np.ndarray


def draw_group_sizes(rng: np.random.Generator, n_members: int, ws: WorldSettings) -> np.ndarray:
    """Group sizes k drawn with weight k^-exponent, adding up exactly to ``n_members``."""
    if n_members < ws.group_size_min:
        return np.zeros(0, dtype=np.int64)
    ks = np.arange(ws.group_size_min, ws.group_size_max + 1)
    p = ks.astype(np.float64) ** -ws.group_size_exponent
    p /= p.sum()
    sizes = rng.choice(ks, size=int(n_members / (ks * p).sum() * 1.3) + 10, p=p)
    while sizes.sum() < n_members:
        sizes = np.concatenate([sizes, rng.choice(ks, size=len(sizes), p=p)])
    total = np.cumsum(sizes)
    last = int(np.searchsorted(total, n_members))
    sizes = sizes[: last + 1].copy()
    sizes[-1] -= total[last] - n_members
    if sizes[-1] < ws.group_size_min and len(sizes) > 1:
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    return sizes.astype(np.int64)


def _days(start: dt.date) -> np.datetime64:
    return np.datetime64(start, "D")


def _random_in(rng: np.random.Generator, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """For each unit index range ``[start, start + count)``, one random member."""
    member: np.ndarray = start + (rng.random(len(start)) * count).astype(np.int64)
    return member


def plant_offending(
    rng: np.random.Generator, n_offenders: int, n_victims: int, ws: WorldSettings
) -> Offending:
    """Groups, lone offenders, offences, involvements and associations.

    Offenders are people ``0 .. n_offenders - 1``, victims the next ``n_victims``.
    """
    n_lone = round(n_offenders * ws.lone_offender_share)
    group_sizes = draw_group_sizes(rng, n_offenders - n_lone, ws)
    n_lone = n_offenders - int(group_sizes.sum())
    sizes = np.concatenate([group_sizes, np.ones(n_lone, dtype=np.int64)])
    is_group = np.arange(len(sizes)) < len(group_sizes)
    n_units = len(sizes)
    if n_victims < n_units:
        raise GboError(
            "too few victims for the planted groups and lone offenders",
            hint="raise world.victim_share_of_police_people or world.lone_offender_share",
        )
    member_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    offender_unit = np.repeat(np.arange(n_units), sizes)

    span = (ws.extract_date - ws.period_start).days
    duration: np.ndarray = np.clip(
        rng.exponential(ws.group_duration_mean_days, n_units), 1, span - 400
    ).astype(np.int64)
    start_offset: np.ndarray = (rng.random(n_units) * (span - 365 - duration)).astype(np.int64)
    unit_start = _days(ws.period_start) + start_offset
    unit_end = unit_start + duration
    unit_la = rng.integers(0, len(LA_CODES), n_units)

    # Victims: one per unit, the rest shared out in proportion to expected numbers.
    expected = np.where(
        is_group, ws.victims_per_group_member * sizes, 1.0 + ws.lone_offences_mean
    ).astype(np.float64)
    victims_per_unit = 1 + rng.multinomial(n_victims - n_units, expected / expected.sum())
    victim_start = n_offenders + np.concatenate([[0], np.cumsum(victims_per_unit)[:-1]])
    victim_unit = np.repeat(np.arange(n_units), victims_per_unit)

    # Offences.
    rate = np.where(is_group, ws.offences_per_group_member * sizes, ws.lone_offences_mean)
    offences_per_unit = 1 + rng.poisson(rate)
    offence_start = np.concatenate([[0], np.cumsum(offences_per_unit)[:-1]])
    offence_unit = np.repeat(np.arange(n_units), offences_per_unit)
    n_offences = len(offence_unit)
    u = offence_unit
    first = unit_start[u] + (rng.random(n_offences) * (duration[u] + 1)).astype(np.int64)
    spans = rng.random(n_offences) < 0.3
    last = np.where(spans, first + rng.integers(1, 91, n_offences), np.datetime64("NaT"))

    # Involvements of offenders: the co-offending tree, one member on every offence, extras.
    position = np.arange(n_offenders) - member_start[offender_unit]
    tree = np.flatnonzero(position >= 1)
    tree_unit = offender_unit[tree]
    tree_offence = _random_in(rng, offence_start[tree_unit], offences_per_unit[tree_unit])
    partner = member_start[tree_unit] + (rng.random(len(tree)) * position[tree]).astype(np.int64)
    any_member = _random_in(rng, member_start[u], sizes[u])
    extra_count = np.where(is_group[u], rng.poisson(ws.extra_offenders_per_offence, n_offences), 0)
    extra_offence = np.repeat(np.arange(n_offences), extra_count)
    extra_member = _random_in(
        rng, member_start[offence_unit[extra_offence]], sizes[offence_unit[extra_offence]]
    )
    # Involvements of victims: each victim on one offence, one victim on every offence, extras.
    victim_ids = n_offenders + np.arange(n_victims)
    victim_offence = _random_in(rng, offence_start[victim_unit], offences_per_unit[victim_unit])
    any_victim = _random_in(rng, victim_start[u], victims_per_unit[u])
    extra_v_count = rng.poisson(ws.extra_victims_per_offence, n_offences)
    extra_v_offence = np.repeat(np.arange(n_offences), extra_v_count)
    extra_victim = _random_in(
        rng,
        victim_start[offence_unit[extra_v_offence]],
        victims_per_unit[offence_unit[extra_v_offence]],
    )
    n_people = n_offenders + n_victims
    offences = np.concatenate(
        [tree_offence, tree_offence, np.arange(n_offences), extra_offence]
        + [victim_offence, np.arange(n_offences), extra_v_offence]
    )
    people = np.concatenate(
        [tree, partner, any_member, extra_member, victim_ids, any_victim, extra_victim]
    )
    pairs = np.unique(offences.astype(np.int64) * n_people + people)
    involvement_offence = pairs // n_people
    involvement_person = pairs % n_people

    # Offence details.
    outcome = weighted_codes(rng, ws.outcome_weights, n_offences)
    is_online = rng.random(n_offences) < ws.online_rate
    places = [c for c in LOCATION_TYPES if c != "ONLINE"]
    location = np.where(
        is_online,
        "ONLINE",
        np.array(places, dtype=object)[rng.integers(0, len(places), n_offences)],
    ).astype(object)
    methods = _draw_methods(rng, n_offences, ws.methods_per_offence_mean)
    cocad = _police_cocad(rng, ws, is_group[u])
    is_cse = rng.random(n_offences) < np.where(
        is_group[u], ws.cse_flag_rate_group, ws.cse_flag_rate_lone
    )
    extract = _days(ws.extract_date)
    outcome_date = np.minimum(first + rng.integers(30, 721, n_offences), extract)
    outcome_date = np.where(outcome == "UI", np.datetime64("NaT"), outcome_date)

    charge_codes = [code for code, (_, group) in OUTCOMES.items() if group == "CHARGE"]
    inv_charged = np.isin(outcome, charge_codes)[involvement_offence]
    convicted = rng.random(len(pairs)) < 0.5
    role = np.where(
        involvement_person >= n_offenders,
        "VICTIM",
        np.where(inv_charged, np.where(convicted, "CONVICTED", "ACCUSED"), "SUSPECT"),
    ).astype(object)

    assoc = _draw_associations(
        rng, ws, tree, position, member_start, offender_unit, unit_start, duration, n_offenders
    )
    return Offending(
        unit_size=sizes,
        unit_is_group=is_group,
        unit_start=unit_start,
        unit_end=unit_end,
        unit_la=unit_la,
        offender_unit=offender_unit,
        victim_unit=victim_unit,
        offence_unit=offence_unit,
        offence_first=first,
        offence_last=last,
        offence_ho_code=weighted_codes(rng, ws.ho_offence_weights, n_offences),
        offence_is_cse=is_cse,
        offence_is_online=is_online,
        offence_cocad=cocad.astype(object),
        offence_location=location,
        offence_methods=methods,
        offence_outcome=outcome,
        offence_outcome_date=outcome_date,
        involvement_offence=involvement_offence,
        involvement_person=involvement_person,
        involvement_role=role,
        **assoc,
    )


def _draw_methods(rng: np.random.Generator, n: int, mean: float) -> np.ndarray:
    codes = list(METHODS)
    chosen = rng.random((n, len(codes))) < min(mean / len(codes), 1.0)
    joined = np.full(n, "", dtype=object)
    for j, code in enumerate(codes):
        joined = joined + np.where(chosen[:, j], code + ";", "").astype(object)
    trimmed = pc.utf8_rtrim(pa.array(joined, type=pa.string()), characters=";")
    return np.asarray(trimmed.to_numpy(zero_copy_only=False), dtype=object)


def _draw_associations(
    rng: np.random.Generator,
    ws: WorldSettings,
    tree: np.ndarray,
    position: np.ndarray,
    member_start: np.ndarray,
    offender_unit: np.ndarray,
    unit_start: np.ndarray,
    duration: np.ndarray,
    n_offenders: int,
) -> dict[str, np.ndarray]:
    """Recorded associations between group members, and a few between unrelated offenders."""
    p = min(ws.associations_per_group_member, 1.0)
    chosen = tree[rng.random(len(tree)) < p]
    unit = offender_unit[chosen]
    partner = member_start[unit] + (rng.random(len(chosen)) * position[chosen]).astype(np.int64)
    date = unit_start[unit] + (rng.random(len(chosen)) * (duration[unit] + 1)).astype(np.int64)
    n_noise = rng.binomial(n_offenders, ws.noise_association_rate) if n_offenders > 1 else 0
    noise_a = rng.integers(0, n_offenders, n_noise)
    noise_b = (noise_a + rng.integers(1, max(n_offenders, 2), n_noise)) % max(n_offenders, 1)
    span = (ws.extract_date - ws.period_start).days
    noise_date = _days(ws.period_start) + rng.integers(0, span, n_noise)
    types = np.array(list(ASSOCIATION_TYPES), dtype=object)
    n = len(chosen) + n_noise
    return {
        "association_a": np.concatenate([chosen, noise_a]).astype(np.int64),
        "association_b": np.concatenate([partner, noise_b]).astype(np.int64),
        "association_type": types[rng.integers(0, len(types), n)],
        "association_date": np.concatenate([date, noise_date]),
        "association_is_noise": np.arange(n) >= len(chosen),
    }


def _police_cocad(rng: np.random.Generator, ws: WorldSettings, group: np.ndarray) -> np.ndarray:
    """COCAD categories as the police record them: for a share of group offences (the
    database undercounts) and, all the same, for some offences the data show with one
    offender (one offender with several victims meets its criteria), so a category never
    says by itself that an offence is group-based. Whether one is recorded is drawn from a
    stream of its own, so the rest of the world is the same as without it."""
    drawn = weighted_codes(rng, ws.cocad_weights, len(group))
    chance = np.where(group, ws.cocad_rate_group, ws.cocad_rate_lone)
    recorded = rng.spawn(1)[0].random(len(group)) < chance
    return blank_where(~recorded, drawn)
