"""Counts published as statistics (the journeys sensitivity table: victims, identified,
identified after contacts...) and the n behind every median are counts of nested groups of
the same people: a reader subtracts them."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from gbo.disclosure.audit import AuditReport, check_statistics
from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.statistics_relations import differenced_statistics
from gbo.profile.band_edges import (
    BANDED_TABLES,
    FIXED_VALUE_CATEGORIES,
    band_edges,
    declare_band_edges,
)
from gbo.profile.settings import DEFAULT_DURATION_BANDS, ProfileSettings
from tests.disclosure.factories import ALL, NOT_RECORDED
from tests.disclosure.tables import one_table, two_way


def _stat(table: str, breakdown: str, name: str, value: float | None, n: int) -> dict[str, Any]:
    return {"table_id": table, "breakdown": breakdown, "statistic": name, "value": value, "n": n}


SENSITIVITY = "journeys_sensitivity"


def _controlled_sensitivity(stats: list[dict[str, Any]], threshold: int = 5) -> DisclosureResult:
    """The identification table and the journeys sensitivity statistics, controlled."""
    rows, meta = one_table(
        "identification",
        {ALL: {"Identification recorded": 731, NOT_RECORDED: 141}},
        margin_key="victims",
    )
    meta[SENSITIVITY] = {"title": SENSITIVITY, "margin_key": "victims", "notes": []}
    settings = DisclosureSettings(threshold=threshold)
    result = control_disclosure(rows, meta, settings, pd.DataFrame(stats))
    assert result.audit.passed
    return result


def _release(threshold: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = _controlled_sensitivity(
        [
            _stat(SENSITIVITY, "As configured", "victims", 872, 872),
            _stat(SENSITIVITY, "As configured", "identified", 731, 731),
            _stat(SENSITIVITY, "As configured", "identified_after_contacts", 727, 727),
            _stat(SENSITIVITY, "As configured", "identified_at_first_contact", 4, 4),
            _stat(SENSITIVITY, "As configured", "pct_identified_at_first_contact", 400 / 731, 731),
            _stat(SENSITIVITY, "As configured", "median_days_to_identification", 1263, 727),
            _stat(SENSITIVITY, "As configured", "median_prior_contacts", 6, 731),
        ],
        threshold,
    )
    return result.statistics, result.log


def _shown_counts(stats: pd.DataFrame) -> list[int]:
    out = []
    for r in stats.itertuples(index=False):
        if str(r.n_display).replace(",", "").isdigit():
            out.append(int(str(r.n_display).replace(",", "")))
        name = str(r.statistic)
        if not name.startswith(("pct", "median")) and str(r.value_display).isdigit():
            out.append(int(str(r.value_display)))
    return out


def test_nested_counts_never_differ_by_a_small_count() -> None:
    stats, log = _release()
    shown = sorted(set(_shown_counts(stats)))
    assert all(not 0 < b - a < 5 for a in shown for b in shown), shown
    by_name = stats.set_index("statistic")
    # 731 - 727 = 4 people identified at their first contact, and 0.5472% of 731 = 4
    assert by_name.loc["identified_after_contacts", "value_display"] == "[c]"
    assert by_name.loc["median_days_to_identification", "n_display"] == "[c]"
    assert by_name.loc["pct_identified_at_first_contact", "value_display"] == "[c]"
    assert by_name.loc["victims", "value_display"] == "872"
    assert (log["rule"] == "statistic_differencing").any()


def test_a_quartile_that_pins_withheld_bands_is_withheld() -> None:
    ages = {
        ALL: {
            "Under 10": 0,
            "10 to 12": 27,
            "13 to 15": 40,
            "16 to 17": 36,
            "18 and over": 1,
            NOT_RECORDED: 0,
        }
    }
    rows, meta = one_table("victims_age_band", ages, margin_key="victims")
    stats = pd.DataFrame(
        [
            _stat("victims_age_band", ALL, "lower_quartile", 12, 104),
            _stat("victims_age_band", ALL, "median", 14, 104),
            _stat("victims_age_band", ALL, "upper_quartile", 16, 104),
        ]
    )
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5), stats)
    assert result.audit.passed
    shown = result.tables.set_index("category")["count_display"]
    assert shown["18 and over"] == "[c]"
    # 104 ages with a lower quartile of 12: at least 26 are 12 or under, so '10 to 12' is
    # at least 26 and '18 and over' at most 2
    quartiles = result.statistics.set_index("statistic")["value_display"]
    assert quartiles["lower_quartile"] == "[c]"
    assert (result.log["rule"] == "statistic_quantile").any()


def test_quartiles_in_days_are_read_against_bands_in_months_and_years() -> None:
    """Groups by active period ("Under 1 month"...) beside quartiles of the days: the table
    declares its bands' edges in days, and a lower quartile of 64.75 days over 15 groups says
    at most 4 were active under a month (a withheld 2)."""
    durations = {
        ALL: {
            "Under 1 month": 2,
            "1 to 5 months": 6,
            "6 to 11 months": 1,
            "1 year to under 2 years": 4,
            "2 years or more": 2,
            NOT_RECORDED: 0,
        }
    }
    rows, meta = one_table("groups_duration", durations, margin_key="groups")
    meta["groups_duration"]["bands"] = band_edges(DEFAULT_DURATION_BANDS)
    stats = pd.DataFrame(
        [
            _stat("groups_duration", ALL, "lower_quartile", 64.75, 15),
            _stat("groups_duration", ALL, "median", 150, 15),
            _stat("groups_duration", ALL, "upper_quartile", 661, 15),
        ]
    )
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5), stats)
    assert result.audit.passed
    assert result.tables.set_index("category").loc["Under 1 month", "count_display"] == "[c]"
    quartiles = result.statistics.set_index("statistic")["value_display"]
    assert quartiles["lower_quartile"] == "[c]"
    assert (result.log["rule"] == "statistic_quantile").any()


def test_every_banded_table_declares_the_edges_it_was_built_with() -> None:
    settings = ProfileSettings()
    metadata: dict[str, Any] = {t: {} for t in BANDED_TABLES}
    declare_band_edges(metadata, settings)
    assert metadata["groups_duration"]["bands"][0] == ["Under 1 month", 0, 30]
    assert metadata["groups_duration"]["bands"][-1] == ["2 years or more", 730, None]
    # a victim identified at the first contact took 0 days
    assert metadata["journeys_by_year"]["bands"][:2] == [
        ["Identified at first contact", 0, 0],
        ["Under 6 months", 1, 182],
    ]
    for table_id in BANDED_TABLES:
        fixed = [b[0] for b in FIXED_VALUE_CATEGORIES.get(table_id, [])]
        assert [b[0] for b in metadata[table_id]["bands"]] == fixed + [
            b[0] for b in getattr(settings, BANDED_TABLES[table_id])
        ]


def test_a_mean_that_bounds_withheld_bands_is_withheld() -> None:
    ages = {ALL: {"10 to 12": 27, "13 to 15": 40, "16 to 17": 36, "18 and over": 1}}
    rows, meta = one_table("victims_age_band", ages, margin_key="victims")
    # the ages add up to 1,400: at least 10 * 27 + 13 * 40 + 16 * 36 from the shown and
    # lower-band people, which leaves room for at most 3 people aged 18 and over
    stats = pd.DataFrame([_stat("victims_age_band", ALL, "mean", 1400 / 104, 104)])
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5), stats)
    assert result.audit.passed
    assert result.statistics.set_index("statistic").loc["mean", "value_display"] == "[c]"


def test_a_range_whose_ends_differ_by_a_small_count_is_withheld() -> None:
    """The journeys sensitivity range row publishes the configured figure and the figure
    with the review queue accepted as its two ends: 145 to 146 says one child's records
    would be joined. Found by the outside attacker on a world of seed 11."""
    ranged = "Range with review-queue links accepted"
    result = _controlled_sensitivity(
        [
            _stat(SENSITIVITY, "As configured", "victims", 872, 872),
            _stat(SENSITIVITY, ranged, "identified", 145, 145) | {"ci_lower": 145, "ci_upper": 146},
            _stat(SENSITIVITY, ranged, "victims", 872, 872) | {"ci_lower": 872, "ci_upper": 890},
        ]
    )
    shown = result.statistics.set_index(["breakdown", "statistic"])
    # a tuple on a MultiIndex selects a row, which pandas-stubs take for (row, column)
    row = cast("pd.Series[Any]", shown.loc[(ranged, "identified")])
    assert "[c]" in (row["value_display"], row["ci_upper_display"])
    assert str(row["ci_lower_display"]) != "145" or str(row["ci_upper_display"]) != "146"
    wide = cast("pd.Series[Any]", shown.loc[(ranged, "victims")])
    assert (wide["ci_lower_display"], wide["ci_upper_display"]) == ("872", "890")


RANGED, ACCEPTED = "Range with review-queue links accepted", "Review-queue links accepted"


def _controlled_range(
    configured: int, accepted: int, rounding: str = "none"
) -> tuple[DisclosureResult, dict[str, dict[str, Any]]]:
    """The share identified at first contact as configured and with the review queue
    accepted (``configured`` and ``accepted`` of them, among 376 and 374 identified), and the
    range between the two, declared as a range of those rows."""
    rows, meta = one_table(
        "identification",
        {ALL: {"Identification recorded": 731, NOT_RECORDED: 141}},
        margin_key="victims",
    )
    meta[SENSITIVITY] = {
        "title": SENSITIVITY,
        "margin_key": "victims",
        "notes": [],
        "statistics_ranges": [{"breakdown": RANGED, "ends": ["As configured", ACCEPTED]}],
    }
    share = "pct_identified_at_first_contact"
    ends = (100 * configured / 376, 100 * accepted / 374)
    stats = [
        _stat(SENSITIVITY, "As configured", share, ends[0], 376),
        _stat(SENSITIVITY, ACCEPTED, share, ends[1], 374),
        _stat(SENSITIVITY, RANGED, share, ends[0], 374)
        | {"ci_lower": min(ends), "ci_upper": max(ends)},
    ]
    settings = DisclosureSettings(threshold=10, rounding=rounding)
    result = control_disclosure(rows, meta, settings, pd.DataFrame(stats))
    assert result.audit.passed
    return result, meta


def test_a_range_is_withheld_with_either_end() -> None:
    """The seventh red team of stop 62 read the configured share of victims identified at
    first contact (5 of 376, withheld) off the range row, whose value and ends are the
    configured and the accepted shares: the range is withheld with either of them."""
    result, meta = _controlled_range(5, 5)
    by_breakdown = result.statistics.set_index("breakdown")
    assert set(by_breakdown["value_display"]) == {"[c]"}
    assert set(by_breakdown["ci_lower_display"]) == {"[c]"}
    assert "statistic_range_of" in set(result.log["rule"])
    # shown again, the audit says which figure it shows
    problems = _problems_if_shown(result, meta, RANGED, "1.33")
    assert any("range shown with a withheld end" in p for p in problems), problems


def test_with_counts_rounded_a_statistic_and_its_ends_are_whole() -> None:
    """With counts rounded, ends at full precision give a share's count back (1.3298 and
    1.3369 are 5/376 and 5/374): a shown statistic's value and ends are whole numbers."""
    result, _ = _controlled_range(120, 121, rounding="base5")
    shown = result.statistics
    assert (shown["value_display"] != "[c]").all()
    for column in ("value", "ci_lower", "ci_upper"):
        figures = shown[column].dropna().astype(float)
        assert len(figures) > 0 and all(x.is_integer() for x in figures), (column, figures)
    ranged = shown[shown["breakdown"] == RANGED].iloc[0]
    assert (ranged["ci_lower_display"], ranged["ci_upper_display"]) == ("32", "32")


