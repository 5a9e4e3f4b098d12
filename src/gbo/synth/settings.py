"""Settings of the synthetic data generator.

Every distribution the generator draws from is declared here with a default. The defaults
are neutral and arbitrary: they are the same for every group of people (ethnicity,
nationality and names are drawn from one distribution for everyone) and have no real-world
meaning. They are chosen only so that the data exercise every part of the pipeline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import Field, model_validator

from gbo.schema.codes import (
    COCAD,
    EVENT_REASONS,
    EVENT_TYPES,
    HO_OFFENCES,
    IC_CODES,
    OUTCOMES,
    SDE_18,
    VULNERABILITY_MARKERS,
)
from gbo.settings_base import Settings

PRIOR_EVENT_TYPES = tuple(t for t in EVENT_TYPES if t != "CSE_IDENTIFIED")
# Types the synthetic agencies record by default (education and voluntary sector contacts
# can be given weights; no synthetic export is theirs, so social care records them).
DEFAULT_CONTACT_TYPES = tuple(
    t for t in PRIOR_EVENT_TYPES if t not in {"EDUCATION_CONTACT", "CHARITY_CONTACT"}
)
# Event types that carry a recorded reason.
REASON_EVENT_TYPES = ("SOCIAL_CARE_REFERRAL", "SOCIAL_CARE_ASSESSMENT")


def _equal(codes: object) -> dict[str, float]:
    return {str(code): 1.0 for code in codes}  # type: ignore[attr-defined]


def _check_weights(name: str, weights: dict[str, float], allowed: object | None = None) -> None:
    if not weights or sum(weights.values()) <= 0 or min(weights.values()) < 0:
        raise ValueError(f"{name}: weights must be non-negative and not all zero")
    if allowed is not None:
        unknown = sorted(set(weights) - set(allowed))  # type: ignore[call-overload]
        if unknown:
            raise ValueError(f"{name}: unknown codes {unknown}")


class AgencyShares(Settings):
    """Share of all person records that each agency's export holds."""

    police: float = Field(0.4, gt=0.0, lt=1.0, description="Police CSV.")
    social_care: float = Field(0.3, gt=0.0, lt=1.0, description="Children's social care XLSX.")
    health: float = Field(0.3, gt=0.0, lt=1.0, description="Health NDJSON.")

    @model_validator(mode="after")
    def _sum_to_one(self) -> AgencyShares:
        if abs(self.police + self.social_care + self.health - 1.0) > 1e-6:
            raise ValueError("agency shares must add up to 1")
        return self


