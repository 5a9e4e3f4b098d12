"""What the groups and year tables' definitions tell a reader, declared to disclosure."""

from __future__ import annotations

from typing import Any

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.profile.band_edges import band_edges
from gbo.profile.group_relations import (
    DURATIONS,
    GROUP_YEARS,
    OFFENCE_YEARS,
    declare_group_relations,
)
from gbo.profile.population import ALONE, GROUP_BASED, IN_GROUP, LONE
from gbo.profile.settings import DEFAULT_DURATION_BANDS
from gbo.profile.tidy import ALL, TidyTable
from gbo.schema.codes import NOT_RECORDED
from tests.profile.declared_tables import controlled_rows, tidy_table


def test_years_before_the_first_group_hold_no_group_based_offence() -> None:
    """The second red team of stop 60: groups first offended in 2018 and 2021, so the
    group-based offences of 2012 to 2017 were zeros a reader worked out, withheld for
    nothing; they are structural zeros now. A later year with none (2020) is not: only the
    groups' durations would say so."""
    years = ["2016", "2017", "2018", "2020", "2021"]
    offences = tidy_table(
        OFFENCE_YEARS,
        {
            **{(ALL, y): 3 for y in years},
            **{(GROUP_BASED, y): (2 if y in ("2018", "2021") else 0) for y in years},
            **{(LONE, y): (1 if y in ("2018", "2021") else 3) for y in years},
        },
    )
    groups = tidy_table(GROUP_YEARS, {(ALL, "2018"): 1, (ALL, "2021"): 1})
    metadata: dict[str, Any] = {OFFENCE_YEARS: {}, GROUP_YEARS: {}}
    declare_group_relations(metadata, {OFFENCE_YEARS: offences, GROUP_YEARS: groups})
    assert metadata[OFFENCE_YEARS]["structural_zeros"] == [
        [GROUP_BASED, "2016"],
        [GROUP_BASED, "2017"],
    ]


def test_no_group_listed_says_nothing_of_the_years() -> None:
    offences = tidy_table(OFFENCE_YEARS, {(ALL, "2016"): 3, (GROUP_BASED, "2016"): 0})
    metadata: dict[str, Any] = {OFFENCE_YEARS: {}}
    declare_group_relations(metadata, {OFFENCE_YEARS: offences})
    assert "structural_zeros" not in metadata[OFFENCE_YEARS]


YEARS = ["2018", "2019", "2020", "2021", "2022", "2023"]
GROUP_BASED_OFFENCES = dict(zip(YEARS, [20, 15, 0, 25, 10, 0], strict=True))
LONE_OFFENCES = dict(zip(YEARS, [8, 6, 9, 7, 6, 12], strict=True))
# 13 groups, all active for under six months: none reaches a year two after its first
SHORT_GROUPS = {"Under 1 month": 5, "1 to 5 months": 8, "6 to 11 months": 0}
LONG_BANDS = {"1 year to under 2 years": 0, "2 years or more": 0}


def _years_and_groups() -> tuple[dict[str, TidyTable], dict[str, Any]]:
    offences = tidy_table(
        OFFENCE_YEARS,
        {
            **{(ALL, y): GROUP_BASED_OFFENCES[y] + LONE_OFFENCES[y] for y in YEARS},
            **{(GROUP_BASED, y): GROUP_BASED_OFFENCES[y] for y in YEARS},
            **{(LONE, y): LONE_OFFENCES[y] for y in YEARS},
        },
    )
    groups = tidy_table(GROUP_YEARS, {(ALL, "2018"): 6, (ALL, "2021"): 7, (ALL, NOT_RECORDED): 0})
    # every group has a duration, so every group has a first year (seed 96: the groups
    # without a first year were withheld, and the durations' "Not recorded" 0 said there
    # were none)
    bands = SHORT_GROUPS | LONG_BANDS | {NOT_RECORDED: 0}
    durations = tidy_table(DURATIONS, {(ALL, c): n for c, n in bands.items()})
    by_id = {OFFENCE_YEARS: offences, GROUP_YEARS: groups, DURATIONS: durations}
    metadata: dict[str, Any] = {t: {} for t in by_id}
    metadata[DURATIONS]["bands"] = band_edges(DEFAULT_DURATION_BANDS)
    return by_id, metadata


