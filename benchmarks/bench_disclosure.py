"""Disclosure control time on the tables made from 1,000,000 person records.

The number of tables and cells hardly grows with the number of people (it grows with the
number of categories: areas, ethnicities, bands), so the tables are made once from a
million synthetic people across 300 areas, and disclosure control (primary, dominance,
LP-checked secondary suppression, the published form and the independent LP audit) is
timed on them with the default settings and with threshold 10 and base-10 rounding. The
target is 60 s for disclosure and its audit, each.

Run: ``python -m benchmarks.bench_disclosure``. The publish stage's timing is in
``benchmarks/bench_publish.py``.
"""

from __future__ import annotations

import os
import resource
import time

from tests.disclosure.factories import make_tables

from benchmarks.measure import measure, report
from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings

PEOPLE = 1_000_000
AREAS = 300
# areas' shares fall steeply (a few large cities, many small places), as in real data,
# so the area tables have many small cells
AREA_EXPONENT = 2.2


def cpu_seconds() -> float:
    """User + system CPU time of this process (the machine may be shared with others)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    started = time.perf_counter()
    rows, metadata, statistics = make_tables(
        PEOPLE, seed=2026, n_areas=AREAS, area_exponent=AREA_EXPONENT
    )
    print(
        f"tables from {PEOPLE:,} person records: {rows['table_id'].nunique()} tables, "
        f"{len(rows):,} cells, made in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    for label, settings in (
        ("disclosure (threshold 5, no rounding)", DisclosureSettings()),
        (
            "disclosure (threshold 10, base-10 rounding)",
            DisclosureSettings(threshold=10, rounding="base10"),
        ),
    ):
        cpu = cpu_seconds()
        with measure() as m:
            result = control_disclosure(rows, metadata, settings, statistics)
        report(label, m, target="<= 60 s (disclosure and audit)")
        load = os.getloadavg()[0]
        print(f"  CPU time {cpu_seconds() - cpu:.1f} s (load average {load:.1f})", flush=True)
        metrics = result.metrics
        print(
            f"  withheld: {metrics['n_primary']} primary, {metrics['n_secondary']} secondary "
            f"in {metrics['secondary_rounds']} round(s); audit "
            f"{'passed' if metrics['audit_passed'] else 'FAILED'} with "
            f"{metrics['audit_linear_programmes']} linear programmes "
            f"({metrics['audit_integer_programmes']} needing integrality) in "
            f"{metrics['audit_seconds']:.1f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
