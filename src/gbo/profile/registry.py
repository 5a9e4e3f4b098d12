"""The table registry: the one place where every profile table is defined.

Each entry gives a table's id, title, definition, population, unit, labels, whether its
categories add up, which tables share its total (``margin_key``) and the fields whose
completeness its notes quote. The section modules count; the wording lives here and is
quoted into ``tables.json`` and the methodology page.
"""

from __future__ import annotations

from dataclasses import dataclass

from gbo.schema.sections import REPORT_SECTIONS

OFFENDERS = (
    "Offenders: linked people recorded as suspect, accused or convicted offender on at least "
    "one offence in the period."
)
VICTIMS = "Victims: linked people recorded as the victim of at least one offence in the period."
OFFENCES = "Offences: recorded sexual offences against children whose first date is in the period."
GROUPS = "Groups: offending groups (two or more linked offenders) with an offence in the period."
IDENTIFIED = (
    "Identified victims: victims with at least one dated record that exploitation was identified."
)

KNOWN = (
    "Victims known to agencies: victims with at least one dated agency contact, identified "
    "or never identified."
)

OFFENCE_BREAKDOWN = "Offending: group-based, lone offending, no offender recorded"
OFFENDER_BREAKDOWN = "Offender: in a group or alone"
VICTIM_BREAKDOWN = "Victim: group-based or not"
KNOWN_BREAKDOWN = "Identified or never identified"

# (source table, field) pairs for completeness notes
Field = tuple[str, str]


@dataclass(frozen=True)
class TableDef:
    table_id: str
    section: str
    title: str
    definition: str
    population: str
    unit: str
    category_label: str
    breakdown_label: str | None
    is_additive: bool
    margin_key: str
    fields: tuple[Field, ...] = ()
    notes: tuple[str, ...] = ()
    kind: str = "counts"  # counts (tables.parquet) or statistics (statistics.parquet only)
    # the (source table, field) pairs its breakdowns classify (the other margin)
    breakdown_fields: tuple[Field, ...] = ()


_SDE_NOTE = (
    "Self-defined ethnicity (the police 18+1 list) is mapped to the ONS Census 2021 "
    "categories; 16+1 Chinese (O1) is read as A4. 'Not stated' means the person was asked "
    "and did not say; it is shown but left out of the percentage of recorded values."
)
_IC_NOTE = (
    "Officer-defined ethnicity is the officer's view of appearance (IC codes). It is a "
    "different variable from self-defined ethnicity and is never merged with it."
)
_AGE_NOTE = (
    "Age is the year of the first offence minus the year of birth, so it can be one year "
    "too high; birth years estimated from a recorded age are used as they are."
)
_CONTACT_NOTE = (
    "Contacts and identification follow the run's declared rules (profile.contacts and "
    "profile.identification); the notes of this section state them."
)
_AGE_AT_NOTE = (
    "Age is the year of the contact or identification minus the year of birth, so it can be "
    "one year too high."
)
_LINKAGE_NOTE = (
    "Linkage: pairs awaiting clerical review are not linked in the other tables. Accepting "
    "them all joins some victims' records; the range rows show how far each figure moves."
)
_MULTI_NOTE = (
    "Not additive: a unit can be counted in several categories. 'Not recorded' counts "
    "units with none of them."
)

