"""Generations made in shards: the same files as one piece would make, ids kept apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.config import load_config
from gbo.ingest.ingest_run import ingest_sources
from gbo.ingest.settings import IngestSettings
from gbo.synth import SynthOutput, generate
from gbo.synth.shards import Shard, shard_sizes, shard_true_ids
from gbo.synth.sinks import CsvSink, WorkbookSink
from tests.synth.exports import read_police

SIZE, SHARD = 3000, 1000


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> SynthOutput:
    """Three shards; seed 8 writes the police CSV in UTF-8 with one byte-order mark."""
    out = tmp_path_factory.mktemp("shards")
    return generate(size=SIZE, seed=8, out_dir=out, shard_records=SHARD)


@given(st.integers(1, 10**8), st.integers(1, 10**7))
def test_shard_sizes_add_up_and_stay_within_the_limit(size: int, limit: int) -> None:
    sizes = shard_sizes(size, limit)
    assert sum(sizes) == size
    assert max(sizes) <= limit
    assert max(sizes) - min(sizes) <= 1
    assert len(sizes) == -(-size // limit)


def test_true_ids_of_later_shards_are_prefixed() -> None:
    table = pa.table({"true_person_id": ["T0000001", None], "local_id": ["N1", "N2"]})
    assert shard_true_ids(table, Shard(0, 3)) == table
    later = shard_true_ids(table, Shard(2, 3))
    assert later["true_person_id"].to_pylist() == ["S2-T0000001", None]
    assert later["local_id"] == table["local_id"]


def test_ingest_reads_every_row_and_rejects_exactly_the_planted_rows(
    sharded: SynthOutput,
) -> None:
    config = load_config(sharded.config_path)
    run = ingest_sources(config.sources, IngestSettings(reference_date=date(2026, 1, 1)))
    planted = pq.read_table(sharded.ground_truth_dir / "bad_rows.parquet").to_pylist()
    rejected = {
        (p["source_file"], p["sheet"], p["source_row"], p["rule"])
        for p in run.output.rejected_row.to_pylist()
    }
    for record in run.files:
        assert record.error is None, record.error
        assert record.rows_read == record.rows_accepted + record.rows_rejected
    for row in planted:
        if row["kind"] == "unknown_code":
            continue  # reported as a finding, not rejected
        # The bad-row log names the physical line (or sheet row), as ingest does.
        key = (row["source_file"], row["sheet"], row["source_row"], row["kind"])
        assert key in rejected, row
    person_records = pq.read_table(sharded.ground_truth_dir / "person_records.parquet")
    assert person_records.num_rows == SIZE
    assert run.output.tables["person_record"].num_rows > 0.95 * SIZE


def test_ids_are_never_shared_between_shards(sharded: SynthOutput) -> None:
    truth = sharded.ground_truth_dir
    records = pq.read_table(truth / "person_records.parquet").to_pylist()
    assert len({(r["agency"], r["local_id"]) for r in records}) == SIZE
    persons = pq.read_table(truth / "persons.parquet")["true_person_id"].to_pylist()
    assert len(set(persons)) == len(persons)
    assert {p.split("-")[0] for p in persons if "-" in p} == {"S1", "S2"}
    assert {r["true_person_id"] for r in records} <= set(persons)
    offences = pq.read_table(truth / "offences.parquet").to_pylist()
    assert len({o["crime_ref"] for o in offences}) == len(offences)
    assert len({o["true_offence_id"] for o in offences}) == len(offences)
    police = read_police(sharded)
    assert list(police.columns)[0] != ""  # one header, at the top
    with_number = police[police["NHSNumber"] != ""]
    nominals_per_number = with_number.groupby("NHSNumber")["NominalRef"].nunique()
    # A number is one person's: on their record and now and then on their second record.
    assert len(nominals_per_number) > 0 and nominals_per_number.max() <= 2


def test_csv_written_in_pieces_is_the_same_as_in_one(tmp_path: Path) -> None:
    table = pa.table({"a": [f"é{i}" for i in range(250_001)], "b": ["x,y"] * 250_001})
    whole, pieces = CsvSink(tmp_path / "whole.csv", "cp1252"), CsvSink(tmp_path / "p.csv", "cp1252")
    whole.append(table)
    pieces.append(table.slice(0, 7))
    pieces.append(table.slice(7))
    assert (tmp_path / "whole.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()
    assert (tmp_path / "whole.csv").read_bytes().count(b"\r\n") == 250_002


def test_workbook_sheets_continue_past_the_row_limit_across_shards(tmp_path: Path) -> None:
    first = pa.table({"Child ID": ["A", "B"], "Age": ["1", None]})
    second = pa.table({"Child ID": ["C", "D", "E"], "Age": ["3", "4", "5"]})
    sink = WorkbookSink(tmp_path / "book.xlsx", sharded=True, limit=3)
    sink.append({"Children": first, "Contacts": first})
    sink.append({"Children": second, "Contacts": second.slice(0, 0)})
    sink.close()
    assert sink.sheet_names() == ["Children", "Children 2", "Contacts"]
    book = fastexcel.read_excel(tmp_path / "book.xlsx")
    assert book.sheet_names == ["Children", "Children 2", "Contacts"]
    read = {
        name: book.load_sheet(name, dtypes="string").to_arrow().to_pydict()
        for name in book.sheet_names
    }
    assert read["Children"] == {"Child ID": ["A", "B", "C"], "Age": ["1", None, "3"]}
    assert read["Children 2"] == {"Child ID": ["D", "E"], "Age": ["4", "5"]}
    assert read["Contacts"] == {"Child ID": ["A", "B"], "Age": ["1", None]}
