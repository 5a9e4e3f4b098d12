"""generate(): determinism, the stamp that skips a repeat, encodings and record counts."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbo.errors import GboError
from gbo.synth import SynthOutput, SynthSettings, generate
from gbo.synth.generate import STAMP_NAME
from tests.synth.conftest import SMALL, all_files


def test_same_seed_gives_identical_bytes(small_odd: SynthOutput, tmp_path: Path) -> None:
    again = generate(size=SMALL, seed=7, out_dir=tmp_path / "again")
    first, second = all_files(small_odd.out_dir), all_files(again.out_dir)
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_different_seed_gives_different_files(
    small_odd: SynthOutput, small_even: SynthOutput
) -> None:
    odd, even = all_files(small_odd.out_dir), all_files(small_even.out_dir)
    for name in ("health_attendances.ndjson", "ground_truth/persons.parquet"):
        assert odd[name] != even[name]


def test_a_complete_generation_is_not_redone(tmp_path: Path) -> None:
    output = generate(size=300, seed=1, out_dir=tmp_path)
    times = {p: p.stat().st_mtime_ns for p in output.files.values()}
    again = generate(size=300, seed=1, out_dir=tmp_path)
    assert again == output
    assert {p: p.stat().st_mtime_ns for p in again.files.values()} == times


def test_other_settings_or_a_damaged_folder_regenerate(tmp_path: Path) -> None:
    output = generate(size=300, seed=1, out_dir=tmp_path)
    before = output.files["health"].read_bytes()
    settings = SynthSettings.model_validate({"corruption": {"typo_rate": 0.5}})
    generate(size=300, seed=1, out_dir=tmp_path, settings=settings)
    assert output.files["health"].read_bytes() != before
    output.files["police"].unlink()
    generate(size=300, seed=1, out_dir=tmp_path, settings=settings)
    assert output.files["police"].exists()
    assert (tmp_path / STAMP_NAME).exists()


def test_police_encoding_alternates_with_the_seed(
    small_odd: SynthOutput, small_even: SynthOutput
) -> None:
    assert small_odd.police_encoding == "cp1252"
    assert not small_odd.files["police"].read_bytes().startswith(b"\xef\xbb\xbf")
    small_odd.files["police"].read_bytes().decode("cp1252")
    assert small_even.police_encoding == "utf-8-sig"
    assert small_even.files["police"].read_bytes().startswith(b"\xef\xbb\xbf")
    small_even.files["police"].read_bytes().decode("utf-8-sig")


def test_person_records_add_up_to_size(small_odd: SynthOutput) -> None:
    truth = pq.read_table(small_odd.ground_truth_dir / "person_records.parquet")
    assert truth.num_rows == SMALL
    counts = truth.group_by("agency").aggregate([("local_id", "count")]).to_pydict()
    shares = dict(zip(counts["agency"], counts["local_id_count"], strict=True))
    assert shares == {"police": 800, "social_care": 600, "health": 600}


def test_too_small_a_size_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(GboError, match="too small"):
        generate(size=10, seed=1, out_dir=tmp_path)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.integers(min_value=60, max_value=800),
    seed=st.integers(min_value=0, max_value=10_000),
    victims=st.floats(min_value=0.05, max_value=0.9),
    lone=st.floats(min_value=0.0, max_value=0.95),
    typo=st.floats(min_value=0.0, max_value=1.0),
    duplicates=st.floats(min_value=0.0, max_value=0.5),
)
def test_any_valid_settings_generate_or_fail_with_a_user_error(
    tmp_path_factory: pytest.TempPathFactory,
    size: int,
    seed: int,
    victims: float,
    lone: float,
    typo: float,
    duplicates: float,
) -> None:
    synth = SynthSettings.model_validate(
        {
            "world": {"victim_share_of_police_people": victims, "lone_offender_share": lone},
            "corruption": {"typo_rate": typo},
            "presence": {"duplicate_record_rate": duplicates},
        }
    )
    out = tmp_path_factory.mktemp("fuzz")
    try:
        output = generate(size=size, seed=seed, out_dir=out, settings=synth)
    except GboError as error:
        assert "victims" in error.message
        return
    truth = pq.read_table(output.ground_truth_dir / "person_records.parquet")
    assert 0 < truth.num_rows <= size
    assert all(path.stat().st_size > 0 for path in output.files.values())
