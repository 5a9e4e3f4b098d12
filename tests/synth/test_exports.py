"""The exports, mappings and configuration fit gbo: they validate and ingest reads them."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gbo.config import load_config
from gbo.ingest.ingest_run import ingest_sources
from gbo.ingest.mapping_files import load_mapping
from gbo.ingest.settings import IngestSettings
from gbo.schema.mapping import AgencyMapping
from gbo.synth import SynthOutput, SynthSettings, generate
from tests.synth.exports import read_health, read_police, read_social_care


@pytest.mark.parametrize("agency", ["police", "social_care", "health"])
def test_mapping_files_validate(small_odd: SynthOutput, agency: str) -> None:
    path = small_odd.mappings[agency]
    mapping = AgencyMapping.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    assert mapping.agency == agency
    assert load_mapping(path) == mapping


def test_config_validates_and_names_the_three_exports(small_odd: SynthOutput) -> None:
    config = load_config(small_odd.config_path)
    assert config.run.name == "demo"
    assert config.run.is_synthetic
    assert config.run.runs_dir == (small_odd.out_dir.parent / "runs").resolve()
    assert {s.agency: s.path for s in config.sources} == small_odd.files
    assert {s.agency: s.mapping for s in config.sources} == small_odd.mappings


@pytest.mark.parametrize("fixture", ["small_odd", "small_even"])
def test_ingest_reads_every_export_and_rejects_the_planted_bad_rows(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    output: SynthOutput = request.getfixturevalue(fixture)
    config = load_config(output.config_path)
    run = ingest_sources(config.sources, IngestSettings(reference_date=date(2026, 1, 1)))
    planted = pq.read_table(output.ground_truth_dir / "bad_rows.parquet").to_pylist()
    problems = run.output.rejected_row.select(["source_file", "sheet", "source_row", "rule"])
    # One row can break a rule in several columns (a date feeding two canonical columns).
    rules = Counter((p["source_file"], p["rule"]) for p in _distinct(problems.to_pylist()))
    data_rows = {
        "police": len(read_police(output)),
        "social_care": sum(len(sheet) for sheet in read_social_care(output).values()),
        "health": len(read_health(output)),
    }
    for record in run.files:
        assert record.error is None, record.error
        assert record.rows_read == data_rows[record.agency], f"{record.agency}: rows not read"
        assert record.rows_read == (
            record.rows_accepted + record.rows_rejected + record.rows_left_out
        )
        assert record.rows_accepted > 0.95 * record.rows_read
        mine = [p for p in planted if p["source_file"] == record.path.name]
        for kind in ("impossible_date", "future_date", "duplicate_row"):
            expected = sum(1 for p in mine if p["kind"] == kind)
            assert rules[(record.path.name, kind)] == expected, (record.path.name, kind)
            # The ground truth names the very line (or sheet row) that ingest rejects.
            assert {(p["sheet"], p["source_row"]) for p in mine if p["kind"] == kind} == {
                (p["sheet"], p["source_row"])
                for p in problems.to_pylist()
                if p["source_file"] == record.path.name and p["rule"] == kind
            }, (record.path.name, kind)
    assert run.output.tables["person_record"].num_rows > 0.95 * 2000
    assert run.output.tables["event"].num_rows > 0


def _distinct(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return list({tuple(r.values()): r for r in rows}.values())


def _rate(found: int, eligible: int, rate: float) -> bool:
    """Within four binomial standard deviations of the expected count."""
    expected = rate * eligible
    spread: float = (expected * (1 - rate)) ** 0.5
    return abs(found - expected) <= 4 * spread + 1


def test_bad_row_rates_are_respected(tmp_path: Path) -> None:
    rate = 0.02
    settings = SynthSettings.model_validate(
        {"bad_rows": {k: rate for k in SynthSettings().bad_rows.model_fields}}
    )
    output = generate(size=3000, seed=5, out_dir=tmp_path, settings=settings)
    planted = pq.read_table(output.ground_truth_dir / "bad_rows.parquet").to_pandas()
    police = read_police(output)
    eligible = {
        "police": int((police["RecordType"] == "Crime Nominal").sum()),
        "social_care": len(read_social_care(output)["Children"]),
        "health": len(read_health(output)),
    }
    for agency, rows in eligible.items():
        counts = planted[planted["agency"] == agency]["kind"].value_counts()
        for kind in ("impossible_date", "future_date", "unknown_code", "duplicate_row"):
            assert _rate(int(counts.get(kind, 0)), rows, rate), (agency, kind)


def test_no_bad_rows_when_the_rates_are_zero(tmp_path: Path) -> None:
    settings = SynthSettings.model_validate(
        {"bad_rows": {k: 0.0 for k in SynthSettings().bad_rows.model_fields}}
    )
    output = generate(size=1500, seed=2, out_dir=tmp_path, settings=settings)
    assert pq.read_table(output.ground_truth_dir / "bad_rows.parquet").num_rows == 0
    assert not read_police(output).duplicated().any()
    assert not read_health(output).duplicated().any()
    for sheet in read_social_care(output).values():
        assert not sheet.duplicated().any()
