"""How many true people of each kind the generator makes, and which agencies hold them.

``size`` is the number of person records over all agencies. Each agency's share of it is a
setting; an agency's records are the true people it holds plus a few second records of the
same people (duplicates within the agency). People come in three kinds: offenders and
victims (all in the police export) and other children (in social care and/or health only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.errors import GboError
from gbo.synth.settings import SynthSettings

OFFENDER, VICTIM, BACKGROUND = 0, 1, 2
AGENCIES = ("police", "social_care", "health")


@dataclass(frozen=True)
class Plan:
    """Counts of true people and records, and each person's presence in each agency."""

    n_offenders: int
    n_victims: int
    n_background: int
    records_per_agency: dict[str, int]
    kind: np.ndarray
    presence: dict[str, np.ndarray]

    @property
    def n_people(self) -> int:
        return self.n_offenders + self.n_victims + self.n_background


def split_size(size: int, settings: SynthSettings) -> dict[str, int]:
    """Records per agency, adding up exactly to ``size``."""
    shares = settings.agency_shares
    police = round(size * shares.police)
    social_care = round(size * shares.social_care)
    return {"police": police, "social_care": social_care, "health": size - police - social_care}


def _pick(rng: np.random.Generator, n_from: int, n_take: int) -> np.ndarray:
    """A boolean mask choosing ``n_take`` of ``n_from`` at random."""
    mask = np.zeros(n_from, dtype=bool)
    mask[rng.choice(n_from, size=min(n_take, n_from), replace=False)] = True
    return mask


def make_plan(rng: np.random.Generator, size: int, settings: SynthSettings) -> Plan:
    """Decide how many people of each kind there are and where each appears."""
    if size < 50:
        raise GboError(
            f"size {size} is too small", hint="ask for at least 50 synthetic person records"
        )
    records = split_size(size, settings)
    dup = settings.presence.duplicate_record_rate
    presence_settings = settings.presence
    n_police = round(records["police"] / (1 + dup))
    n_victims = max(1, round(n_police * settings.world.victim_share_of_police_people))
    n_offenders = n_police - n_victims

    n_sc = round(records["social_care"] / (1 + dup))
    n_health = round(records["health"] / (1 + dup))
    victims_sc = min(rng.binomial(n_victims, presence_settings.victim_in_social_care), n_sc)
    victims_health = min(rng.binomial(n_victims, presence_settings.victim_in_health), n_health)
    offenders_health = min(
        rng.binomial(n_offenders, presence_settings.offender_in_health), n_health - victims_health
    )
    background_sc = n_sc - victims_sc
    background_health = n_health - victims_health - offenders_health
    background_both = round(
        presence_settings.background_in_both * min(background_sc, background_health)
    )
    n_background = background_sc + background_health - background_both

    kind = np.concatenate(
        [
            np.full(n_offenders, OFFENDER, dtype=np.int8),
            np.full(n_victims, VICTIM, dtype=np.int8),
            np.full(n_background, BACKGROUND, dtype=np.int8),
        ]
    )
    n = len(kind)
    police = kind != BACKGROUND
    social_care = np.zeros(n, dtype=bool)
    health = np.zeros(n, dtype=bool)
    victims = slice(n_offenders, n_offenders + n_victims)
    social_care[victims] = _pick(rng, n_victims, victims_sc)
    health[victims] = _pick(rng, n_victims, victims_health)
    health[:n_offenders] = _pick(rng, n_offenders, offenders_health)
    start = n_offenders + n_victims
    social_care[start : start + background_sc] = True
    health[start : start + background_both] = True
    health[start + background_sc :] = True
    return Plan(
        n_offenders=n_offenders,
        n_victims=n_victims,
        n_background=n_background,
        records_per_agency=records,
        kind=kind,
        presence={"police": police, "social_care": social_care, "health": health},
    )