class WorldSettings(Settings):
    """The true world: people, groups, offences and victims."""

    period_start: dt.date = Field(dt.date(2012, 1, 1), description="Earliest offence date.")
    extract_date: dt.date = Field(
        dt.date(2025, 3, 31), description="Date the agencies' exports were taken; no event after."
    )
    victim_share_of_police_people: float = Field(
        0.45, ge=0.05, le=0.9, description="Share of people in the police export who are victims."
    )
    lone_offender_share: float = Field(
        0.35, ge=0.0, le=0.95, description="Share of offenders who offend alone (no group)."
    )
    group_size_min: int = Field(2, ge=2, description="Smallest planted group.")
    group_size_max: int = Field(30, ge=2, le=200, description="Largest planted group.")
    group_size_exponent: float = Field(
        1.7, gt=0.0, description="Group sizes k are drawn with weight k^-exponent."
    )
    group_duration_mean_days: float = Field(
        450.0, gt=0.0, description="Mean length of a group's active period (exponential)."
    )
    offences_per_group_member: float = Field(
        0.8, ge=0.0, description="Mean group offences per member (plus one), Poisson."
    )
    extra_offenders_per_offence: float = Field(
        0.7, ge=0.0, description="Mean group members added to an offence beyond the planted pair."
    )
    victims_per_group_member: float = Field(
        0.7,
        ge=0.0,
        description="Weight of a group's share of victims, per member (a lone offender's "
        "weight is 1 + lone_offences_mean); every group and lone offender has at least one.",
    )
    extra_victims_per_offence: float = Field(
        0.3, ge=0.0, description="Mean further victims on an offence (shared victims), Poisson."
    )
    lone_offences_mean: float = Field(
        0.4, ge=0.0, description="Mean offences of a lone offender beyond the first, Poisson."
    )
    offender_female_share: float = Field(
        0.1, ge=0.0, le=1.0, description="Female share of offenders."
    )
    victim_female_share: float = Field(0.8, ge=0.0, le=1.0, description="Female share of victims.")
    offender_age_min: int = Field(14, ge=10, description="Youngest offender at first offence.")
    offender_age_max: int = Field(65, le=90, description="Oldest offender at first offence.")
    victim_age_min: int = Field(10, ge=5, description="Youngest victim at first offence.")
    victim_age_max: int = Field(17, le=17, description="Oldest victim at first offence.")
    associations_per_group_member: float = Field(
        0.5, ge=0.0, description="Recorded associations between members, per member."
    )
    noise_association_rate: float = Field(
        0.02, ge=0.0, le=1.0, description="Associations between unrelated offenders, per offender."
    )
    cse_flag_rate_group: float = Field(0.7, ge=0.0, le=1.0, description="CSE flag, group offence.")
    cse_flag_rate_lone: float = Field(0.3, ge=0.0, le=1.0, description="CSE flag, lone offence.")
    online_rate: float = Field(0.2, ge=0.0, le=1.0, description="Offences with an online element.")
    ho_offence_weights: dict[str, float] = Field(
        default_factory=lambda: _equal(HO_OFFENCES), description="Home Office offence codes."
    )
    outcome_weights: dict[str, float] = Field(
        default_factory=lambda: _equal(OUTCOMES), description="Outcome codes."
    )
    cocad_weights: dict[str, float] = Field(
        default_factory=lambda: _equal(COCAD), description="COCAD category, where recorded."
    )
    cocad_rate_group: float = Field(
        0.9, ge=0.0, le=1.0, description="Group offences with a COCAD category recorded."
    )
    cocad_rate_lone: float = Field(
        0.15,
        ge=0.0,
        le=1.0,
        description="Lone offences with a COCAD category recorded all the same (one offender "
        "and several victims meets its criteria).",
    )
    methods_per_offence_mean: float = Field(
        1.2, ge=0.0, description="Mean method codes per offence (Poisson)."
    )

    @model_validator(mode="after")
    def _check(self) -> WorldSettings:
        if self.group_size_max < self.group_size_min:
            raise ValueError("group_size_max must be at least group_size_min")
        if self.offender_age_max < self.offender_age_min:
            raise ValueError("offender_age_max must be at least offender_age_min")
        if self.victim_age_max < self.victim_age_min:
            raise ValueError("victim_age_max must be at least victim_age_min")
        if self.extract_date <= self.period_start + dt.timedelta(days=730):
            raise ValueError("extract_date must be at least two years after period_start")
        _check_weights("ho_offence_weights", self.ho_offence_weights, HO_OFFENCES)
        _check_weights("outcome_weights", self.outcome_weights, OUTCOMES)
        _check_weights("cocad_weights", self.cocad_weights, COCAD)
        return self


class PeopleSettings(Settings):
    """Attributes of true people, drawn from one distribution for everyone."""

    ethnicity_weights: dict[str, float] = Field(
        default_factory=lambda: _equal(c for c in SDE_18 if c != "NS"),
        description="Self-defined ethnicity (18+1 codes), the same for everyone.",
    )
    officer_ethnicity_weights: dict[str, float] = Field(
        default_factory=lambda: _equal(c for c in IC_CODES if c != "IC9"),
        description="Officer-defined IC codes, drawn independently of self-defined ethnicity.",
    )
    officer_ethnicity_noise: float = Field(
        0.1, ge=0.0, le=1.0, description="Police records whose IC code is redrawn at random."
    )
    nationality_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "GBR": 8.0,
            "IRL": 0.25,
            "POL": 0.25,
            "ROU": 0.25,
            "IND": 0.25,
            "PAK": 0.25,
            "ITA": 0.25,
            "NGA": 0.25,
            "TUR": 0.25,
            "SVK": 0.25,
        },
        description="Nationality (ISO 3166-1 alpha-3), the same for everyone.",
    )
    hyphenated_surname_share: float = Field(
        0.06, ge=0.0, le=1.0, description="People with a double-barrelled family name."
    )
    middle_name_share: float = Field(0.5, ge=0.0, le=1.0, description="People with a middle name.")
    mover_share: float = Field(
        0.2, ge=0.0, le=1.0, description="People who moved house (records show either address)."
    )
    background_female_share: float = Field(
        0.5, ge=0.0, le=1.0, description="Female share of children who are not victims."
    )
    sibling_share: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Children who share a family name and home with another child.",
    )
    twin_share: float = Field(
        0.005,
        ge=0.0,
        le=1.0,
        description="Other children who are twins: the same family name, home and date of birth.",
    )
    twin_alike_name_share: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Twins of opposite sex whose forenames look alike (Daniel and Danielle: "
        "Jaro-Winkler >= 0.8): only the recorded sex tells their records apart.",
    )
    same_sex_twin_alike_name_share: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Twins of the same sex whose forenames look alike (Ella and Ellie): "
        "nothing but an identifier, where recorded, tells their records apart.",
    )
    same_name_parent_share: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Adults (offenders) who share their full name and home with a child of the "
        "same sex (a parent and child of one name): distinct people linkage must keep apart.",
    )
    name_frequency_seed: int = Field(
        20240607,
        description="Which names are common: the seed of the Zipf order over the name pools.",
    )

    @model_validator(mode="after")
    def _check(self) -> PeopleSettings:
        from gbo.schema.codes import nationalities

        _check_weights("ethnicity_weights", self.ethnicity_weights, SDE_18)
        _check_weights("officer_ethnicity_weights", self.officer_ethnicity_weights, IC_CODES)
        _check_weights("nationality_weights", self.nationality_weights, nationalities())
        return self


