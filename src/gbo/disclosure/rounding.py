"""Rounding of published counts, and what a reader can infer from a published figure.

Counts are rounded half up to the base (5 or 10): 12 -> 10, 13 -> 15 in base 5. A published
rounded figure ``r`` tells a reader the true count is one of the whole numbers that round
to ``r``; a published figure above zero also tells them the count is at least the
threshold (smaller counts are never published), and a published ``0`` is a true zero
(a non-zero count that rounds to zero is shown as ``[low]``).
"""

from __future__ import annotations

import numpy as np

from gbo.disclosure.state import STRUCTURAL, SuppressionState


def round_counts(values: np.ndarray, base: int) -> np.ndarray:
    """Round whole numbers half up to a multiple of ``base`` (base 1 leaves them alone)."""
    values = np.asarray(values, dtype=np.int64)
    if base <= 1:
        return values.copy()
    return (np.floor(values / base + 0.5) * base).astype(np.int64)


def rounding_interval(
    published: np.ndarray, base: int, threshold: int, is_low: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The smallest and largest true count consistent with each published figure."""
    published = np.asarray(published, dtype=np.int64)
    low = np.maximum(published - base // 2, 0).astype(float)
    high = (published + (base + 1) // 2 - 1).astype(float)
    if base <= 1:
        low = published.astype(float)
        high = published.astype(float)
    positive = published > 0
    low[positive] = np.maximum(low[positive], threshold)
    zero = published == 0
    high[zero] = 0.0
    if is_low is not None and is_low.any():
        low[is_low] = float(max(1, threshold))
        high[is_low] = float(max((base + 1) // 2 - 1, 1))
    return low, high


def published_bounds(
    values: np.ndarray, state: SuppressionState, threshold: int, base: int
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds a reader has on every quantity, given its status and the rounding in force."""
    rounded = round_counts(values, base)
    is_low = (rounded == 0) & (np.asarray(values) > 0)
    low, high = rounding_interval(rounded, base, threshold, is_low)
    hidden = state.hidden()
    low[hidden] = 0.0
    high[hidden] = np.inf
    structural = state.status == STRUCTURAL
    low[structural] = 0.0
    high[structural] = 0.0
    return low, high
