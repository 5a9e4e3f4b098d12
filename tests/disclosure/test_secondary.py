"""Secondary suppression on awkward but common shapes: it settles quickly and passes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.factories import metadata_for, tabulate


def offences(n: int, seed: int) -> pd.DataFrame:
    """Offences with a breakdown column that holds a single offence, and an empty category."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(["Group-based", "Lone offending"], size=n).astype(object)
    kind[0] = "No offender recorded"
    return pd.DataFrame(
        {
            "kind": kind,
            "year": rng.choice(
                ["2019", "2020", "2021", "2022", "2023"], size=n, p=[0.02, 0.2, 0.3, 0.3, 0.18]
            ),
            "type": rng.choice(
                ["Rape", "Assault", "Grooming", "Familial"], size=n, p=[0.4, 0.3, 0.27, 0.03]
            ),
        }
    )


def test_tiny_breakdown_column_across_linked_tables_settles() -> None:
    data = offences(400, seed=3)
    split = ("Group-based", "Lone offending", "No offender recorded")
    rows = pd.concat(
        [
            tabulate(
                data,
                "by_year",
                "year",
                ["2019", "2020", "2021", "2022", "2023"],
                breakdown="kind",
                breakdowns=split,
            ),
            tabulate(
                data,
                "by_type",
                "type",
                ["Rape", "Assault", "Grooming", "Familial"],
                breakdown="kind",
                breakdowns=split,
            ),
            tabulate(data, "by_kind", "kind", split, has_not_recorded=False),
        ],
        ignore_index=True,
    )
    meta = {t: metadata_for(t, margin_key="offences") for t in ("by_year", "by_type", "by_kind")}
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert result.audit.passed
    assert result.metrics["secondary_rounds"] <= 5
    # the single offence's column total is hidden everywhere it appears
    tiny = result.tables[result.tables["breakdown"] == "No offender recorded"]
    assert (tiny["denominator_display"] == "[c]").all()
    by_kind = result.tables[result.tables["table_id"] == "by_kind"].set_index("category")
    assert by_kind.loc["No offender recorded", "count_display"] == "[c]"
    # zeros are complements of last resort
    secondary = result.tables[result.tables["suppression"] == "secondary"]
    truth = rows.set_index(["table_id", "breakdown", "category"])["count"]
    zeros = [
        # pandas-stubs type a row's fields as any scalar or NA, which a MultiIndex lookup refuses
        truth[(r.table_id, r.breakdown, r.category)] == 0  # type: ignore[index]
        for r in secondary.itertuples()
    ]
    assert sum(zeros) <= len(zeros) // 2


def test_labelled_group_is_one_figure_across_margin_groups() -> None:
    from tests.disclosure.tables import table_rows

    victims = table_rows(
        "victims_marker", {"All": {"Looked after": 12, "Missing": 3, "Neither": 40}}
    )
    pairs = table_rows(
        "marker_pairs",
        {
            "All": {"Older": 9, "Younger": 6},
            "Looked after": {"Older": 7, "Younger": 5},
            "Missing": {"Older": 2, "Younger": 1},
        },
        denominators={"All": 15, "Looked after": 12, "Missing": 3},
    )
    rows = pd.concat([victims, pairs], ignore_index=True)
    meta = {
        "victims_marker": metadata_for("victims_marker", margin_key="victims"),
        "marker_pairs": metadata_for(
            "marker_pairs",
            margin_key="victims_with_marker",
            is_additive=False,
            population_subset_of="victims",
        ),
    }
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert result.audit.passed
    table = result.tables.set_index(["table_id", "breakdown", "category"])
    # a tuple on a MultiIndex selects a row: pandas-stubs take a tuple for (row, column)
    looked_after = table.loc[("victims_marker", "All", "Looked after")]  # type: ignore[index]
    pairs_total = table.loc[("marker_pairs", "Looked after", "Older")]  # type: ignore[index]
    # the 12 looked-after victims are the same people in both tables: shown or hidden alike
    assert (looked_after["count_display"] == "[c]") == (pairs_total["denominator_display"] == "[c]")
    assert looked_after["count_display"] == "[c]"


def test_empty_category_and_one_category_year_settle() -> None:
    # 'No offender recorded' never occurs; in 2012 every offence was lone offending
    rng = np.random.default_rng(5)
    kind = rng.choice(["Group-based", "Lone offending"], size=300).astype(object)
    year = rng.choice(["2013", "2014", "2015"], size=300).astype(object)
    year[:18] = "2012"
    kind[:18] = "Lone offending"
    data = pd.DataFrame({"kind": kind, "year": year})
    split = ("Group-based", "Lone offending", "No offender recorded")
    years = ["2012", "2013", "2014", "2015"]
    rows = pd.concat(
        [
            tabulate(data, "by_year", "year", years, breakdown="kind", breakdowns=split),
            tabulate(data, "share", "kind", split, breakdown="year", breakdowns=years),
        ],
        ignore_index=True,
    )
    meta = {t: metadata_for(t, margin_key="offences") for t in ("by_year", "share")}
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert result.audit.passed
    assert result.metrics["secondary_rounds"] <= 3
    table = result.tables.set_index(["table_id", "breakdown", "category"])
    # the 2012 column discloses that every offence was lone offending: withheld
    assert table.loc[("share", "2012", "Lone offending"), "count_display"] == "[c]"
    assert table.loc[("share", "2012", "Group-based"), "count_display"] == "[c]"
    # the category nobody has stays a plain zero: it says nothing new
    assert table.loc[("share", "2012", "No offender recorded"), "count_display"] == "0"
