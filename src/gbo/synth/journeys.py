"""Agency contacts and vulnerability markers.

Each victim has a date some time after their first offence when exploitation is identified,
a number of contacts with agencies before it, and a few after. Most identifications are a
``CSE_IDENTIFIED`` contact; some by social care are a referral whose recorded reason is
child sexual exploitation; a share of victims (``never_identified_share``) is never
identified: their contacts are recorded but no identification is. Referrals and assessments
carry a recorded reason. Each contact type is recorded by one agency; a contact is in an
export only when the person is known to that agency. Other children and some offenders have
contacts of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.schema.codes import EVENT_TYPES, VULNERABILITY_MARKERS
from gbo.synth.plan import BACKGROUND, OFFENDER, VICTIM, Plan
from gbo.synth.settings import REASON_EVENT_TYPES, SynthSettings

EVENT_AGENCY: dict[str, str] = {
    "MISSING_EPISODE": "police",
    "POLICE_CONTACT": "police",
    "SOCIAL_CARE_REFERRAL": "social_care",
    "SCHOOL_EXCLUSION": "social_care",
    "STRATEGY_MEETING": "social_care",
    "CSE_RISK_ASSESSMENT": "social_care",
    "CSE_IDENTIFIED": "social_care",
    "SOCIAL_CARE_ASSESSMENT": "social_care",
    "EDUCATION_CONTACT": "social_care",
    "CHARITY_CONTACT": "social_care",
    "AE_ATTENDANCE": "health",
    "SEXUAL_HEALTH_VISIT": "health",
    "GP_CONTACT": "health",
}
TYPES = np.array(list(EVENT_TYPES), dtype=object)
TYPE_INDEX = {code: i for i, code in enumerate(EVENT_TYPES)}
TYPE_AGENCY = np.array([EVENT_AGENCY[code] for code in EVENT_TYPES], dtype=object)
SOCIAL_CARE_TYPES = ("SOCIAL_CARE_REFERRAL", "SCHOOL_EXCLUSION", "STRATEGY_MEETING")
HEALTH_TYPES = ("AE_ATTENDANCE", "SEXUAL_HEALTH_VISIT", "GP_CONTACT")


@dataclass(frozen=True)
class Journeys:
    """True events (recorded or not) and recorded vulnerability markers."""

    identification_date: np.ndarray  # per person; NaT except for identified victims
    first_offence_date: np.ndarray  # per person; NaT for people with no offence
    event_person: np.ndarray
    event_type: np.ndarray
    event_date: np.ndarray
    event_agency: np.ndarray
    event_is_prior: np.ndarray  # a victim's contact before identification
    event_is_identification: np.ndarray  # the event that records the identification
    event_reason: np.ndarray  # recorded reason (referrals and assessments), else None
    offence_recorded: np.ndarray  # per offence: when the police recorded it
    marker_person: np.ndarray
    marker_code: np.ndarray
    assessment_date: np.ndarray  # per person; NaT if no markers


def _uniform_dates(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    width = np.maximum((high - low).astype(np.int64), 0)
    dates: np.ndarray = low + (rng.random(len(low)) * (width + 1)).astype(np.int64)
    return dates


def draw_journeys(
    rng: np.random.Generator,
    plan: Plan,
    settings: SynthSettings,
    *,
    dob: np.ndarray,
    first_offence_date: np.ndarray,
    offence_end: np.ndarray,
) -> Journeys:
    """Everyone's contacts; ``offence_end`` is each offence's last (or only) date."""
    js = settings.journeys
    extract = np.datetime64(settings.world.extract_date, "D")
    n = plan.n_people
    kind = plan.kind
    in_sc = plan.presence["social_care"]
    in_health = plan.presence["health"]
    victims = np.flatnonzero(kind == VICTIM)

    delay = rng.exponential(js.identification_delay_mean_days, len(victims)).astype(np.int64)
    # the date contacts are drawn around; it is recorded only for victims identified
    ident_v = np.minimum(first_offence_date[victims] + 1 + delay, extract - 1)
    is_identified = rng.random(len(victims)) >= js.never_identified_share
    identification = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    identification[victims[is_identified]] = ident_v[is_identified]
    pivot = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    pivot[victims] = ident_v

    # Victims' contacts before identification, after it, and the identification itself.
    n_prior = rng.poisson(js.prior_contacts_mean, len(victims))
    prior_person = np.repeat(victims, n_prior)
    low = np.maximum(pivot[prior_person] - js.lookback_days, dob[prior_person] + 365)
    prior_date = _uniform_dates(rng, low, pivot[prior_person] - 1)
    prior_type = _weighted_types(rng, js.event_type_weights, len(prior_person))
    n_later = rng.poisson(js.later_contacts_mean, len(victims))
    later_person = np.repeat(victims, n_later)
    later_date = _uniform_dates(rng, pivot[later_person] + 1, np.full(len(later_person), extract))
    later_type = _weighted_types(rng, js.event_type_weights, len(later_person))
    identified = victims[is_identified]
    ident_date = ident_v[is_identified]
    by_referral = in_sc[identified] & (
        rng.random(len(identified)) < js.identified_by_referral_share
    )
    ident_type = np.where(
        by_referral, TYPE_INDEX["SOCIAL_CARE_REFERRAL"], TYPE_INDEX["CSE_IDENTIFIED"]
    ).astype(np.int64)

    # Other children's contacts in the agencies that know them; offenders' health contacts.
    bg_sc = np.flatnonzero((kind == BACKGROUND) & in_sc)
    bg_health = np.flatnonzero((kind == BACKGROUND) & in_health)
    offenders_health = np.flatnonzero((kind == OFFENDER) & in_health)
    victims_health = np.flatnonzero((kind == VICTIM) & in_health)
    other_people = []
    other_types = []
    for people, types in (
        (bg_sc, SOCIAL_CARE_TYPES),
        (bg_health, HEALTH_TYPES),
        (offenders_health, ("AE_ATTENDANCE", "GP_CONTACT")),
        (victims_health, ("GP_CONTACT",)),
    ):
        count = 1 + rng.poisson(js.background_contacts_mean, len(people))
        if people is victims_health:
            count = np.ones(len(people), dtype=np.int64)
        repeated = np.repeat(people, count)
        other_people.append(repeated)
        indices = np.array([TYPE_INDEX[t] for t in types], dtype=np.int64)
        other_types.append(indices[rng.integers(0, len(types), len(repeated))])
    other_person = np.concatenate(other_people)
    other_low = np.maximum(dob[other_person] + 365, extract - 5 * 365)
    other_date = _uniform_dates(
        rng, np.minimum(other_low, extract), np.full(len(other_person), extract)
    )
    other_type = np.concatenate(other_types)

    person = np.concatenate([prior_person, identified, later_person, other_person])
    type_index = np.concatenate([prior_type, ident_type, later_type, other_type])
    date = np.concatenate([prior_date, ident_date, later_date, other_date])
    is_ident = np.zeros(len(person), dtype=bool)
    is_ident[len(prior_person) : len(prior_person) + len(identified)] = True
    event_agency = TYPE_AGENCY[type_index]
    identified_by_police = (type_index == TYPE_INDEX["CSE_IDENTIFIED"]) & ~in_sc[person]
    event_agency[identified_by_police] = "police"
    is_prior = (kind[person] == VICTIM) & (date < identification[person])
    reason = _reasons(rng, js.reason_weights, type_index)
    reason[is_ident & (type_index == TYPE_INDEX["SOCIAL_CARE_REFERRAL"])] = "CSE"

    markers = _draw_markers(rng, settings, kind, in_sc, pivot, date, person, event_agency)
    # One contact of a type per person per day: a repeat would be an exact duplicate row.
    # The identification is kept before any other contact of its type that day.
    day = (date - np.datetime64("1900-01-01", "D")).astype(np.int64)
    key = (person.astype(np.int64) * len(TYPES) + type_index) * 100_000 + day
    by_key = np.lexsort((~is_ident, key))
    _, first_sorted = np.unique(key[by_key], return_index=True)
    first = by_key[first_sorted]
    order = first[np.lexsort((date[first], person[first]))]
    return Journeys(
        identification_date=identification,
        first_offence_date=first_offence_date,
        event_person=person[order],
        event_type=TYPES[type_index[order]],
        event_date=date[order],
        event_agency=event_agency[order],
        event_is_prior=is_prior[order],
        event_is_identification=is_ident[order],
        event_reason=reason[order],
        offence_recorded=np.minimum(
            offence_end
            + rng.exponential(js.crime_recording_delay_mean_days, len(offence_end)).astype(
                np.int64
            ),
            extract,
        ),
        **markers,
    )


def _reasons(
    rng: np.random.Generator, weights: dict[str, float], type_index: np.ndarray
) -> np.ndarray:
    """A recorded reason for each referral and assessment; None for other contacts."""
    codes = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=np.float64)
    drawn = codes[rng.choice(len(codes), size=len(type_index), p=p / p.sum())]
    carries = np.isin(type_index, [TYPE_INDEX[t] for t in REASON_EVENT_TYPES])
    reason: np.ndarray = drawn.astype(object)
    reason[~carries] = None
    return reason


def _weighted_types(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    """``n`` event type indices (into ``TYPES``) drawn with the given weights."""
    codes = np.array([TYPE_INDEX[code] for code in weights], dtype=np.int64)
    p = np.array(list(weights.values()), dtype=np.float64)
    drawn: np.ndarray = codes[rng.choice(len(codes), size=n, p=p / p.sum())]
    return drawn


def _draw_markers(
    rng: np.random.Generator,
    settings: SynthSettings,
    kind: np.ndarray,
    in_sc: np.ndarray,
    identification: np.ndarray,
    event_date: np.ndarray,
    event_person: np.ndarray,
    event_agency: np.ndarray,
) -> dict[str, np.ndarray]:
    """Markers of children known to social care, found at one assessment each."""
    js = settings.journeys
    codes = list(VULNERABILITY_MARKERS)
    children = np.flatnonzero(in_sc & (kind != OFFENDER))
    is_victim = kind[children] == VICTIM
    victim_rates = np.array([js.victim_marker_rates.get(c, 0.0) for c in codes])
    other_rates = np.array([js.background_marker_rates.get(c, 0.0) for c in codes])
    rates = np.where(is_victim[:, None], victim_rates[None, :], other_rates[None, :])
    has = rng.random((len(children), len(codes))) < rates
    rows, cols = np.nonzero(has)
    # Assessment: a victim's identification date, or another child's first social care contact.
    first_contact = earliest_date(
        len(kind), event_person, event_date, event_agency == "social_care"
    )
    assessment = np.full(len(kind), np.datetime64("NaT"), dtype="datetime64[D]")
    assessed = children[has.any(axis=1)]
    assessment[assessed] = np.where(
        kind[assessed] == VICTIM, identification[assessed], first_contact[assessed]
    )
    return {
        "marker_person": children[rows],
        "marker_code": np.array(codes, dtype=object)[cols],
        "assessment_date": assessment,
    }


def earliest_date(
    n: int, person: np.ndarray, date: np.ndarray, where: np.ndarray | None = None
) -> np.ndarray:
    """Each person's earliest date (NaT for people with none)."""
    if where is not None:
        person, date = person[where], date[where]
    never = np.iinfo(np.int64).max
    earliest = np.full(n, never, dtype=np.int64)
    np.minimum.at(earliest, person, date.astype("datetime64[D]").view(np.int64))
    result = earliest.view("datetime64[D]").copy()
    result[earliest == never] = np.datetime64("NaT")
    return result
