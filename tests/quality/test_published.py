"""The published copy of the data quality page withholds small counts by characteristic."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.disclosure.symbols import CONFIDENTIAL
from gbo.quality.published import mask_bias_rows, mask_small_counts

COUNTS = ("n_records", "n_linked", "n_missed_link")


def _row(dimension: str, group: str, records: int, linked: int, missed: int) -> dict[str, object]:
    return {
        "dimension": dimension,
        "group": group,
        "n_records": records,
        "n_linked": linked,
        "pct_linked": 100 * linked / records if records else 0.0,
        "n_missed_link": missed,
        "pct_missed_link": 100 * missed / records if records else 0.0,
    }


def test_a_small_count_and_the_next_smallest_are_withheld_with_their_percentages() -> None:
    rows = [
        _row("sex", "F", 120, 60, 3),
        _row("sex", "M", 90, 40, 0),
        _row("sex", "Not recorded", 30, 10, 8),
        _row("age_band", "10 to 12", 2, 1, 0),
        _row("age_band", "13 to 15", 40, 30, 1),
        _row("age_band", "16 to 17", 198, 79, 10),
    ]
    masked = {(r["dimension"], r["group"]): r for r in mask_bias_rows(rows, threshold=5)}
    assert masked["sex", "F"]["n_missed_link"] == CONFIDENTIAL
    assert masked["sex", "F"]["pct_missed_link"] == CONFIDENTIAL
    assert masked["sex", "Not recorded"]["n_missed_link"] == CONFIDENTIAL  # next smallest > 0
    assert masked["sex", "M"]["n_missed_link"] == 0
    assert masked["sex", "F"]["n_linked"] == 60
    # a group with few records is withheld whole, and another group with it
    assert all(v == CONFIDENTIAL for k, v in masked["age_band", "10 to 12"].items()
               if k not in ("dimension", "group"))  # fmt: skip
    assert masked["age_band", "13 to 15"]["n_records"] == CONFIDENTIAL
    assert masked["age_band", "16 to 17"]["n_records"] == 198
    assert rows[0]["n_missed_link"] == 3  # the input is not changed


group_rows = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=6
)


@settings(max_examples=200, deadline=None)
@given(st.lists(group_rows, min_size=1, max_size=3), st.integers(2, 10))
def test_no_small_count_is_shown_and_none_is_withheld_alone(
    dimensions: list[list[tuple[int, int, int]]], threshold: int
) -> None:
    rows = [
        _row(f"d{d}", f"g{g}", records, min(linked, records), min(missed, records))
        for d, groups in enumerate(dimensions)
        for g, (records, linked, missed) in enumerate(groups)
    ]
    masked = mask_bias_rows(rows, threshold)
    for row in masked:
        for column in COUNTS:
            value = row[column]
            assert value == CONFIDENTIAL or not 0 < value < threshold
            if column != "n_records" and value == CONFIDENTIAL:
                assert row["pct" + column[1:]] == CONFIDENTIAL
    for d in range(len(dimensions)):
        group = [r for r in masked if r["dimension"] == f"d{d}"]
        for column in COUNTS:
            withheld = sum(r[column] == CONFIDENTIAL for r in group)
            assert withheld != 1 or len(group) == 1


def test_small_unmapped_code_counts_are_withheld() -> None:
    rows = [{"code_value": "ZQ", "n_rows": 3}, {"code_value": "XX", "n_rows": 12}]
    assert [r["n_rows"] for r in mask_small_counts(rows, "n_rows", 5)] == [CONFIDENTIAL, 12]
