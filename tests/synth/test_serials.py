"""Serial numbers keep their usual width while it suffices, and widen when it does not."""

from __future__ import annotations

import numpy as np

from gbo.synth.serials import draw_serials, serial_width


def test_the_usual_width_draws_as_before() -> None:
    drawn = draw_serials(np.random.default_rng(3), 5000, usual_width=6)
    before = np.random.default_rng(3).choice(900_000, size=5000, replace=False) + 100_000
    assert np.array_equal(drawn, before)


def test_more_serials_than_the_width_holds_get_wider_ones() -> None:
    assert serial_width(900_000, 6) == 6
    assert serial_width(900_001, 6) == 7
    drawn = draw_serials(np.random.default_rng(1), 1_000, usual_width=2)
    assert len(np.unique(drawn)) == 1_000
    assert {len(str(v)) for v in drawn.tolist()} == {serial_width(1_000, 2)} == {5}