def _holds(relation: dict[str, Any], by_id: dict[str, TidyTable]) -> bool:
    total = sum(by_id[t].count(b, c) * k for t, b, c, k in relation["terms"])
    return bool(total <= relation["at_most"])


def test_a_year_no_group_reaches_holds_no_group_based_offence() -> None:
    """Groups began in 2018 and 2021 and none lasted six months: 2020 and 2023 are two
    years after a group's first offence, so their group-based offences are none unless a
    group lasted a year or more (the second red team of stop 60)."""
    by_id, metadata = _years_and_groups()
    declare_group_relations(metadata, by_id)
    relations = metadata[OFFENCE_YEARS]["relations"]
    assert all(_holds(r, by_id) for r in relations)
    pinned = {
        r["terms"][0][2]
        for r in relations
        if all(by_id[t].count(b, c) == 0 for t, b, c, _k in r["terms"][1:])
    }
    assert pinned == {"2020", "2023"}


def test_the_withheld_zeros_of_those_years_are_protected() -> None:
    """Every offence of 2020 and 2023 was lone, so their group-based zeros are withheld;
    the groups' long-duration zeros and the zeros of groups without dates would give them
    back, so one of those is withheld too."""
    by_id, metadata = _years_and_groups()
    declare_group_relations(metadata, by_id)
    rows, meta = controlled_rows(by_id, metadata)
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5))
    assert result.audit.passed
    shown = result.tables.set_index(["table_id", "breakdown", "category"])["count_display"]
    assert shown[(OFFENCE_YEARS, GROUP_BASED, "2020")] == "[c]"
    ruling_out = [
        *((DURATIONS, ALL, c) for c in [*LONG_BANDS, NOT_RECORDED]),
        (GROUP_YEARS, ALL, NOT_RECORDED),
    ]
    assert "[c]" in {shown[figure] for figure in ruling_out}
    # without the declaration nothing ties them, and the figures that rule them out are shown
    for table in metadata.values():
        table.pop("relations", None)
    bare = control_disclosure(*controlled_rows(by_id, metadata), DisclosureSettings())
    shown = bare.tables.set_index(["table_id", "breakdown", "category"])["count_display"]
    assert {shown[figure] for figure in ruling_out} == {"0"}


MIX, OFFENCE_TYPES = "groups_offence_mix", "scale_offence_type"


def _mix_and_offences() -> tuple[dict[str, TidyTable], dict[str, Any]]:
    """Six groups, none with an offence of grooming, whose two offences were lone (the
    seventh red team of stop 62, on a world of 120 records)."""
    kinds = {"Rape": (14, 3), "Sexual assault": (12, 4), "Grooming": (0, 2)}
    offences = tidy_table(
        OFFENCE_TYPES,
        {
            **{(ALL, k): g + lone for k, (g, lone) in kinds.items()},
            **{(GROUP_BASED, k): g for k, (g, _) in kinds.items()},
            **{(LONE, k): lone for k, (_, lone) in kinds.items()},
        },
    )
    mix = tidy_table(MIX, {(ALL, "Rape"): 6, (ALL, "Sexual assault"): 5, (ALL, "Grooming"): 0})
    by_id = {OFFENCE_TYPES: offences, MIX: mix}
    return by_id, {t: {} for t in by_id}