class PresenceSettings(Settings):
    """Which true people appear in which agency's export."""

    victim_in_social_care: float = Field(
        0.85, ge=0.0, le=1.0, description="Victims known to children's social care."
    )
    victim_in_health: float = Field(0.6, ge=0.0, le=1.0, description="Victims in health records.")
    offender_in_health: float = Field(
        0.15, ge=0.0, le=1.0, description="Offenders who also appear in health records."
    )
    background_in_both: float = Field(
        0.2, ge=0.0, le=1.0, description="Other children in both social care and health."
    )
    duplicate_record_rate: float = Field(
        0.03, ge=0.0, le=0.5, description="People given a second local id within one agency."
    )


class JourneySettings(Settings):
    """Victims' agency contacts before the first identification, and vulnerability markers."""

    prior_contacts_mean: float = Field(
        6.0, ge=0.0, description="Mean contacts before identification (Poisson)."
    )
    lookback_days: int = Field(
        1460, ge=30, description="Prior contacts fall in this many days before identification."
    )
    identification_delay_mean_days: float = Field(
        400.0, ge=0.0, description="Mean days from first offence to identification (exponential)."
    )
    later_contacts_mean: float = Field(
        1.5, ge=0.0, description="Mean contacts after identification (Poisson)."
    )
    event_type_weights: dict[str, float] = Field(
        default_factory=lambda: _equal(DEFAULT_CONTACT_TYPES),
        description="Types of victims' contacts other than the identification.",
    )
    reason_weights: dict[str, float] = Field(
        default_factory=lambda: _equal(r for r in EVENT_REASONS if r != "CSE"),
        description="Recorded reasons of referrals and assessments (codes.EVENT_REASONS) "
        "other than the identification itself.",
    )
    crime_recording_delay_mean_days: float = Field(
        180.0,
        ge=0.0,
        description="Mean days from an offence's last date to the police recording it "
        "(exponential), so a crime can be recorded after the victim is identified.",
    )
    never_identified_share: float = Field(
        0.15,
        ge=0.0,
        le=1.0,
        description="Victims whose exploitation no agency ever records as identified.",
    )
    identified_by_referral_share: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description="Identifications by social care recorded as a referral whose reason is "
        "child sexual exploitation instead of a 'CSE identified' contact.",
    )
    background_contacts_mean: float = Field(
        1.0, ge=0.0, description="Contacts of other children beyond their first (Poisson)."
    )
    victim_marker_rates: dict[str, float] = Field(
        default_factory=lambda: {code: 0.25 for code in VULNERABILITY_MARKERS},
        description="Chance a victim known to social care has each marker.",
    )
    background_marker_rates: dict[str, float] = Field(
        default_factory=lambda: {code: 0.08 for code in VULNERABILITY_MARKERS},
        description="Chance another child known to social care has each marker.",
    )

    @model_validator(mode="after")
    def _check(self) -> JourneySettings:
        _check_weights("event_type_weights", self.event_type_weights, PRIOR_EVENT_TYPES)
        _check_weights("reason_weights", self.reason_weights, EVENT_REASONS)
        for name, rates in (
            ("victim_marker_rates", self.victim_marker_rates),
            ("background_marker_rates", self.background_marker_rates),
        ):
            unknown = sorted(set(rates) - set(VULNERABILITY_MARKERS))
            if unknown or any(not 0.0 <= r <= 1.0 for r in rates.values()):
                raise ValueError(f"{name}: marker codes with rates between 0 and 1")
        return self