# fmt: off
TABLES: tuple[TableDef, ...] = (
    # ----- scale and trend -----------------------------------------------------------------
    TableDef("scale_offences_by_year", "scale", "Offences by year",
       "Offences by the calendar year of their first date.", OFFENCES, "offences", "Year",
       OFFENCE_BREAKDOWN, True, "offences", (("offence", "first_date"),)),
    TableDef("scale_victims_by_year", "scale", "Victims by year of first offence",
       "Victims by the year of the first offence against them in the period.", VICTIMS,
       "people", "Year", VICTIM_BREAKDOWN, True, "victims", (("offence", "first_date"),)),
    TableDef("scale_offenders_by_year", "scale", "Offenders by year of first offence",
       "Offenders by the year of the first offence they are recorded on in the period.",
       OFFENDERS, "people", "Year", OFFENDER_BREAKDOWN, True, "offenders",
       (("offence", "first_date"),)),
    TableDef("scale_groups_by_year", "scale", "Groups by year of first offence",
       "Groups by the year of their first recorded offence.", GROUPS, "groups", "Year", None,
       True, "groups"),
    TableDef("scale_group_share", "scale", "Group-based offences as a share of all offences",
       "Offences by whether they are group-based, by year of first date; the share is of all "
       "recorded child sexual abuse offences in the data, not of all that happened.",
       OFFENCES, "offences", "Offending", "Year of first date", True, "offences",
       breakdown_fields=(("offence", "first_date"),)),
    TableDef("scale_cocad", "scale", "Offences by COCAD category",
       "Offences by the category of complex or organised child abuse recorded (Familial, "
       "Child sexual exploitation, Institutional, Ritualistic, Other, Unknown).", OFFENCES,
       "offences", "COCAD category", OFFENCE_BREAKDOWN, True, "offences",
       (("offence", "cocad_category"),)),
    TableDef("scale_offence_type", "scale", "Offences by offence group",
       "Offences by the Home Office offence group of their offence code.", OFFENCES,
       "offences", "Offence group", OFFENCE_BREAKDOWN, True, "offences",
       (("offence", "ho_offence_code"),)),
    TableDef("scale_offence_code", "scale", "Offences by Home Office offence code",
       "Offences by their Home Office offence code (the detail behind the offence groups).",
       OFFENCES, "offences", "Offence code", OFFENCE_BREAKDOWN, True, "offences",
       (("offence", "ho_offence_code"),),
       ("Codes follow the Home Office Counting Rules, which reassign codes from time to "
        "time; check the current rules before comparing years.",)),
    TableDef("scale_cse_flag", "scale", "Offences by child sexual exploitation flag",
       "Offences by whether the recording agency applied a child sexual exploitation flag.",
       OFFENCES, "offences", "Flag", OFFENCE_BREAKDOWN, True, "offences",
       (("offence", "is_cse_flagged"),),
       ("The flag is applied by hand and inconsistently between agencies and over time.",)),
    # ----- offenders --------------------------------------------------------------------------
    TableDef("offenders_group_status", "offenders", "Offenders in groups and alone",
       "Offenders by whether the groups stage placed them in an offending group.", OFFENDERS,
       "people", "Offending", None, True, "offenders", (),
       ("'Not recorded' counts offenders the groups stage did not report on.",)),
    TableDef("offenders_sex", "offenders", "Offenders by sex",
       "Offenders by the sex on their linked records.", OFFENDERS, "people", "Sex",
       OFFENDER_BREAKDOWN, True, "offenders", (("person_record", "sex"),)),
    TableDef("offenders_age_band", "offenders", "Offenders by age at first offence",
       "Offenders by age band at the date of their first offence in the period.", OFFENDERS,
       "people", "Age band", OFFENDER_BREAKDOWN, True, "offenders",
       (("person_record", "birth_year"), ("offence", "first_date")), (_AGE_NOTE,)),
    TableDef("offenders_ethnicity_5", "offenders", "Offenders by self-defined ethnicity (5 groups)",
       "Offenders by self-defined ethnic group, in the five ONS Census 2021 groups.",
       OFFENDERS, "people", "Ethnic group", OFFENDER_BREAKDOWN, True, "offenders",
       (("person_record", "ethnicity_self"),), (_SDE_NOTE,)),
    TableDef("offenders_ethnicity_19", "offenders",
       "Offenders by self-defined ethnicity (19 categories)",
       "Offenders by self-defined ethnicity in the 19 ONS Census 2021 categories; published "
       "only when enough offenders have a recorded ethnicity.", OFFENDERS, "people",
       "Ethnicity", OFFENDER_BREAKDOWN, True, "offenders",
       (("person_record", "ethnicity_self"),),
       (_SDE_NOTE, "Police records have no Roma code, so Roma is always zero here.")),
    TableDef("offenders_ethnicity_officer", "offenders", "Offenders by officer-defined ethnicity",
       "Offenders by the officer-defined ethnicity code (IC code).", OFFENDERS, "people",
       "Officer-defined ethnicity", OFFENDER_BREAKDOWN, True, "offenders",
       (("person_record", "ethnicity_officer"),), (_IC_NOTE,)),
    TableDef("offenders_nationality", "offenders", "Offenders by nationality",
       "Offenders by nationality: United Kingdom (GBR) or another country.", OFFENDERS,
       "people", "Nationality", OFFENDER_BREAKDOWN, True, "offenders",
       (("person_record", "nationality"),),
       ("Nationality is not ethnicity; the two are recorded and reported separately.",)),
    # ----- groups -------------------------------------------------------------------------------
    TableDef("groups_size", "groups", "Groups by number of offenders",
       "Groups by the number of linked offenders in them.", GROUPS, "groups", "Offenders",
       None, True, "groups"),
    TableDef("groups_duration", "groups", "Groups by how long they were active",
       "Groups by the days from their first to their last recorded offence.", GROUPS,
       "groups", "Active period", None, True, "groups", (("offence", "first_date"),)),
    TableDef("groups_victims", "groups", "Groups by number of victims",
       "Groups by the number of linked victims of their offences.", GROUPS, "groups",
       "Victims", None, True, "groups"),
    TableDef("groups_offence_mix", "groups", "Groups by the offence groups in their offending",
       "Groups with at least one offence in each Home Office offence group.", GROUPS,
       "groups", "Offence group", None, False, "groups", (("offence", "ho_offence_code"),),
       (_MULTI_NOTE,)),
    TableDef("groups_online", "groups", "Groups with an online element",
       "Groups by whether any of their offences had an online element recorded.", GROUPS,
       "groups", "Online element", None, True, "groups", (("offence", "is_online"),)),
    TableDef("groups_ethnic_composition", "groups", "Ethnic composition of groups (self-defined)",
       "Groups by whether their offenders share one self-defined ethnic group (5 ONS groups): "
       "homogeneous (all recorded, one group), mixed (two or more groups among those "
       "recorded), one group among those recorded (some not recorded), or not recorded (none "
       "recorded).", GROUPS, "groups", "Composition", None, True, "groups",
       (("person_record", "ethnicity_self"),), (_SDE_NOTE,)),
    TableDef("groups_ethnic_composition_officer", "groups",
       "Ethnic composition of groups (officer-defined)",
       "As the self-defined table, using officer-defined IC codes (IC9 unknown counts as not "
       "recorded).", GROUPS, "groups", "Composition", None, True, "groups",
       (("person_record", "ethnicity_officer"),), (_IC_NOTE,)),
    # ----- victims ------------------------------------------------------------------------------
    TableDef("victims_sex", "victims", "Victims by sex",
       "Victims by the sex on their linked records.", VICTIMS, "people", "Sex",
       VICTIM_BREAKDOWN, True, "victims", (("person_record", "sex"),)),
    TableDef("victims_age_band", "victims", "Victims by age at first offence",
       "Victims by age band at the date of the first offence against them in the period.",
       VICTIMS, "people", "Age band", VICTIM_BREAKDOWN, True, "victims",
       (("person_record", "birth_year"), ("offence", "first_date")), (_AGE_NOTE,)),
    TableDef("victims_ethnicity_5", "victims", "Victims by self-defined ethnicity (5 groups)",
       "Victims by self-defined ethnic group, in the five ONS Census 2021 groups.", VICTIMS,
       "people", "Ethnic group", VICTIM_BREAKDOWN, True, "victims",
       (("person_record", "ethnicity_self"),), (_SDE_NOTE,)),
    TableDef("victims_ethnicity_19", "victims", "Victims by self-defined ethnicity (19 categories)",
       "Victims by self-defined ethnicity in the 19 ONS Census 2021 categories; published "
       "only when enough victims have a recorded ethnicity.", VICTIMS, "people", "Ethnicity",
       VICTIM_BREAKDOWN, True, "victims", (("person_record", "ethnicity_self"),), (_SDE_NOTE,)),
    TableDef("victims_ethnicity_officer", "victims", "Victims by officer-defined ethnicity",
       "Victims by the officer-defined ethnicity code (IC code).", VICTIMS, "people",
       "Officer-defined ethnicity", VICTIM_BREAKDOWN, True, "victims",
       (("person_record", "ethnicity_officer"),), (_IC_NOTE,)),
    TableDef("victims_nationality", "victims", "Victims by nationality",
       "Victims by nationality: United Kingdom (GBR) or another country.", VICTIMS, "people",
       "Nationality", VICTIM_BREAKDOWN, True, "victims", (("person_record", "nationality"),)),
    TableDef("victims_vulnerability", "victims", "Victims with each vulnerability marker",
       "Victims with each vulnerability marker recorded by any agency at any time.", VICTIMS,
       "people", "Vulnerability marker", VICTIM_BREAKDOWN, False, "victims",
       (("vulnerability", "marker"),),
       (_MULTI_NOTE, "A marker that is not recorded may still apply: absence is not evidence "
        "that a child had no vulnerability.")),
    TableDef("victims_vulnerability_count", "victims", "Victims by number of vulnerability markers",
       "Victims by how many different vulnerability markers are recorded for them.", VICTIMS,
       "people", "Markers", VICTIM_BREAKDOWN, True, "victims", (("vulnerability", "marker"),),
       ("'Not recorded' counts victims with no marker recorded.",)),
    TableDef("victims_vulnerability_pairs", "victims", "Co-occurrence of vulnerability markers",
       "For victims with the marker in the column (breakdown), the number who also have the "
       "marker in the row.", VICTIMS, "people", "Also recorded", "Vulnerability marker", False,
       "victims_with_marker", (("vulnerability", "marker"),), (_MULTI_NOTE,)),
    TableDef("victims_looked_after", "victims", "Victims by looked-after status",
       "Victims recorded as looked after (on any record, or by a looked-after marker), and "
       "victims recorded as not looked after.", VICTIMS, "people", "Looked-after status",
       VICTIM_BREAKDOWN, True, "victims", (("person_record", "is_looked_after"),)),
    # ----- context -----------------------------------------------------------------------------
    TableDef("context_location", "context", "Offences by location type",
       "Offences by the type of location recorded, including online, vehicles, hotels, "
       "takeaways and night-time economy premises.", OFFENCES, "offences", "Location type",
       OFFENCE_BREAKDOWN, True, "offences", (("offence", "location_type"),)),
    TableDef("context_online", "context", "Offences with an online element",
       "Offences by whether an online element was recorded.", OFFENCES, "offences",
       "Online element", OFFENCE_BREAKDOWN, True, "offences", (("offence", "is_online"),)),
    TableDef("context_methods", "context", "Offences by method recorded",
       "Offences with each method recorded.", OFFENCES, "offences", "Method",
       OFFENCE_BREAKDOWN, False, "offences", (("offence", "methods"),), (_MULTI_NOTE,)),
    TableDef("context_police_force", "context", "Offences by police force area",
       "Offences by the police force area recorded (coarse geography only).", OFFENCES,
       "offences", "Police force area", OFFENCE_BREAKDOWN, True, "offences",
       (("offence", "police_force_area"),)),
    TableDef("context_local_authority", "context", "Offences by local authority",
       "Offences by the local authority recorded (coarse geography only).", OFFENCES,
       "offences", "Local authority", OFFENCE_BREAKDOWN, True, "offences",
       (("offence", "local_authority"),)),
    # ----- outcomes ----------------------------------------------------------------------------
    TableDef("outcomes_group", "outcomes", "Offences by outcome",
       "Offences by the group of their Home Office outcome code (charge or summons, "
       "out-of-court disposal, no further action by reason, under investigation, other), "
       "for group-based and lone offending.", OFFENCES, "offences", "Outcome",
       OFFENCE_BREAKDOWN, True, "offences", (("offence", "outcome_code"),),
       ("Outcomes are as recorded on the extract date; recent offences may still be "
        "under investigation.",)),
    # ----- baseline -----------------------------------------------------------------------------
    TableDef("baseline_offenders_ethnicity", "baseline",
       "Offenders in groups by self-defined ethnic group, against the population",
       "Rate ratio: the share of offenders in groups (with a recorded ethnicity) in each ONS "
       "ethnic group divided by that group's share of the baseline population.", OFFENDERS,
       "ratio", "Ethnic group", "Ethnic group", False, "offenders",
       (("person_record", "ethnicity_self"),), kind="statistics"),
    TableDef("baseline_victims_ethnicity", "baseline",
       "Victims of group-based offending by self-defined ethnic group, against the population",
       "Rate ratio: the share of group-based victims (with a recorded ethnicity) in each ONS "
       "ethnic group divided by that group's share of the baseline population.", VICTIMS,
       "ratio", "Ethnic group", "Ethnic group", False, "victims",
       (("person_record", "ethnicity_self"),), kind="statistics"),
    TableDef("baseline_offenders_age", "baseline",
       "Offenders in groups by age band, against the population",
       "Rate ratio: the share of offenders in groups (with a recorded age) in each age band "
       "divided by that band's share of the baseline population.", OFFENDERS, "ratio",
       "Age band", "Age band", False, "offenders", (("person_record", "birth_year"),),
       kind="statistics"),
    TableDef("baseline_victims_age", "baseline",
       "Victims of group-based offending by age band, against the population",
       "Rate ratio: the share of group-based victims (with a recorded age) in each age band "
       "divided by that band's share of the baseline population.", VICTIMS, "ratio",
       "Age band", "Age band", False, "victims", (("person_record", "birth_year"),),
       kind="statistics"),
    TableDef("baseline_offenders_ethnicity_lone", "baseline",
       "Offenders in groups against lone offenders, by self-defined ethnic group",
       "Rate ratio: the share of offenders in groups (with a recorded ethnicity) in each ONS "
       "ethnic group divided by the same share among lone offenders in the same data.",
       OFFENDERS, "ratio", "Ethnic group", "Ethnic group", False, "offenders",
       (("person_record", "ethnicity_self"),), kind="statistics"),
    TableDef("baseline_victims_ethnicity_other", "baseline",
       "Victims of group-based offending against other victims, by self-defined ethnic group",
       "Rate ratio: the share of group-based victims (with a recorded ethnicity) in each ONS "
       "ethnic group divided by the same share among other victims in the same data.",
       VICTIMS, "ratio", "Ethnic group", "Ethnic group", False, "victims",
       (("person_record", "ethnicity_self"),), kind="statistics"),
    # ----- journeys -----------------------------------------------------------------------------
    TableDef("journeys_identification", "journeys", "Victims' journeys to identification",
       "Victims by whether exploitation was identified (by the configured rule) and whether an "
       "agency contact came first: identified after earlier contacts, identified at first "
       "contact, known to agencies but not identified, no contacts recorded. 'Not recorded' "
       "counts victims whose identification or contacts have no date.",
       VICTIMS, "people", "Journey", VICTIM_BREAKDOWN, True, "victims",
       (("event", "event_date"),), (_CONTACT_NOTE,)),
    TableDef("journeys_prior_contacts", "journeys", "Agency contacts before identification",
       "Identified victims by the number of agency contacts recorded before the first "
       "identification of exploitation.", IDENTIFIED, "people", "Contacts before",
       VICTIM_BREAKDOWN, True, "identified_victims", (("event", "event_date"),)),
    TableDef("journeys_contacts_agency", "journeys", "Contacts before identification, by agency",
       "Identified victims with at least one contact with each agency before identification.",
       IDENTIFIED, "people", "Agency", VICTIM_BREAKDOWN, False, "identified_victims",
       (("event", "event_date"),), (_MULTI_NOTE,)),
    TableDef("journeys_contacts_event_type", "journeys",
       "Contacts before identification, by type of contact",
       "Identified victims with at least one contact of each type before identification.",
       IDENTIFIED, "people", "Type of contact", VICTIM_BREAKDOWN, False, "identified_victims",
       (("event", "event_date"),), (_MULTI_NOTE,)),
    TableDef("journeys_signals", "journeys", "Warning signs before identification",
       "Identified victims with a missing episode, a history of going missing recorded as a "
       "marker, a health contact, a social care referral or a record as the victim of an "
       "offence before identification.", IDENTIFIED, "people",
       "Contact", VICTIM_BREAKDOWN, False, "identified_victims", (("event", "event_date"),),
       (_MULTI_NOTE,)),
    TableDef("journeys_time_to_identification", "journeys",
       "Time from first agency contact to identification",
       "Identified victims by the days from their first recorded agency contact to the first "
       "identification of exploitation; 'Identified at first contact' counts victims with no "
       "dated earlier contact, whose time the quartiles and mean count as no time at all.",
       IDENTIFIED, "people", "Time", VICTIM_BREAKDOWN, True, "identified_victims",
       (("event", "event_date"),)),
    TableDef("journeys_age_first_contact", "journeys", "Age at first agency contact",
       "Victims known to agencies by their age at their first dated agency contact, for those "
       "identified and those never identified.", KNOWN, "people", "Age band",
       KNOWN_BREAKDOWN, True, "known_victims",
       (("person_record", "birth_year"), ("event", "event_date")), (_AGE_AT_NOTE,)),
    TableDef("journeys_age_identification", "journeys", "Age at identification",
       "Identified victims by their age at the first identification of exploitation.",
       IDENTIFIED, "people", "Age band", VICTIM_BREAKDOWN, True, "identified_victims",
       (("person_record", "birth_year"), ("event", "event_date")), (_AGE_AT_NOTE,)),
    TableDef("journeys_known_agency", "journeys",
       "Agencies that knew victims: identified and never identified",
       "Victims known to agencies with at least one contact with each agency: before "
       "identification for those identified, at any time for those never identified.",
       KNOWN, "people", "Agency", KNOWN_BREAKDOWN, False, "known_victims",
       (("event", "event_date"),), (_MULTI_NOTE,)),
    TableDef("journeys_known_contacts", "journeys",
       "Number of agency contacts: identified and never identified",
       "Victims known to agencies by their number of contacts: before identification for "
       "those identified, at any time for those never identified.", KNOWN, "people",
       "Contacts", KNOWN_BREAKDOWN, True, "known_victims", (("event", "event_date"),)),
    TableDef("journeys_by_year", "journeys", "Time to identification by year of identification",
       "Identified victims by the time from first agency contact to identification, for each "
       "calendar year of identification.", IDENTIFIED, "people", "Time",
       "Year of identification", True, "identified_victims", (("event", "event_date"),),
       ("Recent years hold only the victims identified so far; victims still unidentified at "
        "extraction are not in any year.",)),
    TableDef("journeys_contacts_after", "journeys", "Agency contacts after identification",
       "Identified victims by the number of agency contacts recorded after the first "
       "identification.", IDENTIFIED, "people", "Contacts after", VICTIM_BREAKDOWN, True,
       "identified_victims", (("event", "event_date"),),
       ("Victims identified shortly before extraction have had little time for later "
        "contacts.",)),
    TableDef("journeys_contacts_after_agency", "journeys",
       "Contacts after identification, by agency",
       "Identified victims with at least one contact with each agency after identification.",
       IDENTIFIED, "people", "Agency", VICTIM_BREAKDOWN, False, "identified_victims",
       (("event", "event_date"),), (_MULTI_NOTE,)),
    TableDef("journeys_contacts_timeline", "journeys",
       "Agency contacts by time before identification",
       "For each agency, identified victims with a contact with it before identification, by "
       "how long before identification the contacts were.", IDENTIFIED, "people",
       "Time before identification", "Agency", False, "timeline",
       (("event", "event_date"),),
       ("Not additive: a victim counts once in each period in which the agency had contact; "
        "each agency's percentages are of the identified victims it had contact with.",)),
    TableDef("journeys_sensitivity", "journeys",
       "Victims' journeys under other definitions and linkage",
       "The headline journeys figures as configured, with a broader definition of "
       "identification, and with every pair in the clerical review queue accepted as a link; "
       "the range rows hold the configured figure and, in the interval columns, the range "
       "between it and the figure with the review queue accepted.", VICTIMS, "people",
       "Figure", "Computation", False, "victims", (("event", "event_date"),),
       (_LINKAGE_NOTE,), kind="statistics"),
)

