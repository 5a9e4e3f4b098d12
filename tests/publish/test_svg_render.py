"""Rendering charts, in this process and in a helper process."""

from __future__ import annotations

import sys

import pytest

from gbo.publish.svg_render import render_all, render_specs


def _specs(n: int) -> list[dict[str, object]]:
    return [
        {
            "data": {"values": [{"category": f"c{i}", "value": i + 1}]},
            "mark": "bar",
            "encoding": {
                "y": {"field": "category", "type": "nominal"},
                "x": {"field": "value", "type": "quantitative"},
            },
        }
        for i in range(n)
    ]


def test_helper_process_renders_the_same_charts_in_order() -> None:
    specs = _specs(5)
    svgs, warning = render_all(specs, helper=True)
    assert warning == ""
    assert svgs == render_specs(specs)
    assert all(svg.startswith("<svg") for svg in svgs)


def test_a_failing_helper_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    specs = _specs(4)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    svgs, warning = render_all(specs, helper=True)
    assert "helper process failed" in warning
    assert len(svgs) == 4 and all(svg.startswith("<svg") for svg in svgs)
