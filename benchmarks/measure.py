"""Measuring wall time and peak memory for benchmarks."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Measurement:
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def measure() -> Iterator[Measurement]:
    """Time a block; peak memory is the process's peak, so run one measured job per process."""
    m = Measurement()
    started = time.perf_counter()
    try:
        yield m
    finally:
        m.seconds = time.perf_counter() - started
        m.peak_rss_mb = peak_rss_mb()


def report(name: str, m: Measurement, target: str = "") -> None:
    suffix = f"   (target {target})" if target else ""
    print(f"{name}: {m.seconds:.1f} s, peak memory {m.peak_rss_mb:.0f} MB{suffix}", flush=True)
