"""Each synthetic agency's own labels for gbo's codes (what its mapping file translates back)."""

from __future__ import annotations

from gbo.schema.codes import SDE_16, SDE_18

POLICE_SEX = {"F": "F", "M": "M"}
POLICE_SDE = {code: f"{code} {label.split(' - ')[-1]}" for code, label in SDE_18.items()}
POLICE_IC = {"IC1": "IC1", "IC2": "IC2", "IC3": "IC3", "IC4": "IC4", "IC5": "IC5", "IC6": "IC6"}
POLICE_IC_UNKNOWN = "IC0"
POLICE_ROLES = {
    "SUSPECT": "Suspect",
    "ACCUSED": "Charged/Summonsed",
    "CONVICTED": "Convicted",
    "VICTIM": "Victim",
}
POLICE_COCAD = {
    "FAMILIAL": "Familial",
    "CSE": "Child Sexual Exploitation",
    "INSTITUTIONAL": "Institutional",
    "RITUALISTIC": "Ritualistic",
    "OTHER": "Other",
    "UNKNOWN": "Not Known",
}
POLICE_LOCATIONS = {
    "PRIVATE_DWELLING": "DWELLING",
    "HOTEL": "HOTEL/B&B",
    "VEHICLE": "VEHICLE",
    "TAKEAWAY": "TAKEAWAY/RESTAURANT",
    "NTE_PREMISES": "LICENSED PREMISES",
    "STREET_PARK": "STREET/PARK",
    "CARE_HOME": "CHILDRENS HOME",
    "SCHOOL": "SCHOOL/COLLEGE",
    "ONLINE": "ONLINE",
    "OTHER": "OTHER",
}
POLICE_METHODS = {
    "BOYFRIEND_MODEL": "BOYFRIEND MODEL",
    "ALCOHOL_DRUGS": "ALCOHOL/DRUGS",
    "ONLINE_CONTACT": "ONLINE CONTACT",
    "TRANSPORT": "TRANSPORT",
    "HOTELS": "HOTELS",
    "PEER_RECRUITMENT": "PEER RECRUITMENT",
    "THREATS_VIOLENCE": "THREATS/VIOLENCE",
    "GIFTS_PAYMENT": "GIFTS/PAYMENT",
}
POLICE_INCIDENTS = {
    "MISSING_EPISODE": "Missing Person",
    "POLICE_CONTACT": "Concern for Welfare",
    "CSE_IDENTIFIED": "CSE Identified",
}
POLICE_ASSOCIATIONS = {
    "ASSOCIATE": "KNOWN ASSOCIATE",
    "SHARED_VEHICLE": "VEHICLE",
    "SHARED_ADDRESS": "ADDRESS",
    "PHONE_CONTACT": "PHONE",
    "FAMILY": "FAMILY",
}
POLICE_RECORD_TYPES = {
    "involvement": "Crime Nominal",
    "event": "Incident",
    "association": "Association",
}

# Children's social care: the older 16+1 list, under the labels of its case system.
SOCIAL_CARE_SDE_16 = {
    "W1": "White British",
    "W2": "White Irish",
    "W9": "Any other White background",
    "M1": "White and Black Caribbean",
    "M2": "White and Black African",
    "M3": "White and Asian",
    "M9": "Any other mixed background",
    "A1": "Indian",
    "A2": "Pakistani",
    "A3": "Bangladeshi",
    "A9": "Any other Asian background",
    "B1": "Caribbean",
    "B2": "African",
    "B9": "Any other Black background",
    "O1": "Chinese",
    "O9": "Any other ethnic group",
    "NS": "Information not yet obtained",
}
assert set(SOCIAL_CARE_SDE_16) == set(SDE_16)
# How a social care worker records an 18+1 category on the 16+1 list.
SDE_18_TO_16 = {code: code for code in SDE_16} | {"W3": "W9", "O2": "O9", "A4": "O1"}
SOCIAL_CARE_SEX = {"F": "Female", "M": "Male"}
SOCIAL_CARE_SEX_UNKNOWN = "Not known"
SOCIAL_CARE_CONTACTS = {
    "SOCIAL_CARE_REFERRAL": "Referral",
    "SCHOOL_EXCLUSION": "Education - exclusion notification",
    "STRATEGY_MEETING": "Strategy discussion",
    "CSE_RISK_ASSESSMENT": "CSE risk assessment",
    "CSE_IDENTIFIED": "CSE identified at assessment",
    "SOCIAL_CARE_ASSESSMENT": "Assessment",
    "EDUCATION_CONTACT": "Education - contact",
    "CHARITY_CONTACT": "Voluntary sector - contact",
}
SOCIAL_CARE_REASONS = {
    "CSE": "CSE",
    "CSE_RISK": "Risk of CSE",
    "CSE_CONCERN": "CSE concern",
    "SEXUAL_ABUSE": "Sexual abuse",
    "MISSING": "Missing from home or care",
    "ABUSE_NEGLECT": "Abuse or neglect",
    "DOMESTIC_ABUSE": "Domestic abuse",
    "MENTAL_HEALTH": "Mental health",
    "OTHER": "Other",
}
SOCIAL_CARE_FACTORS = {
    "LOOKED_AFTER": "Looked after",
    "CARE_LEAVER": "Care leaver",
    "MISSING_HISTORY": "Going missing",
    "SEND": "Learning disability",
    "MENTAL_HEALTH": "Mental health",
    "SUBSTANCE_MISUSE": "Drug or alcohol misuse",
    "PRIOR_ABUSE": "Abuse or neglect",
    "DOMESTIC_ABUSE_HOME": "Domestic abuse",
    "SCHOOL_ABSENCE": "Exclusion or absence",
    "KNOWN_TO_YOUTH_JUSTICE": "Youth offending",
}

# Health: NHS-style ethnic category letters (no Gypsy or Arab category: C and S are used).
HEALTH_ETHNICITY = {
    "W1": "A",
    "W2": "B",
    "W3": "C",
    "W9": "C",
    "M1": "D",
    "M2": "E",
    "M3": "F",
    "M9": "G",
    "A1": "H",
    "A2": "J",
    "A3": "K",
    "A9": "L",
    "B1": "M",
    "B2": "N",
    "B9": "P",
    "A4": "R",
    "O2": "S",
    "O9": "S",
    "NS": "Z",
}
HEALTH_ETHNICITY_TO_SDE = {
    "A": "W1", "B": "W2", "C": "W9", "D": "M1", "E": "M2", "F": "M3", "G": "M9", "H": "A1",
    "J": "A2", "K": "A3", "L": "A9", "M": "B1", "N": "B2", "P": "B9", "R": "A4", "S": "O9",
    "Z": "NS",
}  # fmt: skip
HEALTH_SEX = {"M": "1", "F": "2"}
HEALTH_SEX_UNKNOWN = "9"
HEALTH_SERVICES = {"AE_ATTENDANCE": "ED", "SEXUAL_HEALTH_VISIT": "GUM", "GP_CONTACT": "GP"}


def invert(labels: dict[str, str]) -> dict[str, str | None]:
    """Agency label -> gbo code (the first code of a label shared by several)."""
    inverted: dict[str, str | None] = {}
    for code, label in labels.items():
        inverted.setdefault(label, code)
    return inverted
