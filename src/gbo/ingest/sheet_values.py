"""Cell values of any type as the text an analyst would see in the export."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import pyarrow as pa


def value_to_text(value: object) -> str | None:
    """One value as text: whole numbers without ``.0``, dates in ISO form, lists as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def cells_to_text_array(values: Sequence[object]) -> pa.Array:
    """A column of cells as a text array (fast when the cells are already text)."""
    if all(v is None or type(v) is str for v in values):
        return pa.array(values, pa.string())
    return pa.array([value_to_text(v) for v in values], pa.string())