# fmt: on

REGISTRY: dict[str, TableDef] = {t.table_id: t for t in TABLES}


@dataclass(frozen=True)
class PopulationDef:
    """A population tables count (their ``margin_key``) and how it sits in the others.

    ``subset_of`` names the population it is part of; ``counted_as`` the table and categories
    that count it within that population (so that each breakdown total of a table of this
    population is the sum of those categories' cells). The disclosure stage builds its
    relations from these declarations, so every table declared with a margin key is covered.
    """

    key: str
    subset_of: str | None = None
    counted_as: tuple[str, tuple[str, ...]] | None = None


POPULATIONS: dict[str, PopulationDef] = {
    p.key: p
    for p in (
        PopulationDef("offences"),
        PopulationDef("offenders"),
        PopulationDef("victims"),
        PopulationDef("groups"),
        PopulationDef("victims_with_marker", subset_of="victims"),
        PopulationDef(
            "identified_victims",
            subset_of="victims",
            # the identified victims are the victims identified at first contact or after
            # earlier contacts (gbo.profile.journey_base's statuses)
            counted_as=(
                "journeys_identification",
                ("Identified after earlier contacts", "Identified at first contact"),
            ),
        ),
        # each agency's column of the timeline is the identified victims with a contact with
        # that agency, counted as a category of journeys_contacts_agency
        PopulationDef("timeline", subset_of="identified_victims"),
    )
}

