"""Code lists, each with its source.

Every list maps a code to its label. Agencies' own values are translated to these codes by
their mapping files; a value that is not translated and is not itself a code here is
reported as unmapped. ``None`` in a table always means "not recorded".

Sources (checked against the primary text where marked):
* Police self-defined ethnicity, 18+1 (from the 2001 Census classification, with W3 and O2
  added) and the older 16+1 list (no W3 or O2; Chinese coded O1).
* Officer-defined ethnicity, the IC "6+1" codes (ACPO self-defined ethnicity guide, 2002).
* ONS Census 2021 ethnic group, 19 categories in 5 groups (ONS TS021; GSS harmonised
  standard for ethnicity).
* Home Office Counting Rules for recorded crime, sexual offences: a documented subset of the
  classifications that apply to offences against children (check the current HOCR before
  publishing; codes are reassigned from time to time).
* Home Office crime outcome framework, outcome types 1-22 (grouped for publication).
* NPCC Hydrant COCAD categories for group-based child sexual abuse and exploitation.
* ISO 3166-1 alpha-3 country codes, from the ``pycountry`` package.
"""

from __future__ import annotations

from functools import lru_cache

NOT_RECORDED = "Not recorded"
CODE_LIST_VERSION = "2026.1"

SEX: dict[str, str] = {"F": "Female", "M": "Male", "O": "Other"}

# Police self-defined ethnicity, 18+1. NS = not stated (the "+1").
SDE_18: dict[str, str] = {
    "W1": "White - British",
    "W2": "White - Irish",
    "W3": "White - Gypsy or Irish Traveller",
    "W9": "White - Any other White background",
    "M1": "Mixed - White and Black Caribbean",
    "M2": "Mixed - White and Black African",
    "M3": "Mixed - White and Asian",
    "M9": "Mixed - Any other Mixed background",
    "A1": "Asian - Indian",
    "A2": "Asian - Pakistani",
    "A3": "Asian - Bangladeshi",
    "A4": "Asian - Chinese",
    "A9": "Asian - Any other Asian background",
    "B1": "Black - Caribbean",
    "B2": "Black - African",
    "B9": "Black - Any other Black background",
    "O2": "Other - Arab",
    "O9": "Other - Any other ethnic group",
    "NS": "Not stated",
}

# The older 16+1 list: no W3 or O2, Chinese coded O1 (listed under Other).
SDE_16: dict[str, str] = {
    **{k: v for k, v in SDE_18.items() if k not in {"W3", "O2", "A4"}},
    "O1": "Chinese",
}

# 16+1 to 18+1: every code but O1 keeps its meaning; O1 (Chinese) becomes A4.
SDE_16_TO_18: dict[str, str] = {k: ("A4" if k == "O1" else k) for k in SDE_16}

# Officer-defined ethnicity (appearance, not self-defined; never merged with SDE).
IC_CODES: dict[str, str] = {
    "IC1": "White - North European",
    "IC2": "White - South European",
    "IC3": "Black",
    "IC4": "Asian",
    "IC5": "Chinese, Japanese or other South East Asian",
    "IC6": "Arab or North African",
    "IC9": "Unknown",
}

# ONS Census 2021: 19 categories, each in one of 5 high-level groups.
ONS_GROUPS: dict[str, str] = {
    "WHITE": "White",
    "MIXED": "Mixed or Multiple ethnic groups",
    "ASIAN": "Asian, Asian British or Asian Welsh",
    "BLACK": "Black, Black British, Black Welsh, Caribbean or African",
    "OTHER": "Other ethnic group",
}
ONS_19: dict[str, tuple[str, str]] = {
    "W_BRIT": ("English, Welsh, Scottish, Northern Irish or British", "WHITE"),
    "W_IRISH": ("Irish", "WHITE"),
    "W_GYPSY": ("Gypsy or Irish Traveller", "WHITE"),
    "W_ROMA": ("Roma", "WHITE"),
    "W_OTHER": ("Any other White background", "WHITE"),
    "M_WBC": ("White and Black Caribbean", "MIXED"),
    "M_WBA": ("White and Black African", "MIXED"),
    "M_WA": ("White and Asian", "MIXED"),
    "M_OTHER": ("Any other Mixed or Multiple background", "MIXED"),
    "A_IND": ("Indian", "ASIAN"),
    "A_PAK": ("Pakistani", "ASIAN"),
    "A_BAN": ("Bangladeshi", "ASIAN"),
    "A_CHI": ("Chinese", "ASIAN"),
    "A_OTHER": ("Any other Asian background", "ASIAN"),
    "B_AFR": ("African", "BLACK"),
    "B_CAR": ("Caribbean", "BLACK"),
    "B_OTHER": ("Any other Black, Black British or Caribbean background", "BLACK"),
    "O_ARAB": ("Arab", "OTHER"),
    "O_OTHER": ("Any other ethnic group", "OTHER"),
}

