"""How the trace prints a link's probability."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gbo.ingest.trace_cli import probability_text


def test_a_probability_short_of_certain_is_never_said_as_certain() -> None:
    assert probability_text(0.9997) == "0.9997"
    assert probability_text(0.912345) == "0.912"
    assert probability_text(1.0) == "1.000"
    assert probability_text(0.00004) == "0.00004"


@given(st.floats(0.0, 1.0))
def test_only_certainty_reads_as_one(p: float) -> None:
    text = probability_text(p)
    assert (float(text) == 1.0) == (p == 1.0 or round(p, 12) == 1.0)
    assert (float(text) == 0.0) == (p == 0.0 or round(p, 12) == 0.0)