# The classification of each table's categories. Public classifications nest (ethnicity 19
# categories in 5 groups, offence codes in offence groups); the disclosure stage adds those
# relations from gbo.disclosure.declared.HIERARCHIES.
CLASSIFICATIONS: dict[str, str] = {
    **{f"{who}_ethnicity_19": "ethnicity_19" for who in ("offenders", "victims")},
    **{f"{who}_ethnicity_5": "ethnicity_5" for who in ("offenders", "victims")},
    **{f"{who}_ethnicity_officer": "ethnicity_officer" for who in ("offenders", "victims")},
    **{f"{who}_age_band": "age_band" for who in ("offenders", "victims")},
    **{f"{who}_sex": "sex" for who in ("offenders", "victims")},
    **{f"{who}_nationality": "nationality" for who in ("offenders", "victims")},
    "scale_offence_code": "offence_code",
    "scale_offence_type": "offence_group",
    "context_local_authority": "local_authority",
    "context_police_force": "police_force_area",
    "outcomes_group": "outcome_group",
    "scale_cocad": "cocad",
    **{
        t: "year"
        for t in (
            "scale_offences_by_year",
            "scale_victims_by_year",
            "scale_offenders_by_year",
            "scale_groups_by_year",
        )
    },
}


# banded tables of people by how many categories of a multi-response table they have
COUNTS_CATEGORIES_OF = {"victims_vulnerability_count": "victims_vulnerability"}
# tables of pairs of a multi-response table's categories (breakdown: one, row: another)
PAIRS_OF = {"victims_vulnerability_pairs": "victims_vulnerability"}


def declarations(table_id: str, margin_key: str) -> dict[str, object]:
    """What a table declares for disclosure control, as ``tables.json`` keys."""
    out: dict[str, object] = {}
    if table_id in CLASSIFICATIONS:
        out["classification"] = CLASSIFICATIONS[table_id]
    if table_id in COUNTS_CATEGORIES_OF:
        out["counts_categories_of"] = COUNTS_CATEGORIES_OF[table_id]
    if table_id in PAIRS_OF:
        out["pairs_of"] = PAIRS_OF[table_id]
    population = POPULATIONS.get(margin_key)
    if population is not None and population.subset_of:
        out["population_subset_of"] = population.subset_of
    if population is not None and population.counted_as is not None:
        table, categories = population.counted_as
        out["population_is"] = {"table": table, "categories": list(categories)}
    return out


SECTIONS = REPORT_SECTIONS
