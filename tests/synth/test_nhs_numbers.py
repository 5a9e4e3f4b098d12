"""Synthetic NHS numbers: from the test range, one per person who has one, recorded at declared
shares."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.config import load_config
from gbo.errors import GboError
from gbo.ingest.ingest_run import ingest_sources
from gbo.ingest.settings import IngestSettings
from gbo.schema.nhs_number import CHECK_DIGIT_FAILS, is_valid_nhs_number, nhs_check_digit
from gbo.synth import SynthOutput, SynthSettings, generate
from gbo.synth.nhs_numbers import (
    NOT_RECORDED,
    allocate_nhs_numbers,
    check_digits,
    draw_nhs_numbers,
    format_nhs_numbers,
    holders_count,
    numbers_in_test_range,
    record_nhs_numbers,
    swap_adjacent_digits,
)
from tests.synth.exports import read_health, read_police, read_social_care

ID_COLUMNS = {"police": "NominalRef", "social_care": "Child ID", "health": "patient_id"}
NHS_COLUMNS = {"police": "NHSNumber", "social_care": "NHS Number", "health": "nhs_number"}


@given(st.lists(st.integers(0, 999_999_999), min_size=1, max_size=50))
def test_vectorised_check_digits_agree_with_the_scalar_ones(first_nine: list[int]) -> None:
    expected = [nhs_check_digit(f"{n:09d}") for n in first_nine]
    assert check_digits(np.array(first_nine, dtype=np.int64)).tolist() == expected


def test_the_test_range_holds_only_valid_numbers_starting_999() -> None:
    pool = numbers_in_test_range()
    assert len(pool) == len(np.unique(pool)) == 909_090
    sample = pool[:: len(pool) // 997]
    assert all(str(n).startswith("999") and is_valid_nhs_number(str(n)) for n in sample)
    assert 9_999_999_999 not in set(pool[-20:].tolist())


def test_drawn_numbers_are_distinct_and_reproducible() -> None:
    first = draw_nhs_numbers(np.random.default_rng(4), 20_000)
    assert len(np.unique(first)) == 20_000
    assert np.array_equal(first, draw_nhs_numbers(np.random.default_rng(4), 20_000))
    with pytest.raises(GboError, match="reserved for testing"):
        draw_nhs_numbers(np.random.default_rng(4), 909_091)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_a_keying_error_swaps_two_adjacent_unequal_digits_and_fails_the_check(seed: int) -> None:
    rng = np.random.default_rng(seed)
    numbers = rng.choice(numbers_in_test_range(), size=50)
    swapped = swap_adjacent_digits(rng, numbers)
    for before, after in zip(numbers.tolist(), swapped.tolist(), strict=True):
        a, b = str(before), str(after)
        changed = [i for i in range(10) if a[i] != b[i]]
        assert len(changed) == 2 and changed[1] == changed[0] + 1
        assert (a[changed[0]], a[changed[1]]) == (b[changed[1]], b[changed[0]])
        assert not is_valid_nhs_number(b)


def test_recording_respects_the_share_and_the_error_rate() -> None:
    rng = np.random.default_rng(11)
    truth = draw_nhs_numbers(rng, 50_000)
    recorded = record_nhs_numbers(rng, truth, share=0.6, keying_error_rate=0.1)
    has = recorded != NOT_RECORDED
    assert abs(has.mean() - 0.6) < 0.01
    wrong = (recorded != truth) & has
    assert abs(wrong.sum() / has.sum() - 0.1) < 0.01
    assert np.array_equal(recorded[has & ~wrong], truth[has & ~wrong])


def test_formats() -> None:
    numbers = np.array([9_991_234_500, NOT_RECORDED], dtype=np.int64)
    assert format_nhs_numbers(numbers, None).to_pylist() == ["9991234500", None]
    assert format_nhs_numbers(numbers, " ").to_pylist() == ["999 123 4500", None]
    assert format_nhs_numbers(numbers, "-").to_pylist() == ["999-123-4500", None]


def _recorded(output: SynthOutput) -> pd.DataFrame:
    """(agency, local_id, true_person_id, digits) of every record, one row per record."""
    police = read_police(output)
    police = police[police["RecordType"] == "Crime Nominal"]
    children = read_social_care(output)["Children"]
    exports = {"police": police, "social_care": children, "health": read_health(output)}
    parts = []
    for agency, frame in exports.items():
        values = frame[NHS_COLUMNS[agency]].astype(object).where(frame[NHS_COLUMNS[agency]] != "")
        part = pd.DataFrame(
            {
                "agency": agency,
                "local_id": frame[ID_COLUMNS[agency]].astype(str),
                "nhs": values.map(lambda v: None if pd.isna(v) else str(v)),
            }
        ).drop_duplicates("local_id")
        parts.append(part)
    records = pd.concat(parts, ignore_index=True)
    truth = pq.read_table(output.ground_truth_dir / "person_records.parquet").to_pandas()
    merged = records.merge(truth[["agency", "local_id", "true_person_id"]], how="left")
    merged["digits"] = merged["nhs"].map(
        lambda v: None if v is None else v.replace(" ", "").replace("-", "")
    )
    return merged


def test_exports_carry_one_test_range_number_per_person(small_odd: SynthOutput) -> None:
    records = _recorded(small_odd)
    assert records["true_person_id"].notna().all()
    carried = records[records["digits"].notna()]
    valid = carried[carried["digits"].map(is_valid_nhs_number)]
    assert valid["digits"].str.startswith("999").all()
    assert (valid.groupby("true_person_id")["digits"].nunique() == 1).all()
    assert (valid.groupby("digits")["true_person_id"].nunique() == 1).all()
    formats = {
        "police": r"999-\d{3}-\d{4}",
        "social_care": r"999 \d{3} \d{4}",
        "health": r"999\d{7}",
    }
    for agency, pattern in formats.items():
        mine = valid[valid["agency"] == agency]["nhs"]
        assert mine.str.fullmatch(pattern).all(), agency


def test_declared_shares_are_respected(tmp_path: Path) -> None:
    synth = SynthSettings.model_validate(
        {
            "nhs_numbers": {
                "police": 0.3,
                "social_care": 0.5,
                "health": 0.9,
                "keying_error_rate": 0.1,
            }
        }
    )
    output = generate(size=4000, seed=3, out_dir=tmp_path, settings=synth)
    records = _recorded(output)
    for agency, share in (("police", 0.3), ("social_care", 0.5), ("health", 0.9)):
        mine = records[records["agency"] == agency]
        found = int(mine["digits"].notna().sum())
        assert abs(found - share * len(mine)) <= 4 * (len(mine) * share * (1 - share)) ** 0.5
    carried = records[records["digits"].notna()]
    n_wrong = int((~carried["digits"].map(is_valid_nhs_number)).sum())
    assert abs(n_wrong - 0.1 * len(carried)) <= 4 * (len(carried) * 0.09) ** 0.5


def test_ingest_keeps_mistyped_numbers_with_a_finding(small_odd: SynthOutput) -> None:
    config = load_config(small_odd.config_path)
    run = ingest_sources(config.sources, IngestSettings(reference_date=date(2026, 1, 1)))
    people = run.output.tables["person_record"].to_pylist()
    numbers = [p["nhs_number"] for p in people if p["nhs_number"] is not None]
    assert numbers and all(len(n) == 10 and n.isdigit() for n in numbers)
    invalid = sum(not is_valid_nhs_number(n) for n in numbers)
    findings = [f for f in run.output.findings.to_pylist() if f["rule"] == "invalid_nhs_number"]
    assert len(findings) == invalid
    assert {f["detail"] for f in findings} <= {CHECK_DIGIT_FAILS}


def test_everybody_has_a_number_by_default_and_the_draw_is_unchanged() -> None:
    numbers = allocate_nhs_numbers(np.random.default_rng(4), 20_000, None)
    assert np.array_equal(numbers, draw_nhs_numbers(np.random.default_rng(4), 20_000))


@pytest.mark.parametrize("share", [0.0, 0.25, 1.0])
def test_a_declared_share_of_people_have_distinct_valid_numbers(share: float) -> None:
    numbers = allocate_nhs_numbers(np.random.default_rng(9), 10_000, share)
    held = numbers[numbers != NOT_RECORDED]
    assert len(held) == round(share * 10_000) == len(np.unique(held))
    assert all(str(n).startswith("999") and is_valid_nhs_number(str(n)) for n in held[:500])


def test_a_generation_larger_than_the_test_range_is_not_capped() -> None:
    pool = len(numbers_in_test_range())
    assert holders_count(3 * pool, None) == pool
    numbers = allocate_nhs_numbers(np.random.default_rng(2), pool + 5_000, None)
    held = numbers[numbers != NOT_RECORDED]
    assert len(held) == pool == len(np.unique(held))
    with pytest.raises(GboError, match=r"nhs_numbers\.people"):
        allocate_nhs_numbers(np.random.default_rng(2), 2 * pool, 0.6)


def test_people_without_a_number_have_none_on_any_record() -> None:
    truth = np.array([NOT_RECORDED, 9_991_234_500] * 500, dtype=np.int64)
    recorded = record_nhs_numbers(np.random.default_rng(1), truth, 1.0, keying_error_rate=0.5)
    assert (recorded[truth == NOT_RECORDED] == NOT_RECORDED).all()