# Versioned crosswalk from self-defined 18+1 to ONS 2021. Officer-defined IC codes are not
# crosswalked to ONS categories: they are a different variable and reported separately.
SDE_TO_ONS_VERSION = "sde18-ons2021-v1"
SDE_TO_ONS: dict[str, str] = {
    "W1": "W_BRIT",
    "W2": "W_IRISH",
    "W3": "W_GYPSY",
    "W9": "W_OTHER",
    "M1": "M_WBC",
    "M2": "M_WBA",
    "M3": "M_WA",
    "M9": "M_OTHER",
    "A1": "A_IND",
    "A2": "A_PAK",
    "A3": "A_BAN",
    "A4": "A_CHI",
    "A9": "A_OTHER",
    "B1": "B_CAR",
    "B2": "B_AFR",
    "B9": "B_OTHER",
    "O2": "O_ARAB",
    "O9": "O_OTHER",
}
# Roma has no police SDE code: police records of Roma people are coded W9.

# Home Office offence codes (HOCR), a documented subset: sexual offences against children.
HO_OFFENCES: dict[str, str] = {
    "19C": "Rape of a female child under 16",
    "19D": "Rape of a female child under 13",
    "19E": "Rape of a male child under 16",
    "19F": "Rape of a male child under 13",
    "17B": "Sexual assault on a male child under 13",
    "20B": "Sexual assault on a female child under 13",
    "21": "Sexual activity involving a child under 13",
    "22B": "Sexual activity involving a child under 16",
    "71": "Abuse of children through sexual exploitation",
    "73": "Abuse of position of trust of a sexual nature",
    "74": "Gross indecency with a child",
    "86": "Obscene publications etc and protected sexual material (indecent images of children)",
    "88A": "Sexual grooming",
    "23": "Incest or familial sexual offences",
}
# Publication groups of the offence codes.
HO_OFFENCE_GROUPS: dict[str, str] = {
    "19C": "Rape",
    "19D": "Rape",
    "19E": "Rape",
    "19F": "Rape",
    "17B": "Sexual assault",
    "20B": "Sexual assault",
    "21": "Sexual activity with a child",
    "22B": "Sexual activity with a child",
    "74": "Sexual activity with a child",
    "73": "Sexual activity with a child",
    "23": "Familial sexual offences",
    "71": "Sexual exploitation offences",
    "88A": "Grooming",
    "86": "Indecent images",
}

