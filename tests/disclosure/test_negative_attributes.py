"""Negative attributes: a zero that says what nobody of a small population has.

The reader's check (:mod:`tests.disclosure.attacker_negative`) reports a zero it knows about
a column or row of 1 to k - 1 people. Published without control, a small column's zeros
("none of the 3 offenders of area C is aged 30 to 39") are found, and so is a small row's
("none of the 3 aged 50 and over is in area C"); a zero over a large population, or one the
``All`` column already shows, is not. gbo withholds a small column's zeros
(``primary.small_population_zeros``); on the earlier code the area C column's zeros were
shown beside its withheld counts. On hypothesis-made worlds of two large areas and a small
one, no controlled release shows such a zero (the earlier code showed one: "none of the 2
recorded in area C is aged 10 to 17").
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from tests.disclosure.attacker import Finding
from tests.disclosure.attacker_negative import negative_attribute_disclosures, truth_of_rows
from tests.disclosure.factories import AGE_BANDS, metadata_for, tabulate
from tests.disclosure.test_attribute_disclosure import _uncontrolled, solved_attack

AREAS = ["Area A", "Area B", "Area C"]


def _people(small_area: list[str], rest: int = 8) -> pd.DataFrame:
    """Areas A and B have ``rest`` people in every age band but the last (3 people, in A and
    B); area C holds ``small_area``."""
    people = [(area, band) for area in AREAS[:2] for band in AGE_BANDS[:-1] for _ in range(rest)]
    people += [("Area A", AGE_BANDS[-1])] * 2 + [("Area B", AGE_BANDS[-1])]
    people += [("Area C", band) for band in small_area]
    return pd.DataFrame(people, columns=["area", "age"])


def _release(people: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    rows = tabulate(people, "age", "age", AGE_BANDS, breakdown="area", breakdowns=AREAS)
    return rows, {"age": metadata_for("age", margin_key="offenders")}


def _read(published: pd.DataFrame, rows: pd.DataFrame, k: int) -> tuple[list[Finding], list[str]]:
    attack, narrow = solved_attack(published, k)
    return narrow, negative_attribute_disclosures(attack, truth_of_rows(rows), k)


# area C: three people, two aged 18 to 24 and one 25 to 29
SMALL_AREA = [AGE_BANDS[1], AGE_BANDS[1], AGE_BANDS[2]]


def test_the_reader_sees_a_small_column_s_zeros_published_without_control() -> None:
    rows, _ = _release(_people(SMALL_AREA))
    _, found = _read(_uncontrolled(rows), rows, 5)
    assert "negative attribute: none of the 3 recorded in age / Area C is 30 to 39" in found
    # the last band (3 people, none in C) is a small row: its zero in C is found too
    assert "negative attribute: none of the 3 recorded as 50 and over in age is Area C" in found
    # the All column and areas A and B are large: their zeros are no finding
    assert not [f for f in found if "/ All " in f or "Area A is" in f or "Area B is" in f]


def test_a_zero_over_a_large_population_is_no_finding() -> None:
    rows, _ = _release(_people(SMALL_AREA * 4))  # area C: 12 people
    _, found = _read(_uncontrolled(rows), rows, 5)
    assert not [f for f in found if "Area C is" in f]


@pytest.mark.parametrize("threshold", [5, 10])
def test_controlled_no_small_column_shows_a_zero(threshold: int) -> None:
    # on the earlier code area C's zeros (10 to 17, 30 to 39 ...) were shown beside its
    # withheld counts: "none of the three in area C is aged 30 to 39"
    rows, meta = _release(_people(SMALL_AREA))
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=threshold))
    assert result.audit.passed
    narrow, found = _read(result.tables, rows, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
    assert found == []
    log = result.log
    assert (log["rule"] == "small_population_zero").any()


ages = st.sampled_from([*AGE_BANDS, None])
# two large areas and a small one: a small column beside rows of any size
areas_and_ages = st.tuples(
    st.lists(st.tuples(st.sampled_from(AREAS[:2]), ages), min_size=50, max_size=120),
    st.lists(st.tuples(st.just(AREAS[2]), ages), min_size=1, max_size=4),
).map(lambda parts: parts[0] + parts[1])


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=areas_and_ages, threshold=st.sampled_from([5, 10]))
def test_small_worlds_show_no_zero_about_a_small_population(
    people: list[tuple[str, str | None]], threshold: int
) -> None:
    rows, meta = _release(pd.DataFrame(people, columns=["area", "age"]))
    result = control_disclosure(rows, meta, DisclosureSettings(threshold=threshold))
    assert result.audit.passed
    narrow, found = _read(result.tables, rows, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
    assert found == []
