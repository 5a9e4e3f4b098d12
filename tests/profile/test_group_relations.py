"""What the groups and year tables' definitions tell a reader, declared to disclosure."""

from __future__ import annotations

from typing import Any

from gbo.profile.group_relations import GROUP_YEARS, OFFENCE_YEARS, declare_group_relations
from gbo.profile.population import GROUP_BASED, LONE
from gbo.profile.tidy import ALL, TidyTable


def _table(table_id: str, counts: dict[tuple[str, str], int]) -> TidyTable:
    breakdowns = list(dict.fromkeys(b for b, _ in counts))
    categories = list(dict.fromkeys(c for _, c in counts))
    dens = {b: sum(n for (bb, _), n in counts.items() if bb == b) for b in breakdowns}
    return TidyTable(table_id, breakdowns, categories, counts, dens)


def test_years_before_the_first_group_hold_no_group_based_offence() -> None:
    """The second red team of stop 60: groups first offended in 2018 and 2021, so the
    group-based offences of 2012 to 2017 were zeros a reader worked out, withheld for
    nothing; they are structural zeros now. A later year with none (2020) is not: only the
    groups' durations would say so."""
    years = ["2016", "2017", "2018", "2020", "2021"]
    offences = _table(
        OFFENCE_YEARS,
        {
            **{(ALL, y): 3 for y in years},
            **{(GROUP_BASED, y): (2 if y in ("2018", "2021") else 0) for y in years},
            **{(LONE, y): (1 if y in ("2018", "2021") else 3) for y in years},
        },
    )
    groups = _table(GROUP_YEARS, {(ALL, "2018"): 1, (ALL, "2021"): 1})
    metadata: dict[str, Any] = {OFFENCE_YEARS: {}, GROUP_YEARS: {}}
    declare_group_relations(metadata, {OFFENCE_YEARS: offences, GROUP_YEARS: groups})
    assert metadata[OFFENCE_YEARS]["structural_zeros"] == [
        [GROUP_BASED, "2016"],
        [GROUP_BASED, "2017"],
    ]


def test_no_group_listed_says_nothing_of_the_years() -> None:
    offences = _table(OFFENCE_YEARS, {(ALL, "2016"): 3, (GROUP_BASED, "2016"): 0})
    metadata: dict[str, Any] = {OFFENCE_YEARS: {}}
    declare_group_relations(metadata, {OFFENCE_YEARS: offences})
    assert "structural_zeros" not in metadata[OFFENCE_YEARS]
