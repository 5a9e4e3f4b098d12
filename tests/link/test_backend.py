"""Backend choice: DuckDB by default; Spark refused clearly when pyspark is missing."""

from __future__ import annotations

import importlib.util

import pytest

from gbo.errors import LinkageError
from gbo.link.backend import make_database_api
from gbo.link.comparisons import build_comparisons
from gbo.link.settings import BlockingRuleSettings, LinkSettings


@pytest.mark.skipif(importlib.util.find_spec("pyspark") is not None, reason="pyspark installed")
def test_spark_without_pyspark_is_a_clear_error() -> None:
    with pytest.raises(LinkageError, match="pyspark is not installed"):
        make_database_api(LinkSettings(backend="spark"))


def test_bad_memory_limit_is_a_linkage_error() -> None:
    with pytest.raises(LinkageError, match="not a size"):
        make_database_api(LinkSettings(duckdb_memory_limit="lots"))


def test_spark_sql_uses_spark_functions() -> None:
    sql = str([c._comparison_levels for c in build_comparisons("spark", 0.3)])  # type: ignore[union-attr]
    assert "arrays_overlap" in sql and "list_has_any" not in sql


def test_settings_refuse_inconsistent_bands_and_rules() -> None:
    with pytest.raises(ValueError):
        LinkSettings(review_min_probability=0.9, review_max_probability=0.8)
    with pytest.raises(ValueError):
        BlockingRuleSettings(columns=["dob_iso"], sql="l.a = r.a")
