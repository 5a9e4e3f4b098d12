"""Categories of the profile tables, built from the code lists in :mod:`gbo.schema.codes`."""

from __future__ import annotations

from gbo.profile.tabulate import Categories
from gbo.schema import codes

NOT_STATED = "Not stated"
UNKNOWN_IC = "Unknown (IC9)"
UK = "United Kingdom"
OTHER_COUNTRY = "Other country"
YES = "Yes"
NO = "No"

SEX = Categories(dict(codes.SEX))


def _ons_group_of(sde: str) -> str:
    return codes.ONS_GROUPS[codes.ONS_19[codes.SDE_TO_ONS[sde]][1]]


def ons5() -> Categories:
    """Self-defined 18+1 codes into the five ONS 2021 groups, with 'Not stated'."""
    labels: dict[str, str] = {}
    for group_code, group_label in codes.ONS_GROUPS.items():
        for sde, ons in codes.SDE_TO_ONS.items():
            if codes.ONS_19[ons][1] == group_code:
                labels[sde] = group_label
    labels["NS"] = NOT_STATED
    return Categories(labels, unknown=frozenset({NOT_STATED}))


def ons19() -> Categories:
    """Self-defined 18+1 codes into the 19 ONS 2021 categories (Roma always empty)."""
    labels: dict[str, str] = {}
    for ons, (label, _) in codes.ONS_19.items():
        sdes = [sde for sde, target in codes.SDE_TO_ONS.items() if target == ons]
        for sde in sdes or [f"ons:{ons}"]:
            labels[sde] = label
    labels["NS"] = NOT_STATED
    return Categories(labels, unknown=frozenset({NOT_STATED}))


def officer() -> Categories:
    """Officer-defined IC codes; the forces' 'unknown' codes (IC9, IC0, IC7) shown together."""
    labels = {code: label for code, label in codes.IC_CODES.items() if code != "IC9"}
    for unknown in ("IC9", "IC0", "IC7"):
        labels[unknown] = UNKNOWN_IC
    return Categories(labels, unknown=frozenset({UNKNOWN_IC}))


NATIONALITY = Categories({UK: UK, OTHER_COUNTRY: OTHER_COUNTRY})
YES_NO = Categories({YES: YES, NO: NO})

COCAD = Categories(dict(codes.COCAD), unknown=frozenset({codes.COCAD["UNKNOWN"]}))
OFFENCE_GROUPS = Categories(dict(codes.HO_OFFENCE_GROUPS))
OFFENCE_CODES = Categories({code: f"{code} {label}" for code, label in codes.HO_OFFENCES.items()})
LOCATIONS = Categories(dict(codes.LOCATION_TYPES))
METHODS = Categories(dict(codes.METHODS))
POLICE_FORCES = Categories(dict(codes.POLICE_FORCES), dynamic=True)
LOCAL_AUTHORITIES = Categories(dict(codes.LOCAL_AUTHORITIES), dynamic=True)
OUTCOME_GROUPS = Categories(
    {
        code: codes.OUTCOME_GROUPS[group]
        for group in codes.OUTCOME_GROUPS
        for code, (_, g) in codes.OUTCOMES.items()
        if g == group
    }
)
MARKERS = Categories(dict(codes.VULNERABILITY_MARKERS))
YEARS = Categories({}, dynamic=True)
AGENCIES = Categories({}, dynamic=True)

HOMOGENEOUS = "Homogeneous"
MIXED = "Mixed"
ONE_AMONG_RECORDED = "One group among those recorded (some not recorded)"
COMPOSITION = Categories(
    {HOMOGENEOUS: HOMOGENEOUS, MIXED: MIXED, ONE_AMONG_RECORDED: ONE_AMONG_RECORDED}
)

MISSING_EPISODE = "Missing episode"
HEALTH_CONTACT = "Health contact"
SOCIAL_CARE_REFERRAL = "Social care referral"
VICTIM_RECORD = "Recorded as the victim of an offence"
MISSING_MARKER = "History of going missing recorded (marker)"
SIGNALS = Categories(
    {
        MISSING_EPISODE: MISSING_EPISODE,
        MISSING_MARKER: MISSING_MARKER,
        HEALTH_CONTACT: HEALTH_CONTACT,
        SOCIAL_CARE_REFERRAL: SOCIAL_CARE_REFERRAL,
        VICTIM_RECORD: VICTIM_RECORD,
    }
)
