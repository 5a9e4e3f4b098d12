"""The hand-made world: every figure below was worked out by hand from tests/profile/handmade.py."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from statsmodels.stats.proportion import proportion_confint

from gbo.profile.baseline import SHIPPED
from gbo.profile.settings import ProfileSettings
from gbo.schema import codes
from tests.profile.handmade import handmade_world
from tests.profile.outputs import Outputs, run_profile


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return run_profile(tmp_path_factory.mktemp("handmade"), handmade_world())


def test_scale(out: Outputs) -> None:
    assert out.cells("scale_offences_by_year") == {
        ("All", "2020"): 2,
        ("All", "2021"): 2,
        ("All", "Not recorded"): 1,
        ("Group-based", "2020"): 2,
        ("Lone offending", "2021"): 1,
        ("Lone offending", "Not recorded"): 1,
        ("No offender recorded", "2021"): 1,
    }
    share = out.cells("scale_group_share")
    assert share[("2020", "Group-based")] == 2
    assert share[("2021", "Lone offending")] == 1
    assert share[("Year not recorded", "Lone offending")] == 1
    assert share[("All", "Group-based")] == 2
    assert out.cell("scale_group_share", "All", "Group-based")["pct_of_all"] == 40.0
    assert out.cells("scale_groups_by_year") == {("All", "2020"): 1}
    cocad = out.cells("scale_cocad")
    assert cocad[("Group-based", "Child sexual exploitation")] == 2
    assert cocad[("All", "Not recorded")] == 2
    assert (
        out.cells("scale_offence_code")[("Group-based", "19C Rape of a female child under 16")] == 1
    )
    types = out.cells("scale_offence_type")
    assert types[("Group-based", "Rape")] == 1
    assert types[("Group-based", "Sexual exploitation offences")] == 1


def test_offenders(out: Outputs) -> None:
    assert out.cells("offenders_group_status") == {
        ("All", "In a group"): 3,
        ("All", "Alone"): 1,
        ("All", "Not recorded"): 1,
    }
    assert out.cells("offenders_sex") == {
        ("All", "Male"): 4,
        ("All", "Female"): 1,
        ("In a group", "Male"): 3,
        ("Alone", "Female"): 1,
        ("Group status not recorded", "Male"): 1,
    }
    assert out.cells("offenders_age_band") == {
        ("All", "30 to 39"): 1,
        ("All", "16 to 17"): 1,
        ("All", "50 and over"): 1,
        ("All", "Not recorded"): 2,
        ("In a group", "30 to 39"): 1,
        ("In a group", "16 to 17"): 1,
        ("In a group", "50 and over"): 1,
        ("Alone", "Not recorded"): 1,
        ("Group status not recorded", "Not recorded"): 1,
    }
    age = out.statistic("offenders_age_band", "All", "median")
    assert (age["value"], age["n"]) == (30, 3)  # ages 30, 16 and 50; two not recorded
    assert out.statistic("victims_age_band", "Group-based", "median")["value"] == 13.5
    white = out.cell("offenders_ethnicity_5", "All", "White")
    assert (white["count"], white["denominator"]) == (1, 5)
    assert math.isclose(white["pct_of_recorded"], 100 / 3)  # W1, A2, B2 known; NS and none not
    assert out.cell("offenders_ethnicity_5", "All", "Not stated")["count"] == 1
    assert out.cell("offenders_ethnicity_5", "All", "Not recorded")["count"] == 1
    officer = out.cells("offenders_ethnicity_officer")
    assert officer[("All", "Asian")] == 2 and officer[("All", "White - North European")] == 1
    assert officer[("All", "Not recorded")] == 2
    assert out.cells("offenders_nationality") == {
        ("All", "United Kingdom"): 3,
        ("All", "Other country"): 1,
        ("All", "Not recorded"): 1,
        ("In a group", "United Kingdom"): 2,
        ("In a group", "Other country"): 1,
        ("Alone", "Not recorded"): 1,
        ("Group status not recorded", "United Kingdom"): 1,
    }


def test_19_categories_only_when_enough_is_recorded(tmp_path: Path) -> None:
    withheld = run_profile(tmp_path / "a", handmade_world())
    assert "offenders_ethnicity_19" not in withheld.metadata
    assert any("19-category" in n for n in withheld.metadata["offenders_ethnicity_5"]["notes"])
    shown = run_profile(
        tmp_path / "b", handmade_world(), ProfileSettings(ethnicity_detail_min_recorded=3)
    )
    assert shown.cell("offenders_ethnicity_19", "All", "Pakistani")["count"] == 1
    assert shown.cell("offenders_ethnicity_19", "All", "Roma")["count"] == 0
    assert "victims_ethnicity_19" not in shown.metadata  # only two victims recorded


def test_groups(out: Outputs) -> None:
    assert out.cells("groups_size") == {("All", "3 to 4"): 1}
    assert out.cells("groups_duration") == {("All", "6 to 11 months"): 1}
    assert out.cells("groups_victims") == {("All", "2"): 1}
    assert out.cells("groups_online") == {("All", "Yes"): 1}
    assert out.cells("groups_offence_mix") == {
        ("All", "Rape"): 1,
        ("All", "Sexual exploitation offences"): 1,
    }
    assert out.cells("groups_ethnic_composition") == {("All", "Mixed"): 1}
    assert out.cells("groups_ethnic_composition_officer") == {("All", "Mixed"): 1}
    assert out.statistic("groups_duration", "All", "median")["value"] == 198


def test_victims(out: Outputs) -> None:
    assert out.cells("victims_age_band") == {
        ("All", "13 to 15"): 2,
        ("All", "10 to 12"): 1,
        ("Group-based", "13 to 15"): 2,
        ("Not group-based", "10 to 12"): 1,
    }
    assert out.cells("victims_vulnerability") == {
        ("All", "Looked-after child"): 1,
        ("All", "History of going missing"): 1,
        ("All", "Special educational needs or disability"): 1,
        ("All", "Not recorded"): 1,
        ("Group-based", "Looked-after child"): 1,
        ("Group-based", "History of going missing"): 1,
        ("Group-based", "Special educational needs or disability"): 1,
        ("Not group-based", "Not recorded"): 1,
    }
    assert out.cells("victims_vulnerability_count") == {
        ("All", "2"): 1,
        ("All", "1"): 1,
        ("All", "Not recorded"): 1,
        ("Group-based", "2"): 1,
        ("Group-based", "1"): 1,
        ("Not group-based", "Not recorded"): 1,
    }
    pairs = out.cells("victims_vulnerability_pairs")
    assert pairs[("Looked-after child", "History of going missing")] == 1
    assert ("Special educational needs or disability", "Looked-after child") not in pairs
    assert out.cells("victims_looked_after") == {
        ("All", "Looked after"): 1,
        ("All", "Not looked after"): 1,
        ("All", "Not recorded"): 1,
        ("Group-based", "Looked after"): 1,
        ("Group-based", "Not looked after"): 1,
        ("Not group-based", "Not recorded"): 1,
    }


def test_context_and_outcomes(out: Outputs) -> None:
    methods = out.cells("context_methods")
    assert methods[("All", "Alcohol or drugs")] == 1
    assert methods[("All", "Online contact")] == 1
    assert methods[("All", "Not recorded")] == 3
    assert ("Group-based", "Not recorded") not in methods
    assert out.cell("context_methods", "All", "Alcohol or drugs")["denominator"] == 5
    assert out.cells("outcomes_group") == {
        ("All", "Charge or summons"): 1,
        ("All", "No further action: evidential difficulties"): 1,
        ("All", "Under investigation"): 1,
        ("All", "No further action: no suspect identified"): 1,
        ("All", "Not recorded"): 1,
        ("Group-based", "Charge or summons"): 1,
        ("Group-based", "No further action: evidential difficulties"): 1,
        ("Lone offending", "Under investigation"): 1,
        ("Lone offending", "Not recorded"): 1,
        ("No offender recorded", "No further action: no suspect identified"): 1,
    }
    charge = out.statistic("outcomes_group", "Group-based", "days_to_charge_median")
    assert (charge["value"], charge["n"]) == (92, 1)  # 2020-03-01 to 2020-06-01
    assert out.statistic("outcomes_group", "Lone offending", "days_to_charge_median")["n"] == 0
    location = out.cells("context_location")
    assert location[("All", "Online")] == 1 and location[("All", "Not recorded")] == 1
    assert out.cells("context_police_force")[("All", "Police force area 2")] == 2


def test_journeys_on_the_hand_built_timeline(out: Outputs) -> None:
    # v1: three contacts, then identified; v2: identified before any other contact (their
    # crime record comes later); v3: a welfare contact and a crime record, never identified
    assert out.cells("journeys_identification") == {
        ("All", "Identified after earlier contacts"): 1,
        ("All", "Identified at first contact"): 1,
        ("All", "Known to agencies, not identified"): 1,
        ("Group-based", "Identified after earlier contacts"): 1,
        ("Group-based", "Identified at first contact"): 1,
        ("Not group-based", "Known to agencies, not identified"): 1,
    }
    prior = out.cells("journeys_prior_contacts")
    assert prior[("All", "None")] == 1 and prior[("All", "2 to 4")] == 1
    time = out.cells("journeys_time_to_identification")
    # 2018-01-10 to 2019-05-01 is 476 days
    assert time[("All", "1 year to under 2 years")] == 1
    assert time[("All", "Identified at first contact")] == 1
    assert ("All", "Not recorded") not in time
    # the statistics describe every identified victim, as the table does: 0 days for the
    # one identified at first contact
    median = out.statistic("journeys_time_to_identification", "All", "median")
    assert (median["value"], median["n"]) == (238, 2)
    contacts = out.statistic("journeys_prior_contacts", "All", "median")
    assert (contacts["value"], contacts["n"]) == (1.5, 2)  # 3 and 0 contacts
    assert out.statistic("journeys_prior_contacts", "All", "lower_quartile")["value"] == 0.75
    assert out.statistic("journeys_prior_contacts", "All", "mean")["value"] == 1.5
    assert out.cells("journeys_signals") == {
        ("All", "Missing episode"): 1,
        ("All", "Health contact"): 1,
        ("All", "Social care referral"): 1,
        ("All", "Not recorded"): 1,
        ("Group-based", "Missing episode"): 1,
        ("Group-based", "Health contact"): 1,
        ("Group-based", "Social care referral"): 1,
        ("Group-based", "Not recorded"): 1,
    }
    agencies = out.cells("journeys_contacts_agency")
    assert agencies[("All", "Police")] == agencies[("All", "Health services")] == 1
    assert agencies[("All", "Children's social care")] == 1
    assert not [c for _, c in agencies if "_" in c]  # labels, never raw agency names
    assert any(
        "victims' contacts have no date" in n and "{{figure=journey_events_without_date:1}}" in n
        for n in out.metadata["journeys_signals"]["notes"]
    )
    assert any(
        "Identification: the earliest dated an event of type 'Child sexual exploitation "
        "identified'" in n
        for n in out.metadata["journeys_identification"]["notes"]
    )


def test_journey_measures_on_the_hand_built_timeline(out: Outputs) -> None:
    # first contacts: v1 2018 (born 2006), v2 2020 (2007), v3 2019 (2009)
    assert out.cells("journeys_age_first_contact") == {
        ("All", "10 to 12"): 2,
        ("All", "13 to 15"): 1,
        ("Identified", "10 to 12"): 1,
        ("Identified", "13 to 15"): 1,
        ("Known, not identified", "10 to 12"): 1,
    }
    assert out.cells("journeys_age_identification")[("All", "13 to 15")] == 2
    known = out.cells("journeys_known_agency")
    assert known[("Known, not identified", "Police")] == 1
    assert known[("Identified", "Not recorded")] == 1  # v2 had no contact before
    assert out.cells("journeys_known_contacts")[("Known, not identified", "2 to 4")] == 1
    # v3 known from 2019-03-01 (welfare contact) to 2021-01-10 (crime record): 681 days
    days = out.statistic("journeys_known_contacts", "Known, not identified", "days_known_median")
    assert (days["value"], days["n"]) == (681, 1)
    # the statistics in the unit of the table's bands carry the plain names, so disclosure
    # control reads them against the bands (a prefixed "contacts_median" escaped the check)
    contacts = out.statistic("journeys_known_contacts", "Known, not identified", "median")
    assert 2 <= contacts["value"] <= 4 and contacts["n"] == 1
    assert out.cells("journeys_by_year") == {
        ("All", "1 year to under 2 years"): 1,
        ("All", "Identified at first contact"): 1,
        ("2019", "1 year to under 2 years"): 1,
        ("2020", "Identified at first contact"): 1,
    }
    # v1 after 2019-05-01: police identification, GP, two crime records; v2: one crime record
    after = out.cells("journeys_contacts_after")
    assert after[("All", "2 to 4")] == 1 and after[("All", "1")] == 1
    assert out.cells("journeys_contacts_after_agency")[("All", "Police, after identification")] == 2
    assert out.cells("journeys_contacts_timeline") == {
        ("Police", "1 year to under 2 years before"): 1,
        ("Health services", "6 to 11 months before"): 1,
        ("Children's social care", "1 to 5 months before"): 1,
    }


def test_baseline_rate_ratios_against_the_shipped_census(out: Outputs) -> None:
    population = {r["category"]: int(r["population"]) for r in rows_of(SHIPPED)
                  if r["variable"] == "ethnicity_19"}  # fmt: skip
    white = sum(n for code, n in population.items() if codes.ONS_19[code][1] == "WHITE")
    share = white / sum(population.values())
    # offenders in groups: o1 White, o2 Asian, o3 not recorded
    rr = out.statistic("baseline_offenders_ethnicity", "White", "rate_ratio")
    assert math.isclose(rr["value"], 0.5 / share)
    low, high = proportion_confint(1, 2, method="wilson")
    assert math.isclose(rr["ci_lower"], low / share)
    assert math.isclose(rr["ci_upper"], high / share)
    missing = out.statistic("baseline_offenders_ethnicity", "All", "pct_not_recorded")
    assert math.isclose(missing["value"], 100 / 3)
    assert math.isclose(out.metadata["baseline_offenders_ethnicity"]["completeness"], 2 / 3)
    notes = out.metadata["baseline_offenders_ethnicity"]["notes"]
    assert any("TS021" in n for n in notes)
    recheck = [r["category"] for r in rows_of(SHIPPED) if r["checked"].startswith("recheck")]
    assert recheck
    assert any("still to be checked" in n and all(c in n for c in recheck) for n in notes)


def rows_of(name: str) -> list[dict[str, str]]:
    text = (Path(__file__).parents[2] / "src/gbo/profile/data" / name).read_text()
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def test_baseline_ages_against_the_shipped_census(out: Outputs) -> None:
    ages = {r["category"]: int(r["population"]) for r in rows_of(SHIPPED)
            if r["variable"] == "age_band"}  # fmt: skip
    # offenders in groups: o1 aged 30 and o3 aged 50 (both covered), o2 aged 16 (no figure)
    covered = [band for band, _, _ in codes.AGE_BANDS_CHILD_AND_ADULT if band in ages]
    share = ages["30 to 39"] / sum(ages[b] for b in covered)
    rr = out.statistic("baseline_offenders_age", "30 to 39", "rate_ratio")
    assert math.isclose(rr["value"], 0.5 / share)
    low, high = proportion_confint(1, 2, method="wilson")
    assert math.isclose(rr["ci_lower"], low / share)
    assert math.isclose(rr["ci_upper"], high / share)
    missing = out.statistic("baseline_offenders_age", "All", "pct_not_recorded")
    assert math.isclose(missing["value"], 100 / 3)  # o2's band has no figure
    notes = out.metadata["baseline_offenders_age"]["notes"]
    assert any("no figure for 16 to 17" in n for n in notes)
    assert any("Census 2021" in n and "five-year" in n for n in notes)
    assert not any("still to be checked" in n for n in notes)  # the age figures are sums
    # group-based victims: only "Under 10" has a figure among the victim bands, so no ratio;
    # the victims' age table says why
    _assert_no_comparison(out, "baseline_victims_age", "victims_age_band", "baseline_victims_age")


def _assert_no_comparison(out: Outputs, comparison: str, source: str, reason: str) -> None:
    """No ``comparison`` table was made, and ``source``'s notes say why."""
    assert comparison not in out.metadata
    assert not [s for s in out.statistics if s["table_id"] == comparison]
    assert any("No comparison" in n and reason in n for n in out.metadata[source]["notes"])


