"""A comparison with a baseline is worked from the columns it compares: its count of those
recorded, its share not recorded and its shares at full precision are exact relations on
their cells (stop 56's second outside reader recovered primary counts from them). It is
shown only where every cell of those columns is."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.factories import ALL, NOT_RECORDED
from tests.disclosure.tables import one_table

SOURCE, COMPARISON = "offenders_ethnicity_5", "baseline_offenders_ethnicity"
GROUP, ALONE = "In a group", "Alone"


def _controlled(group_other: int, rounding: str = "none") -> DisclosureResult:
    """Offenders by ethnic group, and the census comparison of the "In a group" column."""
    group = {"White": 40, "Asian": 30, "Other": group_other, NOT_RECORDED: 12}
    alone = {"White": 50, "Asian": 20, "Other": 9, NOT_RECORDED: 10}
    every = {c: group[c] + alone[c] for c in group}
    rows, meta = one_table(SOURCE, {ALL: every, GROUP: group, ALONE: alone}, margin_key="offenders")
    meta[COMPARISON] = {
        "title": COMPARISON,
        "margin_key": "offenders",
        "notes": [],
        "statistics_of": [SOURCE, [GROUP]],
    }
    recorded = sum(v for c, v in group.items() if c != NOT_RECORDED)
    total = sum(group.values())
    stats: list[dict[str, Any]] = [
        {"table_id": COMPARISON, "breakdown": ALL, "statistic": "n_recorded",
         "value": recorded, "n": recorded},
        {"table_id": COMPARISON, "breakdown": ALL, "statistic": "pct_not_recorded",
         "value": 100 * group[NOT_RECORDED] / total, "n": total},
        *({"table_id": COMPARISON, "breakdown": c, "statistic": "pct_of_recorded",
           "value": 100 * group[c] / recorded, "n": group[c]} for c in ("White", "Asian", "Other")),
        *({"table_id": COMPARISON, "breakdown": c, "statistic": "population_pct",
           "value": p, "n": None} for c, p in (("White", 81.7), ("Asian", 9.3), ("Other", 2.2))),
    ]  # fmt: skip
    settings = DisclosureSettings(rounding=rounding)
    result = control_disclosure(rows, meta, settings, pd.DataFrame(stats))
    assert result.audit.passed
    return result


def test_a_comparison_is_withheld_with_a_withheld_cell_of_its_column() -> None:
    result = _controlled(group_other=2)  # 2 offenders in a group of the other ethnic groups
    tables = result.tables.set_index(["breakdown", "category"])
    assert tables.loc[(GROUP, "Other"), "count_display"] == "[c]"
    stats = result.statistics
    with_n = stats[stats["n"].notna() | (stats["statistic"] != "population_pct")]
    # n recorded (82) less the shown cells (70) would give the 2 back; so would the shares
    assert (with_n["value_display"] == "[c]").all()
    log = result.log[result.log["table_id"] == COMPARISON]
    assert set(log["rule"]) <= {"statistic_source_withheld", "statistic_threshold"}
    assert "statistic_source_withheld" in set(log["rule"])
    # the census's own shares rest on no one in the records, and stay
    census = stats[stats["statistic"] == "population_pct"]
    assert not (census["value_display"] == "[c]").any()


def test_a_comparison_of_a_column_shown_whole_is_shown() -> None:
    result = _controlled(group_other=12)
    assert not (result.tables["count_display"] == "[c]").any()
    assert not (result.statistics["value_display"] == "[c]").any()


def test_with_counts_rounded_a_comparison_worked_from_the_true_counts_is_withheld() -> None:
    """The sixth red team of stop 61: whole-number shares of those recorded, worked from the
    true counts, of both columns of a table rounded to base 10, pinned a shown 50 to its
    true 47 with the table's additivity. Every figure of the comparison that rests on people
    is withheld; the census's shares stay."""
    result = _controlled(group_other=12, rounding="base5")
    stats = result.statistics
    census = stats["statistic"] == "population_pct"
    assert (stats.loc[~census, "value_display"] == "[c]").all()
    assert not (stats.loc[census, "value_display"] == "[c]").any()
    log = result.log[result.log["table_id"] == COMPARISON]
    assert set(log["rule"]) == {"statistic_rounding"}
