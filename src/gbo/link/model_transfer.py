"""Moving a trained model from one Splink backend to another.

A saved model (``model.json``) carries its comparisons' SQL in the dialect of the backend
that trained it: DuckDB and Spark name their functions differently (``jaro_winkler_similarity`` and
``jaro_winkler``, ``list_has_any`` and ``arrays_overlap``...). So a model is never run on
the other backend as it is: the settings are built afresh for the target backend by the
same function that builds them for training (:func:`gbo.link.model.splink_settings`), and
every trained value (the prior, each level's m and u, the fixed and term-frequency
choices) is copied across level by level. Levels are matched by comparison and position,
and their labels must agree, so a model trained on different comparisons is refused rather
than misread.
"""

from __future__ import annotations

import copy
from typing import Any

from gbo.errors import LinkageError

SQL_KEYS = ("sql_condition",)
TOP_LEVEL_FROM_TARGET = ("blocking_rules_to_generate_predictions",)


def _levels(model: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}


def transfer_model(trained: dict[str, Any], target: dict[str, Any], dialect: str) -> dict[str, Any]:
    """``trained`` (any dialect) with its SQL replaced by ``target``'s (a settings dict
    built for ``dialect``); every trained value kept."""
    moved = copy.deepcopy(trained)
    moved["sql_dialect"] = dialect
    for key in TOP_LEVEL_FROM_TARGET:
        if key in target:
            moved[key] = copy.deepcopy(target[key])
    target_levels = _levels(target)
    for comparison in moved["comparisons"]:
        name = comparison["output_column_name"]
        theirs = target_levels.get(name)
        ours = comparison["comparison_levels"]
        if theirs is None or len(theirs) != len(ours):
            raise LinkageError(
                f"the trained model's comparison {name!r} does not match the comparisons "
                "of this gbo version, so it cannot be moved to the other backend",
                hint="train the model again on the chosen backend",
            )
        for level, other in zip(ours, theirs, strict=True):
            if level.get("label_for_charts") != other.get("label_for_charts"):
                raise LinkageError(
                    f"comparison {name!r}: level {level.get('label_for_charts')!r} of the "
                    f"trained model is {other.get('label_for_charts')!r} in this version",
                    hint="train the model again on the chosen backend",
                )
            for key in SQL_KEYS:
                level[key] = other[key]
    if set(_levels(moved)) != set(target_levels):
        raise LinkageError(
            "the trained model has other comparisons than this gbo version",
            hint="train the model again on the chosen backend",
        )
    return moved


def model_for_dialect(
    model: dict[str, Any], target: dict[str, Any], dialect: str
) -> dict[str, Any]:
    """``model`` itself when it is already in ``dialect``, else moved onto ``target``'s
    SQL (a settings dict built for ``dialect``)."""
    if model.get("sql_dialect") in (None, dialect):
        return model
    return transfer_model(model, target, dialect)