CONTACTS = "contacts_before_identification"
AGENCY, KIND = "journeys_contacts_agency", "journeys_contacts_event_type"
PRIOR = "journeys_prior_contacts"


def _controlled_sums(
    sums: list[dict[str, Any]], stats: list[dict[str, Any]]
) -> tuple[DisclosureResult, dict[str, dict[str, Any]]]:
    """Contact statistics controlled under the declared ``statistics_sums``."""
    rows, meta = one_table("identification", {ALL: {"Identified": 60}}, margin_key="victims")
    for table in (AGENCY, KIND, PRIOR):
        meta[table] = {"title": table, "margin_key": "victims", "notes": []}
    meta[AGENCY]["statistics_sums"] = sums
    result = control_disclosure(rows, meta, DisclosureSettings(), pd.DataFrame(stats))
    assert result.audit.passed
    return result, meta


def _problems_if_shown(
    result: DisclosureResult, meta: dict[str, dict[str, Any]], breakdown: str, display: str
) -> list[str]:
    """The audit's problems with a release that shows one withheld statistic again."""
    tampered = result.statistics.copy()
    tampered.loc[tampered["breakdown"] == breakdown, "value_display"] = display
    report = AuditReport(protection=5, threshold=5, rounding_base=1, integer=True)
    check_statistics(tampered, meta, 5, report)
    return report.problems


