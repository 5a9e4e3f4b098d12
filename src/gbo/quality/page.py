"""Rendering the data quality page (HTML, self-contained, accessible tables)."""

from __future__ import annotations

from numbers import Integral
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

_env = Environment(
    loader=PackageLoader("gbo.quality", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _count(value: object) -> object:
    """A whole number with thousands separators, as the publication writes it (so that no
    count on the page reads as a bare serial number); anything else as it is."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        return f"{value:,}"
    return value


_env.filters["percent"] = _percent
_env.filters["count"] = _count


def render_quality_page(**context: Any) -> str:
    return _env.get_template("data_quality.html.j2").render(**context)