def test_local_baseline_with_ages(tmp_path: Path) -> None:
    baseline = tmp_path / "local.csv"
    baseline.write_text(
        "# a local baseline\nvariable,category,population\n"
        "ethnicity_5,WHITE,800\nethnicity_5,ASIAN,200\n"
        "age_band,16 to 17,100\nage_band,30 to 39,300\nage_band,50 and over,600\n",
        encoding="utf-8",
    )
    out = run_profile(tmp_path / "run", handmade_world(), ProfileSettings(baseline_file=baseline))
    rr = out.statistic("baseline_offenders_ethnicity", codes.ONS_GROUPS["ASIAN"], "rate_ratio")
    assert math.isclose(rr["value"], 0.5 / 0.2)
    age = out.statistic("baseline_offenders_age", "16 to 17", "rate_ratio")
    assert math.isclose(age["value"], (1 / 3) / 0.1)


def test_completeness_by_agency_and_field(out: Outputs) -> None:
    row = next(
        r
        for r in out.completeness
        if (r["agency"], r["table"], r["field"], r["population"])
        == ("police", "person_record", "ethnicity_self", "offenders")
    )
    assert (row["n"], row["n_recorded"]) == (5, 3)  # NS and a blank are not recorded
    notes = out.metadata["offenders_ethnicity_5"]["notes"]
    # the share is rendered under disclosure control: 3 of 5 are both small counts
    assert any(
        n.startswith("Completeness of ethnicity_self")
        and "police {{share=3/5@offenders|person_record|ethnicity_self|police}}" in n
        for n in notes
    )
    assert out.metadata["offenders_ethnicity_5"]["notes"][0].startswith("Definition: ")