def test_a_statistic_of_a_declared_sum_is_never_withheld_alone() -> None:
    """Health's contacts are those of its three contact types: with the GP contacts
    withheld (3 people), the total less the two others would give them back, so the type
    about the fewest people of the others is withheld too; a sum with nothing withheld is
    left alone."""
    health = [[AGENCY, "Health"], [KIND, "A&E"], [KIND, "GP"], [KIND, "Clinic"]]
    police = [[AGENCY, "Police"], [KIND, "Missing"]]
    result, meta = _controlled_sums(
        [{"statistic": CONTACTS, "members": m} for m in (health, police)],
        [
            _stat(AGENCY, "Health", CONTACTS, 97, 40),
            _stat(KIND, "A&E", CONTACTS, 28, 20),
            _stat(KIND, "GP", CONTACTS, 36, 3),
            _stat(KIND, "Clinic", CONTACTS, 33, 25),
            _stat(AGENCY, "Police", CONTACTS, 50, 30),
            _stat(KIND, "Missing", CONTACTS, 50, 30),
        ],
    )
    shown = result.statistics.set_index("breakdown")["value"]
    assert shown[["GP", "A&E"]].isna().all()
    assert shown[["Health", "Clinic", "Police", "Missing"]].notna().all()
    rules = result.log.set_index("breakdown")["rule"]
    assert rules["A&E"] == "statistic_sum"
    problems = _problems_if_shown(result, meta, "A&E", "28")
    assert len(problems) == 1 and "GP" in problems[0]


