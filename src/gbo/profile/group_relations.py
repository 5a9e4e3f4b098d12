"""What the groups and year tables' definitions tell a reader, declared to disclosure control.

An outside reader found these in December 2026 (docs/methodology/disclosure-history.md):

* **Group sizes.** Groups partition the offenders in a group, so the groups by number of
  offenders (``groups_size``) bound the offenders "In a group" (``offenders_group_status``):
  at least the sum over the bands of each band's lower end times its groups, at most the same
  with the upper ends (an open band, "10 or more", ends at the whole figure: no group holds
  more offenders than all offenders in a group).
* **Victims per group.** Where no child is a victim of two groups, the groups by number of
  linked victims (``groups_victims``) bound the group-based victims (the "Group-based" column
  of ``victims_sex``) in the same way; "None recorded" counts no victim.
* **Offence mix.** A group with an offence of an offence group holds at least one group-based
  offence of it, so the groups with it (``groups_offence_mix``) are at most the group-based
  offences of that offence group (``scale_offence_type``) where no offence belongs to two
  groups. The other way, a group-based offence is some group's, so where no group has an
  offence of an offence group there is no group-based offence of it: the group-based
  offences of it are at most all group-based offences times the groups with it (the seventh
  red team of stop 62 read withheld zeros of group-based offences off the mix's shown
  zeros). The same holds both ways of the groups with an online element
  (``groups_online``) and the group-based offences with one (``context_online``).
* **Years seen.** A group listed under a year has its first offence, a group-based offence,
  in that year, so the groups of a year are at most its group-based offences (and, where it
  holds, at most the offenders in a group who first offended that year: a reader may take
  it). That a listed year was seen at all is declared for every table
  (:meth:`gbo.profile.tidy.TidyTable.listed_relations`). A group-based offence belongs to a
  group whose first offence came no later, so in a year before the first listed year of
  ``scale_groups_by_year`` there is none: those cells of ``scale_offences_by_year`` are
  structural zeros (``[z]``), not figures to protect (the second red team of stop 60 worked
  them out from the groups tables; withheld, they protected nothing). A group's offences are
  every offence that names one of its members, so every offence of an offender in a group
  is group-based: the offenders in a group who first offended in a year are none unless
  some group-based offence fell in it (at most all offenders in a group times that year's
  group-based offences), and before the first group's first offence they too are structural
  zeros (the eighth red team of stop 62 pinned two withheld zeros, about years of 2 and 3
  offenders, from the offences' ``[z]``). An offender alone first offended in a lone
  offence, and where no two of them share one (as that reader took it), the offenders alone
  of a year are at most its lone offences.

* **Years a group reaches.** A group's offences lie between its first and last dates, and
  its duration (``groups_duration``) is the days between them, so a group whose first
  offence fell in year *f* and whose duration band ends at *u* days offends in no year after
  *f* + ⌈*u* / 365⌉. The group-based offences of a year *Y* are therefore none unless a
  group began in one of the *r* years up to *Y*, or a group's band reaches *r* years or
  more: for every *r*, at most the group-based offences of all years times the groups
  of those years and of those bands (an open band, and a group without a first year or a
  duration, reaches any year; a group without a first year has no duration either, so the
  former are at most the latter). The second red team of stop 60 ruled out the group-based
  offences of years no group reached, when every group lasted under a year; declared, the
  withheld zeros of those years are protected (or the groups figures that rule them out
  withheld).

Each is declared as explicit relations (``relations``, :mod:`gbo.disclosure.declared`), which
keeps a relation only where it holds on the true figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gbo.disclosure.quantile_control import band_of
from gbo.profile.categories import YES
from gbo.profile.contained_relations import declare_at_most
from gbo.profile.population import ALONE, GROUP_BASED, IN_GROUP, LONE, VICTIM_GROUP
from gbo.profile.tidy import ALL, TidyTable
from gbo.schema.codes import NOT_RECORDED

NONE_RECORDED = "None recorded"  # a group with no linked victim
# banded groups table -> (table, breakdown, category) of the people its bands count
BANDED_SUMS = {
    "groups_size": ("offenders_group_status", ALL, IN_GROUP),
    "groups_victims": ("victims_sex", VICTIM_GROUP, None),
}
OFFENCE_MIX = ("groups_offence_mix", "scale_offence_type")
ONLINE = ("groups_online", "context_online")
GROUP_YEARS, OFFENCE_YEARS = "scale_groups_by_year", "scale_offences_by_year"
DURATIONS = "groups_duration"
DAYS_A_YEAR = 365
OFFENDER_YEARS = "scale_offenders_by_year"


def _relate(metadata: dict[str, Any], table_id: str, relation: dict[str, Any]) -> None:
    metadata[table_id].setdefault("relations", []).append(relation)


def _band(category: str) -> tuple[float, float]:
    if category == NONE_RECORDED:
        return 0.0, 0.0
    found = band_of(category)
    return (0.0, math.inf) if found is None else found


def _declare_banded_sums(metadata: dict[str, Any], by_id: Mapping[str, TidyTable]) -> None:
    for table_id, (people_id, breakdown, category) in BANDED_SUMS.items():
        groups, people = by_id.get(table_id), by_id.get(people_id)
        if groups is None or people is None or table_id not in metadata:
            continue
        if ALL not in groups.breakdowns or breakdown not in people.breakdowns:
            continue
        if category is not None and category not in people.categories:
            continue
        bands = {c: _band(c) for c in groups.categories}
        person = [people_id, breakdown, category]
        low = [[table_id, ALL, c, lo] for c, (lo, _) in bands.items() if lo > 0]
        _relate(
            metadata,
            table_id,
            {
                "terms": [*low, [*person, -1]],
                "at_most": 0,
                "description": f"each group in a band counts at least the band's lower end of "
                f"'{people_id}' {breakdown} {category or 'total'}",
            },
        )
        # An open band ("10 or more") ends at the whole figure: no group is larger.
        whole = (
            people.denominators.get(breakdown, 0)
            if category is None
            else people.counts.get((breakdown, category), 0)
        )
        bands = {
            c: (lo, hi if math.isfinite(hi) else float(whole)) for c, (lo, hi) in bands.items()
        }
        if whole > 0:
            high = [[table_id, ALL, c, -hi] for c, (_, hi) in bands.items() if hi > 0]
            _relate(
                metadata,
                table_id,
                {
                    "terms": [[*person, 1], *high],
                    "at_most": 0,
                    "description": f"each group in a band counts at most the band's upper end "
                    f"of '{people_id}' {breakdown} {category or 'total'}",
                },
            )


def _declare_groups_within_offences(
    metadata: dict[str, Any],
    by_id: Mapping[str, TidyTable],
    groups_id: str,
    offences_id: str,
    why: str,
    within: str = GROUP_BASED,
) -> None:
    """Groups with a category (an offence group, the year of their first offence) at most
    the group-based offences (``within``: the breakdown of ``offences_id``) of it: each such
    group holds one, and none is in two groups. ``why`` is the description, with ``{}`` for
    the category."""
    groups, offences = by_id.get(groups_id), by_id.get(offences_id)
    if groups is None or offences is None or groups_id not in metadata:
        return
    if ALL not in groups.breakdowns or within not in offences.breakdowns:
        return
    for category in groups.categories:
        if category == NOT_RECORDED or category not in offences.categories:
            continue
        declare_at_most(
            metadata,
            groups_id,
            (groups_id, ALL, category),
            (offences_id, within, category),
            why.format(category),
        )


def _declare_none_without(
    metadata: dict[str, Any],
    by_id: Mapping[str, TidyTable],
    part: tuple[str, str],
    holder: tuple[str, str],
    why: str,
    only: str | None = None,
) -> None:
    """In each category both tables list (``only``: that one alone), the ``part`` column's
    figure at most all of that column times the ``holder`` column's: none without one. ``why``
    is the description, with ``{}`` for the category."""
    parts, holders = by_id.get(part[0]), by_id.get(holder[0])
    if parts is None or holders is None or part[0] not in metadata:
        return
    if part[1] not in parts.breakdowns or holder[1] not in holders.breakdowns:
        return
    scale = parts.denominators.get(part[1], 0)
    for category in parts.categories:
        if category == NOT_RECORDED or category not in holders.categories or scale <= 0:
            continue
        if only is not None and category != only:
            continue
        _relate(
            metadata,
            part[0],
            {
                "terms": [[*part, category, 1], [*holder, category, -scale]],
                "at_most": 0,
                "description": why.format(category),
            },
        )


def _declare_years_before_groups(metadata: dict[str, Any], by_id: Mapping[str, TidyTable]) -> None:
    """Group-based offences, and offenders in a group, of a year before the first group's
    first offence: none."""
    groups = by_id.get(GROUP_YEARS)
    started = (
        [int(y) for y in groups.categories if y.isdigit() and groups.count(ALL, y) > 0]
        if groups is not None
        else []
    )
    if not started:
        return  # no group listed: nothing says when groups began
    first = min(started)
    for table_id, within in ((OFFENCE_YEARS, GROUP_BASED), (OFFENDER_YEARS, IN_GROUP)):
        table = by_id.get(table_id)
        if table is None or table_id not in metadata or within not in table.breakdowns:
            continue
        for year in table.categories:
            if year.isdigit() and int(year) < first and table.count(within, year) == 0:
                zeros = metadata[table_id].setdefault("structural_zeros", [])
                zeros.append([within, year])


def _declare_alone_within_lone(metadata: dict[str, Any], by_id: Mapping[str, TidyTable]) -> None:
    """Offenders alone who first offended in a year at most its lone offences, in the years
    where that holds (two offenders alone may share an offence: then it says nothing)."""
    offenders, offences = by_id.get(OFFENDER_YEARS), by_id.get(OFFENCE_YEARS)
    if offenders is None or offences is None or OFFENDER_YEARS not in metadata:
        return
    if ALONE not in offenders.breakdowns or LONE not in offences.breakdowns:
        return
    for year in offenders.categories:
        if not (year.isdigit() and year in offences.categories):
            continue
        if offenders.count(ALONE, year) <= offences.count(LONE, year):
            declare_at_most(
                metadata,
                OFFENDER_YEARS,
                (OFFENDER_YEARS, ALONE, year),
                (OFFENCE_YEARS, LONE, year),
                f"an offender alone who first offended in {year} did so in a lone offence of "
                "their own",
            )


def _reach(high: float | None) -> float:
    """The most calendar years after its first a group of at most ``high`` days offends in:
    from 31 December, each further year takes 365 days more than the first."""
    return math.inf if high is None else math.ceil(high / DAYS_A_YEAR)


def _declare_years_groups_reach(metadata: dict[str, Any], by_id: Mapping[str, TidyTable]) -> None:
    """Group-based offences of a year at most all of them times the groups that may reach
    it, for each number of years back (module docstring)."""
    groups, offences = by_id.get(GROUP_YEARS), by_id.get(OFFENCE_YEARS)
    durations = by_id.get(DURATIONS)
    bands = (metadata.get(DURATIONS) or {}).get("bands")
    if groups is None or offences is None or durations is None or not bands:
        return
    if OFFENCE_YEARS not in metadata or GROUP_BASED not in offences.breakdowns:
        return
    if ALL not in groups.breakdowns or ALL not in durations.breakdowns:
        return
    scale = offences.denominators.get(GROUP_BASED, 0)
    if scale <= 0:
        return
    if NOT_RECORDED in groups.categories and NOT_RECORDED in durations.categories:
        declare_at_most(
            metadata,
            GROUP_YEARS,
            (GROUP_YEARS, ALL, NOT_RECORDED),
            (DURATIONS, ALL, NOT_RECORDED),
            "a group without a first offence date has no duration",
        )
    reach = {str(label): _reach(high) for label, _low, high in bands}
    # a group without a first year or a duration may reach any year
    any_year = [[GROUP_YEARS, ALL, c, -scale] for c in groups.categories if not c.isdigit()]
    # beyond the longest closed band, only the open band and groups of unknown reach remain
    steps = int(max((r for r in reach.values() if math.isfinite(r)), default=0))
    for year in offences.categories:
        if not year.isdigit():
            continue
        for back in range(1, steps + 2):
            began = [
                [GROUP_YEARS, ALL, str(int(year) - r), -scale]
                for r in range(back)
                if str(int(year) - r) in groups.categories
            ]
            longer = [
                [DURATIONS, ALL, c, -scale]
                for c in durations.categories
                if reach.get(c, math.inf) >= back
            ]
            if len(longer) == len(durations.categories):
                continue  # every group may reach back that far: says nothing
            _relate(
                metadata,
                OFFENCE_YEARS,
                {
                    "terms": [[OFFENCE_YEARS, GROUP_BASED, year, 1], *began, *longer, *any_year],
                    "at_most": 0,
                    "description": f"group-based offences of {year} only in groups that began "
                    f"in the {back} years up to it or lasted long enough to reach it",
                },
            )


def declare_group_relations(metadata: dict[str, Any], by_id: Mapping[str, TidyTable]) -> None:
    """Every relation of the module docstring, in the metadata of the tables it concerns."""
    _declare_banded_sums(metadata, by_id)
    _declare_years_before_groups(metadata, by_id)
    _declare_years_groups_reach(metadata, by_id)
    _declare_none_without(
        metadata,
        by_id,
        (OFFENDER_YEARS, IN_GROUP),
        (OFFENCE_YEARS, GROUP_BASED),
        "an offender in a group who first offended in {} did so in a group-based offence",
    )
    _declare_alone_within_lone(metadata, by_id)
    _declare_groups_within_offences(
        metadata, by_id, *OFFENCE_MIX, "a group with an offence of '{}' holds a group-based one"
    )
    _declare_none_without(
        metadata,
        by_id,
        (OFFENCE_MIX[1], GROUP_BASED),
        (OFFENCE_MIX[0], ALL),
        "a group-based offence of '{}' is a group's with one",
    )
    _declare_groups_within_offences(
        metadata,
        by_id,
        *ONLINE,
        "a group of online element '{0}' holds a group-based offence of '{0}'",
    )
    _declare_none_without(
        metadata,
        by_id,
        (ONLINE[1], GROUP_BASED),
        (ONLINE[0], ALL),
        "a group-based offence of '{}' is a group's with one",
        only=YES,
    )
    _declare_groups_within_offences(
        metadata,
        by_id,
        GROUP_YEARS,
        OFFENCE_YEARS,
        "each group of {0} has its first offence, a group-based one, in {0}",
    )
    # A member of a group first offended by then; members of two groups are two people.
    _declare_groups_within_offences(
        metadata,
        by_id,
        GROUP_YEARS,
        OFFENDER_YEARS,
        "each group of {0} has a member who first offended in {0}",
        IN_GROUP,
    )