def test_no_spurious_warnings(out: Outputs) -> None:
    assert not [w for w in out.warnings if "outside the code list" in w]


def test_metadata_has_every_contract_key(out: Outputs) -> None:
    keys = {
        "title", "definition", "population", "unit", "period", "category_label",
        "breakdown_label", "is_additive", "margin_key", "completeness", "notes", "sources",
        "section",
    }  # fmt: skip
    for table_id, meta in out.metadata.items():
        assert keys <= set(meta), table_id
    assert {r["table_id"] for r in out.rows} <= set(out.metadata)
    assert out.metadata["groups_size"]["sources"] == ["police"]
    assert out.metadata["victims_sex"]["sources"] == ["health", "police", "social_care"]


def test_categories_without_a_baseline_figure_are_named(tmp_path: Path) -> None:
    baseline = tmp_path / "white_only.csv"
    baseline.write_text("variable,category,population\nethnicity_5,WHITE,100\n", encoding="utf-8")
    out = run_profile(tmp_path / "run", handmade_world(), ProfileSettings(baseline_file=baseline))
    # one category with a figure: every share would be 1, so no ratio is made, and the
    # offenders' ethnicity table says why
    _assert_no_comparison(out, "baseline_offenders_ethnicity", "offenders_ethnicity_5", "(White)")


def test_categories_left_out_of_a_comparison_are_named(tmp_path: Path) -> None:
    baseline = tmp_path / "two.csv"
    baseline.write_text(
        "variable,category,population\nethnicity_5,WHITE,100\nethnicity_5,BLACK,100\n",
        encoding="utf-8",
    )
    out = run_profile(tmp_path / "run", handmade_world(), ProfileSettings(baseline_file=baseline))
    notes = out.metadata["baseline_offenders_ethnicity"]["notes"]
    assert any("no figure for Asian, Asian British or Asian Welsh" in n for n in notes)
    # the one White offender in a group, of one covered, against a population share of 1/2
    assert out.statistic("baseline_offenders_ethnicity", "White", "rate_ratio")["value"] == 2.0
    missing = out.statistic("baseline_offenders_ethnicity", "All", "pct_not_recorded")
    assert math.isclose(missing["value"], 200 / 3)
