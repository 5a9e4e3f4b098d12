"""Choosing Splink's backend: DuckDB (embedded, the default) or Spark.

The model's SQL is written for both dialects (see :mod:`gbo.link.comparisons`), and a model
trained on one backend runs on the other (:mod:`gbo.link.model_transfer`). Spark is
optional: choosing it without ``pyspark`` or Java is a :class:`LinkageError` that says so;
its session is set up in :mod:`gbo.link.spark_session` from ``[link.spark]``.
"""

from __future__ import annotations

import re
from typing import Any

from gbo.duckdb_spill import SIZE_PATTERN, spilling_connection
from gbo.errors import LinkageError
from gbo.link.settings import LinkSettings


def make_database_api(settings: LinkSettings) -> Any:
    """A Splink database API for the configured backend."""
    if settings.backend == "spark":
        return _spark_api(settings)
    from splink import DuckDBAPI

    limit = checked_memory_limit(settings.duckdb_memory_limit)
    return DuckDBAPI(
        connection=spilling_connection(
            limit, "link", settings.threads, preserve_insertion_order=False
        )
    )


def checked_memory_limit(text: str) -> str:
    if not re.match(SIZE_PATTERN, text):
        raise LinkageError(
            f"link.duckdb_memory_limit {text!r} is not a size",
            hint="write it like '3GB' or '800MB'",
        )
    return text.strip().upper().replace(" ", "")


def _spark_api(settings: LinkSettings) -> Any:
    from gbo.link.spark_api import StagedSparkAPI
    from gbo.link.spark_session import spark_session

    spark = spark_session(settings.spark)
    # Tables from Python are staged as Parquet, never kept inside query plans
    # (gbo.link.spark_api); by default Splink's intermediate tables are written as Parquet
    # to the same checkpoint folder, which breaks Spark's lineage between steps.
    return StagedSparkAPI(
        spark_session=spark,
        break_lineage_method=settings.spark.break_lineage,
        num_partitions_on_repartition=settings.spark.shuffle_partitions,
    )


def dialect_of(settings: LinkSettings) -> str:
    return "spark" if settings.backend == "spark" else "duckdb"