def test_statistics_that_add_up_to_a_withheld_mean_are_not_all_shown() -> None:
    """Health's and the police's contacts add up to the victims' earlier contacts, the mean
    of their number times its n: with that mean withheld (4 people), both shown would give
    it back, so the one about fewer people is withheld, and then a partner of its own sum."""
    result, meta = _controlled_sums(
        [
            {"statistic": CONTACTS, "members": [[AGENCY, "Police"], [KIND, "Missing"]]},
            {
                "statistic": CONTACTS,
                "members": [[AGENCY, "Health"], [AGENCY, "Police"]],
                "total_of": [PRIOR, ALL, "mean"],
            },
        ],
        [
            _stat(AGENCY, "Health", CONTACTS, 97, 40),
            _stat(AGENCY, "Police", CONTACTS, 50, 30),
            _stat(KIND, "Missing", CONTACTS, 50, 30),
            _stat(PRIOR, ALL, "mean", 147 / 4, 4),
        ],
    )
    shown = result.statistics.set_index("breakdown")["value"]
    assert shown[["Police", "Missing", ALL]].isna().all() and shown["Health"] == 97
    problems = _problems_if_shown(result, meta, "Police", "50")
    assert any("withheld mean" in p for p in problems), problems


def test_a_mean_is_withheld_with_any_band_of_its_column() -> None:
    """One year's time to identification (2,000 records, seed 126, k = 5): 21 of 27 took 2
    to under 5 years, the rest withheld. Its quartiles fix the order of the values and its
    mean their sum, which together capped the open '5 years or more' at 0 to 4 (the fourth
    red team of stop 61), though each alone left it wide: the mean is withheld."""
    bands = [
        "Identified at first contact",
        "Under 6 months",
        "6 to 11 months",
        "1 year to under 2 years",
        "2 years to under 5 years",
        "5 years or more",
        NOT_RECORDED,
    ]
    # two victims of 2021 took 5 years or more: fewer than 5, so 2022's zero is withheld
    years = {
        "2021": dict(zip(bands, [0, 2, 3, 6, 20, 2, 0], strict=True)),
        "2022": dict(zip(bands, [0, 1, 0, 5, 21, 0, 0], strict=True)),
    }
    rows, meta = one_table("journeys_by_year", two_way(years), margin_key="identified")
    declare_band_edges(meta, ProfileSettings())
    stats = pd.DataFrame(
        [
            _stat("journeys_by_year", "2022", "lower_quartile", 845.5, 27),
            _stat("journeys_by_year", "2022", "median", 1166, 27),
            _stat("journeys_by_year", "2022", "upper_quartile", 1296.5, 27),
            _stat("journeys_by_year", "2022", "mean", 28647 / 27, 27),
        ]
    )
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5), stats)
    assert result.audit.passed
    cells = result.tables.set_index(["breakdown", "category"])["count_display"]
    assert cells[("2022", "5 years or more")] == "[c]"
    assert result.statistics.set_index("statistic").loc["mean", "value_display"] == "[c]"
    assert result.log.set_index("category").loc["mean", "rule"] == "statistic_quantile"


def test_a_withheld_mean_does_not_take_the_quartiles_of_the_same_people() -> None:
    """The mean of 733 victims' days withheld (a band of its column is): its n is no secret,
    since the quartiles beside it show the same 733, so they stay (the demo withheld every
    time-to-identification statistic until stop 61)."""
    stats = pd.DataFrame(
        [
            _stat("t", ALL, name, value, 733)
            for name, value in [
                ("lower_quartile", 1000),
                ("median", 1250),
                ("upper_quartile", 1400),
            ]
        ]
        + [_stat("t", ALL, "mean", 1150.5, 733)]
    )
    assert differenced_statistics(stats, {3}, {}, {}, {"t": None}, 5) == set()
    # an n that no shown statistic gives is still a secret: 900 less 733 would give it
    nested = pd.DataFrame(
        [
            _stat("t", ALL, "median_all", 1250, 900),
            _stat("t", ALL, "median_identified", 1200, 733),
            _stat("t", ALL, "median_never_identified", 1300, 167),
        ]
    )
    assert differenced_statistics(nested, {2}, {}, {}, {"t": None}, 5) in ({0}, {1})
