"""Spark gives the links DuckDB gives: same records, same trained parameters (local[2]).

The model is trained once on DuckDB, then the very same model.json is used to score and
cluster on both backends (on Spark after its values were moved onto Spark's SQL). The
accepted links and the persons they make must be the same, and so must every scored pair's
comparison levels and probability. And the records reach Spark as a Parquet scan, never as
rows held inside the query plan (what made Spark fail at 100,000 records).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from gbo.link.backend import make_database_api
from gbo.link.linkage import LinkageResult, link_records
from gbo.link.settings import LinkSettings
from gbo.link.spark_session import delete_folder
from gbo.link.spark_settings import SparkSettings
from gbo.link.standardise import standardise_identity
from tests.link.identities import make_identities

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="needs pyspark"),
]

DUCKDB = LinkSettings(u_max_pairs=1e5, em_max_pairs=None, threads=1)
SPARK = DUCKDB.model_copy(
    update={
        "backend": "spark",
        "spark": SparkSettings(master="local[2]", shuffle_partitions=2, break_lineage="persist"),
    }
)
GAMMAS = ["gamma_forename", "gamma_surname", "gamma_dob", "gamma_sex", "gamma_address"]


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    ids = zip(frame["unique_id_l"], frame["unique_id_r"], strict=True)
    return {(min(a, b), max(a, b)) for a, b in ids}


def _persons(result: LinkageResult) -> set[frozenset[str]]:
    groups = result.clusters.groupby("cluster_id")["unique_id"]
    return {frozenset(members) for _, members in groups}


@pytest.fixture(scope="module")
def both() -> tuple[LinkageResult, LinkageResult]:
    identity, _truth = make_identities(120, seed=5)
    standard = standardise_identity(identity)
    trained = link_records(standard, DUCKDB).model
    on_duckdb = link_records(standard, DUCKDB, model=trained)
    on_spark = link_records(standard, SPARK, model=trained)
    return on_duckdb, on_spark


def test_spark_and_duckdb_accept_the_same_links(both: tuple[LinkageResult, LinkageResult]) -> None:
    on_duckdb, on_spark = both
    assert len(on_duckdb.links) > 20
    assert _pairs(on_spark.links) == _pairs(on_duckdb.links)
    assert _persons(on_spark) == _persons(on_duckdb)


def test_every_scored_pair_agrees_level_by_level(
    both: tuple[LinkageResult, LinkageResult],
) -> None:
    on_duckdb, on_spark = both
    key = ["unique_id_l", "unique_id_r"]
    merged = on_duckdb.pairs.merge(on_spark.pairs, on=key, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    for gamma in [*GAMMAS, "gamma_nhs_number"]:
        assert (merged[f"{gamma}_x"] == merged[f"{gamma}_y"]).all(), gamma
    gap = (merged["match_probability_x"] - merged["match_probability_y"]).abs()
    assert gap.max() < 1e-9


def test_tables_from_python_reach_spark_as_parquet_not_inside_the_plan(
    both: tuple[LinkageResult, LinkageResult],
) -> None:
    del both  # the session it started is reused
    api = make_database_api(SPARK)
    ids = [f"r{i:05d}" for i in range(2000)]
    table = pa.table({"unique_id": ids, "family_keys": [["SMITH", "SMYTH"]] * len(ids)})
    registered = api.register(table, table_name="staging_check")
    frame = api.spark.table(registered.physical_name)
    plan = str(frame._jdf.queryExecution().optimizedPlan().toString())
    assert "LocalRelation" not in plan
    assert "parquet" in plan.lower()
    rows = frame.collect()
    assert sorted(row.unique_id for row in rows) == ids
    assert all(row.family_keys == ["SMITH", "SMYTH"] for row in rows)


def test_a_checkpoint_folder_is_deleted_whole_through_spark(
    both: tuple[LinkageResult, LinkageResult], tmp_path: Path
) -> None:
    del both  # the session it started is reused
    api = make_database_api(SPARK)
    staged = tmp_path / "session" / "gbo-staged" / "records"
    staged.mkdir(parents=True)
    (staged / "part-0.parquet").write_bytes(b"identifiers")
    assert delete_folder(api.spark, (tmp_path / "session").as_uri())
    assert not (tmp_path / "session").exists()
    assert not delete_folder(api.spark, (tmp_path / "session").as_uri())
