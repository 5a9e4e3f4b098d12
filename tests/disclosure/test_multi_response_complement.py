"""In a table where a person (or case review) may count under several categories, each
category splits its column in two: those with it and those without. A shown count and its
shown total give the second part, a count in its own right."""

from __future__ import annotations

import pandas as pd

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.factories import ALL
from tests.disclosure.tables import one_table


def _complements(published: pd.DataFrame, threshold: int) -> list[tuple[str, str, int]]:
    out = []
    for r in published.itertuples(index=False):
        count, total = str(r.count_display), str(r.denominator_display)
        if count.isdigit() and total.replace(",", "").isdigit():
            rest = int(total.replace(",", "")) - int(count)
            if 0 < rest < threshold:
                out.append((str(r.breakdown), str(r.category), rest))
    return out


def test_all_but_a_few_in_a_multi_response_column_is_withheld() -> None:
    themes = {ALL: {"Information not shared": 5, "Warnings ignored": 5, "Disbelieved": 0}}
    rows, meta = one_table(
        "themes", themes, margin_key="reviews", is_additive=False, denominators={ALL: 6}
    )
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=5))
    assert result.audit.passed
    assert _complements(result.tables, 5) == []