def test_no_group_with_an_offence_group_means_no_group_based_offence_of_it() -> None:
    """A group-based offence is some group's: where the mix shows no group with grooming,
    the group-based grooming offences are none, so the two of them withheld as the row's
    only lone offences (a zero beside withheld cells) would come back from the mix's 0."""
    by_id, metadata = _mix_and_offences()
    declare_group_relations(metadata, by_id)
    relations = metadata[OFFENCE_TYPES]["relations"]
    assert all(_holds(r, by_id) for r in relations)
    pinned = {r["terms"][0][2] for r in relations if by_id[MIX].count(ALL, r["terms"][1][2]) == 0}
    assert pinned == {"Grooming"}
    rows, meta = controlled_rows(by_id, metadata, multi_response={MIX})
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5))
    assert result.audit.passed
    shown = result.tables.set_index(["table_id", "breakdown", "category"])["count_display"]
    assert shown[(OFFENCE_TYPES, GROUP_BASED, "Grooming")] == "[c]"
    assert shown[(MIX, ALL, "Grooming")] == "[c]"


OFFENDER_YEARS = "scale_offenders_by_year"


def test_offenders_in_a_group_first_offended_in_a_group_based_offence() -> None:
    """A group's offences are every offence naming a member, so an offender in a group
    first offended in a group-based offence: before the first group began (2014) the
    offenders in a group are structural zeros, and a later year with no group-based offence
    (2016) has none either (the eighth red team of stop 62 pinned the withheld zeros of
    2012 and 2013, about 2 and 3 offenders, from the offences' [z])."""
    years = ["2012", "2013", "2014", "2015", "2016"]
    group_based = dict(zip(years, [0, 0, 12, 9, 0], strict=True))
    in_group = dict(zip(years, [0, 0, 6, 4, 0], strict=True))
    alone = dict(zip(years, [2, 3, 7, 8, 6], strict=True))
    # two offenders alone shared one offence of 2014
    lone = dict(zip(years, [2, 4, 6, 9, 6], strict=True))
    offenders = tidy_table(
        OFFENDER_YEARS,
        {
            **{(ALL, y): in_group[y] + alone[y] for y in years},
            **{(IN_GROUP, y): in_group[y] for y in years},
            **{(ALONE, y): alone[y] for y in years},
        },
    )
    offences = tidy_table(
        OFFENCE_YEARS,
        {
            **{(ALL, y): group_based[y] + lone[y] for y in years},
            **{(GROUP_BASED, y): group_based[y] for y in years},
            **{(LONE, y): lone[y] for y in years},
        },
    )
    groups = tidy_table(GROUP_YEARS, {(ALL, "2014"): 2, (ALL, "2015"): 1})
    by_id = {OFFENDER_YEARS: offenders, OFFENCE_YEARS: offences, GROUP_YEARS: groups}
    metadata: dict[str, Any] = {t: {} for t in by_id}
    declare_group_relations(metadata, by_id)
    assert metadata[OFFENDER_YEARS]["structural_zeros"] == [[IN_GROUP, "2012"], [IN_GROUP, "2013"]]
    relations = metadata[OFFENDER_YEARS]["relations"]
    assert all(_holds(r, by_id) for r in relations)
    pinned = {
        r["terms"][0][2]
        for r in relations
        if r["terms"][1][:2] == [OFFENCE_YEARS, GROUP_BASED]
        and offences.count(GROUP_BASED, r["terms"][1][2]) == 0
    }
    assert pinned == {"2012", "2013", "2016"}
    # an offender alone first offended in a lone offence of their own, where that holds
    alone_within = {
        r["terms"][0][2] for r in relations if r["terms"][1][:2] == [OFFENCE_YEARS, LONE]
    }
    assert alone_within == {"2012", "2013", "2015", "2016"}
    rows, meta = controlled_rows(by_id, metadata)
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5))
    assert result.audit.passed
    shown = result.tables.set_index(["table_id", "breakdown", "category"])["count_display"]
    assert shown[(OFFENDER_YEARS, IN_GROUP, "2012")] == "[z]"
    # 2016's six offenders all alone: the all-in-one-category rule withholds the row, and
    # 2016's group-based zero, which would give it back, is withheld too
    assert shown[(OFFENDER_YEARS, IN_GROUP, "2016")] == "[c]"
    assert shown[(OFFENCE_YEARS, GROUP_BASED, "2016")] == "[c]"
