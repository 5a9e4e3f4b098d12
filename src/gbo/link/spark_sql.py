"""The model's Splink settings in Spark SQL.

gbo's comparisons (:mod:`gbo.link.comparisons`) choose each backend's function names, but
write column names in double quotes, which DuckDB reads as identifiers and Spark as string
literals (so ``"sex_l" = "sex_r"`` would compare two constants). Here every level's
condition of the settings built for Spark is re-quoted with backticks by sqlglot, reading
double quotes as identifiers; functions and literals are left as they were.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlglot
from splink import SettingsCreator

from gbo.errors import LinkageError

DIALECT = "spark"


def spark_condition(sql: str) -> str:
    """One level's condition with double-quoted identifiers quoted for Spark."""
    if sql.strip().upper() == "ELSE":
        return sql
    try:
        return str(sqlglot.transpile(sql, read="duckdb", write=DIALECT)[0])
    except sqlglot.errors.ParseError as exc:
        raise LinkageError(f"a comparison's SQL could not be read for Spark: {exc}") from exc


def spark_settings_dict(creator: SettingsCreator) -> dict[str, Any]:
    """The settings dict of ``creator`` (built for the Spark backend) in Spark's SQL."""
    settings = copy.deepcopy(creator.create_settings_dict(DIALECT))
    settings["sql_dialect"] = DIALECT
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_condition(level["sql_condition"])
    return settings
