"""Distinct random serial numbers (agency person numbers, crime reference numbers).

A serial has a usual width (seven digits for a person number, six for a crime reference).
A generation that needs more distinct serials than that width holds gets wider ones, just
enough to hold them ten times over, so the size of a generation is not capped by the width;
smaller generations draw exactly as before. A generation made in shards (see
:mod:`gbo.synth.shards`) gives each shard its own block of serials: block ``k`` adds
``k * 10**width``, so the serials of different shards never meet.
"""

from __future__ import annotations

import numpy as np


def serial_width(n: int, usual_width: int) -> int:
    """The number of digits of the serials for ``n`` distinct values."""
    if n <= 9 * 10 ** (usual_width - 1):
        return usual_width
    return len(str(n)) + 1


def draw_serials(rng: np.random.Generator, n: int, usual_width: int, block: int = 0) -> np.ndarray:
    """``n`` distinct serials (int64) of ``serial_width`` digits, in random order, in
    ``block`` (0: the usual serials; a later block prefixes its number)."""
    width = serial_width(n, usual_width)
    lowest = 10 ** (width - 1)
    drawn: np.ndarray = rng.choice(9 * lowest, size=n, replace=False) + lowest + block * 10**width
    return drawn
