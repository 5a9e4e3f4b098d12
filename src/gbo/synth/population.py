"""True people: names, sex, dates of birth, ethnicity, nationality and addresses.

Names, ethnicity, officer-defined ethnicity and nationality are drawn from one distribution
for everyone, independently of each other and of anything else about the person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.synth.geography import LA_CODES, Addresses, draw_addresses
from gbo.synth.names import NamePool, NamePools, alike_names, load_name_pools
from gbo.synth.plan import BACKGROUND, OFFENDER, VICTIM, Plan
from gbo.synth.settings import SynthSettings

NO_NAME = -1


@dataclass(frozen=True)
class People:
    """One entry per true person (index = true person number)."""

    kind: np.ndarray
    sex: np.ndarray  # 'F' or 'M'
    given: np.ndarray  # index into the given-name pool of the person's sex
    middle: np.ndarray  # index into the same pool, or NO_NAME
    family: np.ndarray  # index into the family-name pool
    family2: np.ndarray  # second part of a double-barrelled name, or NO_NAME
    dob: np.ndarray  # datetime64[D]
    ethnicity: np.ndarray  # 18+1 code
    officer_ethnicity: np.ndarray  # IC code
    nationality: np.ndarray  # ISO alpha-3
    home: Addresses
    previous: Addresses
    is_mover: np.ndarray
    nhs_number: np.ndarray  # int64, from the range reserved for testing (999...)
    name_seed: int  # which names are common (see gbo.synth.names.load_name_pools)

    def __len__(self) -> int:
        return len(self.kind)


def weighted_codes(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    """``n`` codes drawn with the given weights."""
    codes = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=np.float64)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def _draw_names(rng: np.random.Generator, pool: NamePool, n: int) -> np.ndarray:
    return rng.choice(len(pool), size=n, p=pool.probabilities).astype(np.int64)


def days_before(
    rng: np.random.Generator, when: np.ndarray, min_years: int, max_years: int
) -> np.ndarray:
    """A date between ``min_years`` and ``max_years + 1`` years (less a day) before ``when``."""
    low = int(min_years * 365.25)
    high = int((max_years + 1) * 365.25) - 1
    return when - rng.integers(low, high, len(when))


def draw_people(
    rng: np.random.Generator,
    plan: Plan,
    settings: SynthSettings,
    *,
    reference_date: np.ndarray,
    home_la: np.ndarray,
    nhs_number: np.ndarray,
) -> People:
    """Draw every true person.

    ``reference_date`` is the date each person's age is drawn against (the first offence of
    offenders and victims, the export date for other children); ``home_la`` is the local
    authority index each person lives in (-1: anywhere); ``nhs_number`` is each person's NHS
    number, drawn from a stream of its own.
    """
    n = plan.n_people
    ps = settings.people
    ws = settings.world
    kind = plan.kind
    female_share = np.select(
        [kind == OFFENDER, kind == VICTIM],
        [ws.offender_female_share, ws.victim_female_share],
        ps.background_female_share,
    )
    sex = np.where(rng.random(n) < female_share, "F", "M").astype(object)
    is_female = sex == "F"
    pools = load_name_pools(ps.name_frequency_seed)
    given = np.where(
        is_female, _draw_names(rng, pools.given_female, n), _draw_names(rng, pools.given_male, n)
    )
    middle = np.where(
        is_female, _draw_names(rng, pools.given_female, n), _draw_names(rng, pools.given_male, n)
    )
    middle = np.where(rng.random(n) < ps.middle_name_share, middle, NO_NAME)
    middle = np.where(middle == given, NO_NAME, middle)
    family = _draw_names(rng, pools.family, n)
    family2 = _draw_names(rng, pools.family, n)
    family2 = np.where(
        (rng.random(n) < ps.hyphenated_surname_share) & (family2 != family), family2, NO_NAME
    )

    age_min = np.select(
        [kind == OFFENDER, kind == VICTIM], [ws.offender_age_min, ws.victim_age_min], 0
    )
    age_max = np.select(
        [kind == OFFENDER, kind == VICTIM], [ws.offender_age_max, ws.victim_age_max], 17
    )
    low = (age_min * 365.25).astype(np.int64)
    high = ((age_max + 1) * 365.25).astype(np.int64) - 1
    dob = reference_date - (low + (rng.random(n) * (high - low)).astype(np.int64))

    la = np.where(
        (home_la >= 0) & (rng.random(n) < 0.8), home_la, rng.integers(0, len(LA_CODES), n)
    )
    previous_la = np.where(rng.random(n) < 0.7, la, rng.integers(0, len(LA_CODES), n))
    home = draw_addresses(rng, la)
    # Drawn from a stream of their own, so every other draw stays as it was.
    parent_rng = rng.spawn(1)[0]
    twin, partner = _plant_siblings(rng, settings, kind, family, family2, dob, home)
    if settings.people.twin_alike_name_share or settings.people.same_sex_twin_alike_name_share:
        _name_twins_alike(rng.spawn(1)[0], settings, sex, given, twin, partner, pools)
    _plant_same_name_parents(parent_rng, settings, kind, sex, given, family, family2, home)
    return People(
        kind=kind,
        sex=sex,
        given=given,
        middle=middle,
        family=family,
        family2=family2,
        dob=dob,
        ethnicity=weighted_codes(rng, ps.ethnicity_weights, n),
        officer_ethnicity=weighted_codes(rng, ps.officer_ethnicity_weights, n),
        nationality=weighted_codes(rng, ps.nationality_weights, n),
        home=home,
        previous=draw_addresses(rng, previous_la),
        is_mover=rng.random(n) < ps.mover_share,
        nhs_number=nhs_number,
        name_seed=ps.name_frequency_seed,
    )


def _plant_same_name_parents(
    rng: np.random.Generator,
    settings: SynthSettings,
    kind: np.ndarray,
    sex: np.ndarray,
    given: np.ndarray,
    family: np.ndarray,
    family2: np.ndarray,
    home: Addresses,
) -> None:
    """Some adults share their full name and home with a child of their sex (a father and
    son both called John Oakes): the same name and address, a birth a generation apart.
    Changes the arrays in place."""
    adults = np.flatnonzero(kind == OFFENDER)
    children = np.flatnonzero(kind != OFFENDER)
    share = settings.people.same_name_parent_share
    if len(adults) == 0 or len(children) == 0 or share <= 0:
        return
    parent = adults[rng.random(len(adults)) < share]
    child = children[rng.integers(0, len(children), len(parent))]
    same_sex = sex[parent] == sex[child]
    parent, child = parent[same_sex], child[same_sex]
    given[parent] = given[child]
    family[parent] = family[child]
    family2[parent] = family2[child]
    for values in (home.line, home.postcode, home.district, home.la_index):
        values[parent] = values[child]


def _plant_siblings(
    rng: np.random.Generator,
    settings: SynthSettings,
    kind: np.ndarray,
    family: np.ndarray,
    family2: np.ndarray,
    dob: np.ndarray,
    home: Addresses,
) -> tuple[np.ndarray, np.ndarray]:
    """Some children share a family name and home with another child; a few other children
    are twins (the same date of birth too). Distinct people who look alike: linkage must
    keep them apart. Changes the arrays in place; returns the twins and their partners."""
    ps = settings.people
    none = np.zeros(0, dtype=np.int64)
    children = np.flatnonzero(kind != OFFENDER)
    if len(children) < 2:
        return none, none
    sibling = children[rng.random(len(children)) < ps.sibling_share]
    partner = children[rng.integers(0, len(children), len(sibling))]
    keep = sibling != partner
    sibling, partner = sibling[keep], partner[keep]
    family[sibling] = family[partner]
    family2[sibling] = family2[partner]
    for values in (home.line, home.postcode, home.district, home.la_index):
        values[sibling] = values[partner]
    others = np.flatnonzero(kind == BACKGROUND)
    if len(others) < 2:
        return none, none
    twin = others[rng.random(len(others)) < ps.twin_share]
    partner = others[rng.integers(0, len(others), len(twin))]
    keep = twin != partner
    twin, partner = twin[keep], partner[keep]
    family[twin] = family[partner]
    family2[twin] = family2[partner]
    dob[twin] = dob[partner]
    for values in (home.line, home.postcode, home.district, home.la_index):
        values[twin] = values[partner]
    return twin, partner


def _name_twins_alike(
    rng: np.random.Generator,
    settings: SynthSettings,
    sex: np.ndarray,
    given: np.ndarray,
    twin: np.ndarray,
    partner: np.ndarray,
    pools: NamePools,
) -> None:
    """Give some twins a forename alike their twin's (Danielle beside Daniel, Ellie beside
    Ella), from a stream of their own. Changes ``given`` in place."""
    people = settings.people
    opposite = sex[twin] != sex[partner]
    share = np.where(opposite, people.twin_alike_name_share, people.same_sex_twin_alike_name_share)
    chosen = rng.random(len(twin)) < share
    twin, partner = twin[chosen], partner[chosen]
    pool = {"F": pools.given_female, "M": pools.given_male}
    alike = np.full(len(twin), -1, dtype=np.int64)
    for own, partners in (("F", "M"), ("M", "F"), ("F", "F"), ("M", "M")):
        which = (sex[twin] == own) & (sex[partner] == partners)
        if which.any():
            alike[which] = alike_names(pool[partners], pool[own])[given[partner[which]]]
    found = alike >= 0
    given[twin[found]] = alike[found]
