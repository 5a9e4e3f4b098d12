"""Run every ``benchmarks/bench_*.py`` in its own process and print their figures.

``python -m benchmarks`` runs them all; ``python -m benchmarks link groups`` runs those whose
names contain one of the words. Each benchmark prints its own figures; a failing one is
reported and the rest still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    benches = sorted(here.glob("bench_*.py"))
    if argv:
        benches = [b for b in benches if any(word in b.stem for word in argv)]
    failed = []
    for bench in benches:
        print(f"\n=== {bench.stem} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{bench.stem}"])
        print(f"--- {bench.stem}: exit {code}, {time.perf_counter() - started:.1f} s", flush=True)
        if code:
            failed.append(bench.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
