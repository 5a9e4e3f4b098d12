"""Agency person records: who each agency holds, under which local ids, and how it recorded them.

Every record of a true person is corrupted independently (typing errors, nicknames,
transliteration variants, swapped names, hyphenated family names recorded in part, dummy
dates of birth, the other address of people who moved, missing values, NHS numbers left
out or mistyped), so two records of one person differ as records from different systems
do. Values are still the truth here; each exporter formats them in its agency's own way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.schema.codes import IC_CODES
from gbo.synth.names import NamePool, load_name_pools
from gbo.synth.nhs_numbers import record_nhs_numbers
from gbo.synth.population import NO_NAME, People
from gbo.synth.serials import draw_serials
from gbo.synth.settings import CorruptionSettings, SynthSettings
from gbo.synth.world import World
from gbo.synth.writers import blank_where

NAT = np.datetime64("NaT")
_ALIAS = CorruptionSettings(transliteration_rate=1.0, nickname_rate=1.0, typo_rate=0.0)


@dataclass(frozen=True)
class AgencyRecords:
    """The person records of one agency (index = record number within the agency)."""

    agency: str
    person: np.ndarray  # true person of each record
    local_id: np.ndarray
    is_duplicate: np.ndarray  # a second record of a person already held
    main_of_person: np.ndarray  # per true person: their first record, or -1
    duplicate_of_person: np.ndarray  # per true person: their second record, or -1
    given: np.ndarray
    middle: np.ndarray
    family: np.ndarray
    alias: np.ndarray
    dob: np.ndarray  # datetime64[D], NaT when missing
    sex: np.ndarray
    ethnicity: np.ndarray  # 18+1 code, 'NS' or None
    officer_ethnicity: np.ndarray
    nationality: np.ndarray
    address: np.ndarray
    postcode: np.ndarray
    la_index: np.ndarray
    nhs_number: np.ndarray  # int64, NOT_RECORDED where the record carries none

    def __len__(self) -> int:
        return len(self.person)

    def pick_records(self, rng: np.random.Generator, person: np.ndarray) -> np.ndarray:
        """For rows of a person: their first record, or now and then their second one."""
        record = self.main_of_person[person]
        duplicate = self.duplicate_of_person[person]
        chosen: np.ndarray = np.where(
            (duplicate >= 0) & (rng.random(len(person)) < 0.3), duplicate, record
        )
        return chosen

    def route_rows(
        self, rng: np.random.Generator, row_person: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The record each row of a person uses; rows are copied so every record has a row.

        Returns the source row of each output row and its record number.
        """
        record = self.main_of_person[row_person]
        duplicate = self.duplicate_of_person[row_person]
        moved = (duplicate >= 0) & (rng.random(len(row_person)) < 0.3)
        record = np.where(moved, duplicate, record)
        used = np.zeros(len(self), dtype=bool)
        used[record] = True
        people, first_row = np.unique(row_person, return_index=True)
        unused = np.flatnonzero(~used & np.isin(self.person, people))
        where = np.searchsorted(people, self.person[unused])
        source = np.concatenate([np.arange(len(row_person)), first_row[where]])
        order = np.argsort(source, kind="stable")
        return source[order], np.concatenate([record, unused])[order]


def _variants(
    rng: np.random.Generator,
    pool: NamePool,
    index: np.ndarray,
    cs: CorruptionSettings,
    *,
    nick: bool,
) -> np.ndarray:
    names = pool.names[index].copy()
    n = len(index)
    done = np.zeros(n, dtype=bool)
    for table, rate in (
        (pool.transliterations, cs.transliteration_rate),
        (pool.nicknames, cs.nickname_rate if nick else 0.0),
        (pool.typos, cs.typo_rate),
    ):
        chosen = np.flatnonzero(~done & (table.count(index) > 0) & (rng.random(n) < rate))
        names[chosen] = table.pick(index[chosen], rng.random(len(chosen)))
        done[chosen] = True
    result: np.ndarray = names
    return result


def _given_names(
    rng: np.random.Generator,
    people: People,
    person: np.ndarray,
    index: np.ndarray,
    cs: CorruptionSettings,
    *,
    nick: bool,
) -> np.ndarray:
    pools = load_name_pools(people.name_seed)
    out = np.full(len(person), None, dtype=object)
    female = people.sex[person] == "F"
    present = index != NO_NAME
    for mask, pool in (
        (female & present, pools.given_female),
        (~female & present, pools.given_male),
    ):
        rows = np.flatnonzero(mask)
        out[rows] = _variants(rng, pool, index[rows], cs, nick=nick)
    return out


def _family_names(
    rng: np.random.Generator, people: People, person: np.ndarray, cs: CorruptionSettings
) -> np.ndarray:
    pool = load_name_pools(people.name_seed).family
    first = _variants(rng, pool, people.family[person], cs, nick=False)
    second_index = people.family2[person]
    double = np.flatnonzero(second_index != NO_NAME)
    second = _variants(rng, pool, second_index[double], cs, nick=False)
    style = rng.integers(0, 3, len(double))
    varied = rng.random(len(double)) < cs.hyphen_variant_rate
    joined = np.where(
        ~varied,
        first[double] + "-" + second,
        np.select([style == 0, style == 1], [first[double] + " " + second, first[double]], second),
    )
    first[double] = joined
    return first