class CorruptionSettings(Settings):
    """How each agency record differs from the truth (rates per record unless stated)."""

    typo_rate: float = Field(0.03, ge=0.0, le=1.0, description="Each name with a typing error.")
    nickname_rate: float = Field(
        0.06, ge=0.0, le=1.0, description="Given name recorded as a nickname (when one exists)."
    )
    transliteration_rate: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Name recorded as another spelling of its transliteration set (when any).",
    )
    swapped_names_rate: float = Field(
        0.01, ge=0.0, le=1.0, description="Given and family names swapped."
    )
    hyphen_variant_rate: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Double-barrelled family name recorded as one part or with a space.",
    )
    dummy_dob_rate: float = Field(
        0.01, ge=0.0, le=1.0, description="Date of birth recorded as 1 January of the true year."
    )
    dob_1900_rate: float = Field(
        0.003, ge=0.0, le=1.0, description="Date of birth recorded as the placeholder 1900-01-01."
    )
    dob_day_month_swap_rate: float = Field(
        0.005, ge=0.0, le=1.0, description="Day and month swapped (when the day is 12 or less)."
    )
    partial_dob_rate: float = Field(
        0.1, ge=0.0, le=1.0, description="Social care: date of birth kept as month/year or year."
    )
    missing_dob_rate: float = Field(0.02, ge=0.0, le=1.0, description="Date of birth missing.")
    missing_sex_rate: float = Field(0.01, ge=0.0, le=1.0, description="Sex missing.")
    sex_error_rate: float = Field(
        0.0, ge=0.0, le=1.0, description="Sex recorded as the other one (a keying slip)."
    )
    missing_ethnicity_rate: float = Field(
        0.3, ge=0.0, le=1.0, description="Self-defined ethnicity not recorded."
    )
    missing_officer_ethnicity_rate: float = Field(
        0.2, ge=0.0, le=1.0, description="Police: officer-defined IC code not recorded."
    )
    missing_nationality_rate: float = Field(
        0.3, ge=0.0, le=1.0, description="Nationality not recorded."
    )
    missing_address_rate: float = Field(
        0.05, ge=0.0, le=1.0, description="Address and postcode not recorded."
    )
    missing_address_line_rate: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Address line not recorded while the postcode is (1: no address lines).",
    )
    missing_middle_name_rate: float = Field(
        0.3, ge=0.0, le=1.0, description="A true middle name left out of the record."
    )
    alias_rate: float = Field(0.05, ge=0.0, le=1.0, description="Police: an alias recorded.")


class NhsNumberSettings(Settings):
    """NHS numbers: which people have one (from the test range) and which records carry it."""

    people: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Share of true people who have an NHS number. Unset: every person, or "
        "in a generation larger than the test range (909,090 numbers, about 1.38 million "
        "records) a random 909,090 people. A declared share must fit in the range.",
    )
    police: float = Field(
        0.05, ge=0.0, le=1.0, description="Police records that carry the person's NHS number."
    )
    social_care: float = Field(
        0.6, ge=0.0, le=1.0, description="Social care records that carry the NHS number."
    )
    health: float = Field(
        0.95, ge=0.0, le=1.0, description="Health records that carry the NHS number."
    )
    keying_error_rate: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Recorded NHS numbers with two adjacent (unequal) digits swapped.",
    )

    def share(self, agency: str) -> float:
        """The share of ``agency``'s records that carry the NHS number."""
        return {"police": self.police, "social_care": self.social_care, "health": self.health}[
            agency
        ]


class BadRowSettings(Settings):
    """Deliberately bad rows that ingest should quarantine or report (share of data rows)."""

    impossible_date_rate: float = Field(
        0.001, ge=0.0, le=0.1, description="A date that does not exist, such as 31/02."
    )
    unknown_code_rate: float = Field(
        0.001, ge=0.0, le=0.1, description="A code value that no mapping translates."
    )
    future_date_rate: float = Field(
        0.001, ge=0.0, le=0.1, description="A date after the date of the export."
    )
    duplicate_row_rate: float = Field(
        0.001, ge=0.0, le=0.1, description="Exact copies of a row, written next to it."
    )


class SynthSettings(Settings):
    """All settings of the synthetic data generator (neutral; no real-world meaning)."""

    agency_shares: AgencyShares = Field(default_factory=AgencyShares)
    world: WorldSettings = Field(default_factory=WorldSettings)
    people: PeopleSettings = Field(default_factory=PeopleSettings)
    presence: PresenceSettings = Field(default_factory=PresenceSettings)
    journeys: JourneySettings = Field(default_factory=JourneySettings)
    corruption: CorruptionSettings = Field(default_factory=CorruptionSettings)
    nhs_numbers: NhsNumberSettings = Field(default_factory=NhsNumberSettings)
    bad_rows: BadRowSettings = Field(default_factory=BadRowSettings)
    police_encoding: Literal["by_seed", "cp1252", "utf-8-sig"] = Field(
        "by_seed",
        description="Encoding of the police CSV; by_seed: cp1252 for odd seeds, "
        "UTF-8 with a byte-order mark for even seeds.",
    )

    def settings_hash(self) -> str:
        """A stable hash of every setting, for the generation stamp."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]
