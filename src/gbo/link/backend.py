"""Choosing Splink's backend: DuckDB (embedded, the default) or Spark.

The model's SQL is written for both dialects (see :mod:`gbo.link.comparisons`). Spark is
optional: choosing it without ``pyspark`` installed is a :class:`LinkageError` that says so.
"""

from __future__ import annotations

import importlib.util
import tempfile
from typing import Any

import duckdb

from gbo.errors import LinkageError
from gbo.link.settings import LinkSettings


def make_database_api(settings: LinkSettings) -> Any:
    """A Splink database API for the configured backend."""
    if settings.backend == "spark":
        return _spark_api()
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{_checked_limit(settings.duckdb_memory_limit)}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/gbo-link-duckdb'")
    con.execute("SET preserve_insertion_order = false")
    if settings.threads:
        con.execute(f"SET threads = {int(settings.threads)}")
    return DuckDBAPI(connection=con)


def _checked_limit(text: str) -> str:
    cleaned = text.strip().upper().replace(" ", "")
    if not cleaned[:-2].replace(".", "", 1).isdigit() or cleaned[-2:] not in {"MB", "GB"}:
        raise LinkageError(
            f"link.duckdb_memory_limit {text!r} is not a size",
            hint="write it like '3GB' or '800MB'",
        )
    return cleaned


def _spark_api() -> Any:
    if importlib.util.find_spec("pyspark") is None:
        raise LinkageError(
            "link.backend is 'spark' but pyspark is not installed",
            hint="install pyspark (and run on a Spark cluster) or set link.backend = 'duckdb'",
        )
    from pyspark.sql import SparkSession
    from splink import SparkAPI

    spark = SparkSession.builder.appName("gbo-link").getOrCreate()
    return SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]


def dialect_of(settings: LinkSettings) -> str:
    return "spark" if settings.backend == "spark" else "duckdb"