# Home Office outcome types, grouped as publications group them.
OUTCOMES: dict[str, tuple[str, str]] = {
    "1": ("Charged or summonsed", "CHARGE"),
    "1A": ("Alternative offence charged", "CHARGE"),
    "2": ("Youth caution", "OUT_OF_COURT"),
    "3": ("Adult caution", "OUT_OF_COURT"),
    "4": ("Taken into consideration", "OTHER"),
    "5": ("Offender died", "OTHER"),
    "6": ("Penalty notice for disorder", "OUT_OF_COURT"),
    "7": ("Cannabis warning", "OUT_OF_COURT"),
    "8": ("Community resolution", "OUT_OF_COURT"),
    "9": ("Prosecution not in the public interest (CPS)", "NFA_PUBLIC_INTEREST"),
    "10": ("Not in the public interest (police)", "NFA_PUBLIC_INTEREST"),
    "11": ("Suspect below age of criminal responsibility", "NFA_OTHER"),
    "12": ("Suspect too ill to prosecute", "NFA_OTHER"),
    "13": ("Victim or key witness dead or too ill", "NFA_OTHER"),
    "14": ("Victim declines or unable to support action to identify suspect", "NFA_VICTIM"),
    "15": ("Evidential difficulties: suspect identified, victim supports action", "NFA_EVIDENTIAL"),
    "16": ("Evidential difficulties: victim does not support action", "NFA_VICTIM"),
    "17": ("Prosecution time limit expired", "NFA_OTHER"),
    "18": ("Investigation complete: no suspect identified", "NFA_NO_SUSPECT"),
    "20": ("Other body or agency has investigation primacy", "NFA_OTHER"),
    "21": ("Further investigation not in the public interest", "NFA_PUBLIC_INTEREST"),
    "22": ("Diversionary, educational or intervention activity", "OUT_OF_COURT"),
    "UI": ("Under investigation (no outcome yet)", "UNDER_INVESTIGATION"),
}
OUTCOME_GROUPS: dict[str, str] = {
    "CHARGE": "Charge or summons",
    "OUT_OF_COURT": "Out-of-court disposal",
    "NFA_EVIDENTIAL": "No further action: evidential difficulties",
    "NFA_VICTIM": "No further action: victim does not support action",
    "NFA_PUBLIC_INTEREST": "No further action: public interest",
    "NFA_NO_SUSPECT": "No further action: no suspect identified",
    "NFA_OTHER": "No further action: other reason",
    "UNDER_INVESTIGATION": "Under investigation",
    "OTHER": "Other outcome",
}

COCAD: dict[str, str] = {
    "FAMILIAL": "Familial",
    "CSE": "Child sexual exploitation",
    "INSTITUTIONAL": "Institutional",
    "RITUALISTIC": "Ritualistic",
    "OTHER": "Other",
    "UNKNOWN": "Unknown",
}

LOCATION_TYPES: dict[str, str] = {
    "PRIVATE_DWELLING": "Private dwelling",
    "HOTEL": "Hotel or short-let accommodation",
    "VEHICLE": "Vehicle (including taxis)",
    "TAKEAWAY": "Takeaway or restaurant",
    "NTE_PREMISES": "Night-time economy premises",
    "STREET_PARK": "Street, park or open space",
    "CARE_HOME": "Children's home or care setting",
    "SCHOOL": "School or college",
    "ONLINE": "Online",
    "OTHER": "Other location",
}

METHODS: dict[str, str] = {
    "BOYFRIEND_MODEL": "Boyfriend or party model",
    "ALCOHOL_DRUGS": "Alcohol or drugs",
    "ONLINE_CONTACT": "Online contact",
    "TRANSPORT": "Car or taxi transport",
    "HOTELS": "Use of hotels",
    "PEER_RECRUITMENT": "Peer recruitment",
    "THREATS_VIOLENCE": "Threats or violence",
    "GIFTS_PAYMENT": "Gifts or payment",
}

ROLES: dict[str, str] = {
    "SUSPECT": "Suspect",
    "ACCUSED": "Accused",
    "CONVICTED": "Convicted offender",
    "VICTIM": "Victim",
}
OFFENDER_ROLES = frozenset({"SUSPECT", "ACCUSED", "CONVICTED"})

EVENT_TYPES: dict[str, str] = {
    "MISSING_EPISODE": "Missing episode",
    "SOCIAL_CARE_REFERRAL": "Social care referral",
    "AE_ATTENDANCE": "A&E attendance",
    "SEXUAL_HEALTH_VISIT": "Sexual health clinic visit",
    "GP_CONTACT": "GP contact",
    "SCHOOL_EXCLUSION": "School exclusion",
    "STRATEGY_MEETING": "Strategy meeting",
    "CSE_RISK_ASSESSMENT": "CSE risk assessment",
    "POLICE_CONTACT": "Police contact",
    "CSE_IDENTIFIED": "Child sexual exploitation identified",
    "SOCIAL_CARE_ASSESSMENT": "Social care assessment",
    "EDUCATION_CONTACT": "Education contact",
    "CHARITY_CONTACT": "Voluntary sector contact",
}
# The event that marks the first identification of exploitation, by default. Which event
# types and reasons count is declared in the run configuration (profile.identification).
IDENTIFICATION_EVENTS = frozenset({"CSE_IDENTIFIED"})

