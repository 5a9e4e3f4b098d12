"""Spark against DuckDB on one machine: the same linkage, the same records, both backends.

The records are synthetic exports ingested and vaulted by the real pipeline (shared with
the linkage benchmark, ``bench-data/link-<size>``). Each backend runs the whole linkage
(prior, u by sampling, EM, scoring, clustering, guards) in a process of its own; Spark runs
with ``master = local[*]`` and the default ``[link.spark]`` settings. Printed per backend:
wall time by step, the Python process's processor time and peak memory (Spark's JVM is a
separate process whose heap is capped by ``link.spark.driver_memory``), and how far the
accepted links of the two agree. On one node DuckDB is expected to win: Spark pays for
its start-up and for shuffling between tasks what DuckDB keeps in one process.

    python -m benchmarks.bench_spark [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_link import ROOT, _cpu_seconds, _identity, prepare
from benchmarks.measure import measure

SIZES = (100_000,)


def worker(backend: str, run_dir: Path) -> dict[str, Any]:
    from gbo.link.linkage import link_records
    from gbo.link.settings import LinkSettings
    from gbo.link.standardise import standardise_identity

    identity = _identity(run_dir)
    standard = standardise_identity(identity)
    settings = LinkSettings(backend="spark" if backend == "spark" else "duckdb")
    started = time.perf_counter()
    if backend == "spark":
        from gbo.link.spark_session import spark_session

        spark_session(settings.spark)
    start_up = time.perf_counter() - started
    cpu_before = _cpu_seconds()
    with measure() as m:
        result = link_records(standard, settings)
    links = sorted(
        f"{min(a, b)}|{max(a, b)}"
        for a, b in zip(result.links["unique_id_l"], result.links["unique_id_r"], strict=True)
    )
    out = run_dir.parent / f"links-{backend}.json"
    out.write_text(json.dumps(links), encoding="utf-8")
    return {
        "backend": backend,
        "records": identity.num_rows,
        "start_up_seconds": round(start_up, 1),
        "seconds": round(m.seconds, 1),
        "cpu_seconds": round(_cpu_seconds() - cpu_before, 1),
        "peak_mb": round(m.peak_rss_mb),
        "links": len(links),
        **result.timings,
    }


def _spawn(backend: str, run_dir: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.bench_spark", "--worker", backend, str(run_dir)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{backend} worker failed (exit {done.returncode})")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def compare(run_dir: Path) -> str:
    duck = set(json.loads((run_dir.parent / "links-duckdb.json").read_text(encoding="utf-8")))
    spark = set(json.loads((run_dir.parent / "links-spark.json").read_text(encoding="utf-8")))
    both = len(duck & spark)
    return (
        f"accepted links in common: {both:,} of {len(duck):,} (DuckDB) and {len(spark):,} "
        f"(Spark); each trained its own model, so small differences come from EM's sampling"
    )


def main() -> int:
    if sys.argv[1:2] == ["--worker"]:
        print(json.dumps(worker(sys.argv[2], Path(sys.argv[3]))), flush=True)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    for size in args.sizes:
        run_dir = prepare(size)
        print(f"\n{size:,} person records")
        for backend in ("duckdb", "spark"):
            r = _spawn(backend, run_dir)
            print(
                f"  {backend:7} {r['seconds']:7.1f} s (train {r['train_seconds']:.1f}, "
                f"predict {r['predict_seconds']:.1f}, cluster {r['cluster_seconds']:.1f}; "
                f"Spark start-up {r['start_up_seconds']:.1f} s not included), "
                f"python cpu {r['cpu_seconds']:.1f} s, python peak {r['peak_mb']} MB, "
                f"{r['links']:,} links",
                flush=True,
            )
        print(f"  {compare(run_dir)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
