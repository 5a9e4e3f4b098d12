"""A model trained on one backend runs on the other: SQL rebuilt, trained values copied."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gbo.errors import LinkageError
from gbo.link.model import backend_settings_dict
from gbo.link.model_transfer import model_for_dialect, transfer_model
from gbo.link.settings import LinkSettings

SETTINGS = {"duckdb": LinkSettings(), "spark": LinkSettings(backend="spark")}


def _target(dialect: str) -> dict[str, Any]:
    """The settings dict the link stage builds for ``dialect``."""
    return backend_settings_dict(SETTINGS[dialect])


def _trained(dialect: str) -> dict[str, Any]:
    """A settings dict with made-up trained values in every level (m, u, prior)."""
    model = {**_target(dialect), "sql_dialect": dialect}
    model["probability_two_random_records_match"] = 0.000123
    for c, comparison in enumerate(model["comparisons"]):
        for i, level in enumerate(comparison["comparison_levels"]):
            if not level.get("is_null_level"):
                level["m_probability"] = round(0.01 * (i + 1) + 0.001 * c, 6)
                level["u_probability"] = round(0.002 * (i + 1) + 0.0001 * c, 6)
    return model


def _values(model: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (c["output_column_name"], lv.get("label_for_charts"), lv.get("m_probability"),
         lv.get("u_probability"), lv.get("fix_m_probability"), lv.get("tf_adjustment_column"))
        for c in model["comparisons"] for lv in c["comparison_levels"]
    ]  # fmt: skip


def _sql(model: dict[str, Any]) -> list[str]:
    return [lv["sql_condition"] for c in model["comparisons"] for lv in c["comparison_levels"]]


def test_duckdb_values_move_onto_spark_sql() -> None:
    trained = _trained("duckdb")
    target = _target("spark")
    moved = transfer_model(trained, target, "spark")
    assert moved["sql_dialect"] == "spark"
    assert _values(moved) == _values(trained)
    assert _sql(moved) == _sql(target) != _sql(trained)
    sql = str(_sql(moved))
    assert "ARRAYS_OVERLAP" in sql and "JARO_WINKLER(" in sql and "list_has_any" not in sql
    assert "`sex_l` = `sex_r`" in sql and '"sex_l"' not in sql
    assert moved["probability_two_random_records_match"] == 0.000123
    assert trained == _trained("duckdb")  # the input is left as it was


def test_there_and_back_again_is_the_same_model() -> None:
    trained = _trained("duckdb")
    spark = transfer_model(trained, _target("spark"), "spark")
    back = transfer_model(spark, _target("duckdb"), "duckdb")
    assert back == trained


def test_a_model_in_the_right_dialect_is_used_as_it_is() -> None:
    trained = _trained("duckdb")
    assert model_for_dialect(trained, _target("duckdb"), "duckdb") is trained


def test_a_model_with_other_levels_is_refused() -> None:
    trained = _trained("duckdb")
    broken = copy.deepcopy(trained)
    broken["comparisons"][3]["comparison_levels"].pop()
    target = _target("spark")
    with pytest.raises(LinkageError, match="'sex' does not match"):
        transfer_model(broken, target, "spark")
    relabelled = copy.deepcopy(trained)
    relabelled["comparisons"][0]["comparison_levels"][2]["label_for_charts"] = "other"
    with pytest.raises(LinkageError, match="train the model again"):
        transfer_model(relabelled, target, "spark")