# Why a contact was made (a referral's or an assessment's recorded reason), when recorded.
# Whether a reason counts as identification is a run setting, not a property of the code.
EVENT_REASONS: dict[str, str] = {
    "CSE": "Child sexual exploitation",
    "CSE_RISK": "Risk of child sexual exploitation",
    "CSE_CONCERN": "Concern about child sexual exploitation",
    "SEXUAL_ABUSE": "Child sexual abuse (not exploitation)",
    "MISSING": "Going missing",
    "ABUSE_NEGLECT": "Other abuse or neglect",
    "DOMESTIC_ABUSE": "Domestic abuse",
    "MENTAL_HEALTH": "Mental health",
    "OTHER": "Other reason",
}

VULNERABILITY_MARKERS: dict[str, str] = {
    "LOOKED_AFTER": "Looked-after child",
    "CARE_LEAVER": "Care leaver",
    "MISSING_HISTORY": "History of going missing",
    "SEND": "Special educational needs or disability",
    "MENTAL_HEALTH": "Mental ill-health or self-harm",
    "SUBSTANCE_MISUSE": "Substance misuse",
    "PRIOR_ABUSE": "Prior abuse",
    "DOMESTIC_ABUSE_HOME": "Domestic abuse in the home",
    "SCHOOL_ABSENCE": "School exclusion or persistent absence",
    "KNOWN_TO_YOUTH_JUSTICE": "Known to police or youth justice",
}

ASSOCIATION_TYPES: dict[str, str] = {
    "ASSOCIATE": "Known associate",
    "SHARED_VEHICLE": "Shared vehicle",
    "SHARED_ADDRESS": "Shared address",
    "PHONE_CONTACT": "Phone contact",
    "FAMILY": "Family member",
}

POLICE_FORCES: dict[str, str] = {f"PFA{i:02d}": f"Police force area {i}" for i in range(1, 11)}
LOCAL_AUTHORITIES: dict[str, str] = {f"LA{i:03d}": f"Local authority {i}" for i in range(1, 31)}
# Synthetic geography: the generator uses neutral area codes, never real places.
# Local authority -> police force area. Source: gbo's synthetic geography (three authorities
# to a force, gbo.synth.geography.police_force_of). A release on real data must use the ONS
# "Local Authority District to Community Safety Partnership to Police Force Area" lookup for
# its year: publishing both levels lets a reader subtract one from the other.
LOCAL_AUTHORITY_FORCE: dict[str, str] = {
    f"LA{i:03d}": f"PFA{min((i - 1) // 3, len(POLICE_FORCES) - 1) + 1:02d}" for i in range(1, 31)
}

AGE_BANDS_CHILD_AND_ADULT: tuple[tuple[str, int, int], ...] = (
    ("Under 10", 0, 9),
    ("10 to 12", 10, 12),
    ("13 to 15", 13, 15),
    ("16 to 17", 16, 17),
    ("18 to 24", 18, 24),
    ("25 to 29", 25, 29),
    ("30 to 39", 30, 39),
    ("40 to 49", 40, 49),
    ("50 and over", 50, 200),
)


@lru_cache(maxsize=1)
def nationalities() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code to country name, from pycountry."""
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.countries}


def age_band(age: int | None) -> str:
    """The age band of an age in whole years; ``Not recorded`` for ``None``."""
    if age is None:
        return NOT_RECORDED
    for label, low, high in AGE_BANDS_CHILD_AND_ADULT:
        if low <= age <= high:
            return label
    return NOT_RECORDED


CODE_LISTS: dict[str, dict[str, str]] = {
    "sex": SEX,
    "ethnicity_self": SDE_18,
    "ethnicity_officer": IC_CODES,
    "ho_offence_code": HO_OFFENCES,
    "cocad_category": COCAD,
    "location_type": LOCATION_TYPES,
    "methods": METHODS,
    "role": ROLES,
    "event_type": EVENT_TYPES,
    "event_reason": EVENT_REASONS,
    "marker": VULNERABILITY_MARKERS,
    "association_type": ASSOCIATION_TYPES,
    "police_force_area": POLICE_FORCES,
    "local_authority": LOCAL_AUTHORITIES,
    "outcome_code": {k: v[0] for k, v in OUTCOMES.items()},
}
"""Canonical column name -> its code list (nationality uses :func:`nationalities`)."""