def _recorded_dob(rng: np.random.Generator, dob: np.ndarray, cs: CorruptionSettings) -> np.ndarray:
    n = len(dob)
    years = dob.astype("datetime64[Y]")
    months = dob.astype("datetime64[M]")
    day = (dob - months).astype(np.int64) + 1
    month = (months - years).astype(np.int64) + 1
    swapped = years + (day - 1).astype("timedelta64[M]")
    swapped = swapped.astype("datetime64[D]") + (month - 1)
    u = rng.random(n)
    edges = np.cumsum(
        [cs.dummy_dob_rate, cs.dob_1900_rate, cs.dob_day_month_swap_rate, cs.missing_dob_rate]
    )
    recorded: np.ndarray = np.select(
        [u < edges[0], u < edges[1], (u < edges[2]) & (day <= 12) & (day != month), u < edges[3]],
        [years.astype("datetime64[D]"), np.datetime64("1900-01-01"), swapped, NAT],
        dob,
    ).astype("datetime64[D]")
    return recorded


def _blank(rng: np.random.Generator, values: np.ndarray, rate: float) -> np.ndarray:
    return blank_where(rng.random(len(values)) < rate, values)


def _misrecorded_sex(rng: np.random.Generator, sex: np.ndarray, rate: float) -> np.ndarray:
    """``sex`` with a share ``rate`` recorded as the other one (no draw when the rate is 0,
    so that every other draw stays as it was)."""
    if rate <= 0:
        return sex
    flip = rng.random(len(sex)) < rate
    return np.where(flip, np.where(sex == "F", "M", "F"), sex).astype(object)


def make_agency_records(
    rng: np.random.Generator, world: World, agency: str, settings: SynthSettings
) -> AgencyRecords:
    """The person records of one agency, with their local ids and recorded values."""
    cs = settings.corruption
    people = world.people
    # NHS numbers on the records come from a stream spawned for them, leaving the rest as is.
    nhs_rng = rng.spawn(1)[0]
    held = np.flatnonzero(world.plan.presence[agency])
    target = world.plan.records_per_agency[agency]
    n_dup = int(np.clip(target - len(held), 0, len(held)))
    dup_people = np.sort(rng.choice(held, size=n_dup, replace=False))
    person = np.concatenate([held, dup_people])
    n = len(person)
    is_duplicate = np.arange(n) >= len(held)
    main_of = np.full(len(people), -1, dtype=np.int64)
    main_of[held] = np.arange(len(held))
    dup_of = np.full(len(people), -1, dtype=np.int64)
    dup_of[dup_people] = len(held) + np.arange(n_dup)
    local_number = draw_serials(rng, n, usual_width=7, block=world.shard.index)

    given = _given_names(rng, people, person, people.given[person], cs, nick=True)
    middle = _given_names(rng, people, person, people.middle[person], cs, nick=False)
    middle = _blank(rng, middle, cs.missing_middle_name_rate)
    family = _family_names(rng, people, person, cs)
    swap = rng.random(n) < cs.swapped_names_rate
    given, family = np.where(swap, family, given), np.where(swap, given, family)
    # An alias: another given name (a variant of the true one when it has variants).
    alias_given = _given_names(rng, people, person, people.given[person], _ALIAS, nick=True)
    has_alias = rng.random(n) < cs.alias_rate
    alias = blank_where(~has_alias, alias_given + " " + family)

    moved = people.is_mover[person] & (rng.random(n) < 0.5)
    address = np.where(moved, people.previous.line[person], people.home.line[person])
    postcode = np.where(moved, people.previous.postcode[person], people.home.postcode[person])
    la_index = np.where(moved, people.previous.la_index[person], people.home.la_index[person])
    no_address = rng.random(n) < cs.missing_address_rate
    if cs.missing_address_line_rate > 0:  # a stream of its own: other draws stay as they were
        no_line = rng.spawn(1)[0].random(n) < cs.missing_address_line_rate
    else:
        no_line = np.zeros(n, dtype=bool)
    ethnicity = people.ethnicity[person].copy()
    u = rng.random(n)
    ethnicity[(u >= cs.missing_ethnicity_rate / 2) & (u < cs.missing_ethnicity_rate)] = "NS"
    ethnicity = blank_where(u < cs.missing_ethnicity_rate / 2, ethnicity)
    ic_codes = np.array([c for c in IC_CODES if c != "IC9"], dtype=object)
    officer = np.where(
        rng.random(n) < settings.people.officer_ethnicity_noise,
        ic_codes[rng.integers(0, len(ic_codes), n)],
        people.officer_ethnicity[person],
    )
    return AgencyRecords(
        agency=agency,
        person=person,
        local_id=local_number,
        is_duplicate=is_duplicate,
        main_of_person=main_of,
        duplicate_of_person=dup_of,
        given=given.astype(object),
        middle=middle,
        family=family.astype(object),
        alias=alias.astype(object),
        dob=_recorded_dob(rng, people.dob[person], cs),
        sex=_blank(
            rng, _misrecorded_sex(rng, people.sex[person], cs.sex_error_rate), cs.missing_sex_rate
        ),
        ethnicity=ethnicity.astype(object),
        officer_ethnicity=_blank(rng, officer, cs.missing_officer_ethnicity_rate),
        nationality=_blank(rng, people.nationality[person], cs.missing_nationality_rate),
        address=blank_where(no_address | no_line, address),
        postcode=blank_where(no_address, postcode),
        la_index=la_index,
        nhs_number=record_nhs_numbers(
            nhs_rng,
            people.nhs_number[person],
            settings.nhs_numbers.share(agency),
            settings.nhs_numbers.keying_error_rate,
        ),
    )
