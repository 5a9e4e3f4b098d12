"""Spark against DuckDB on one machine: the same linkage, the same records, both backends.

The records are synthetic exports ingested and vaulted by the real pipeline (shared with
the linkage benchmark, ``bench-data/link-<size>``). Each backend runs in a process of its
own, and each process measures its whole process tree (for Spark: the Python driver, its
JVM and the JVM's Python workers) with psutil: wall time, processor time (user + system,
all processes) and peak resident memory (the sum over the tree, sampled every 0.2 s).

For each size, in this order:

1. DuckDB trains the model (prior, u, EM) and links: the full linkage. Its model is saved.
2. DuckDB links again with that model (scoring and clustering only): the reference links.
3. Spark (``local[*]``, ``[link.spark]`` defaults bar ``driver_memory``) links with the
   *same* model, moved onto Spark's SQL: its accepted links are compared with step 2,
   pair by pair. Same records and parameters should give the same links.
4. Spark trains its own model and links (the full linkage on Spark), at sizes up to
   ``--spark-training-up-to`` (100,000 by default: at 1,000,000 on two cores it would
   take the best part of an hour). Its links differ from step 1 by what the training
   samples differ by (u and EM on Spark's random sample).

On one node DuckDB is expected to win: Spark pays for its JVM, for planning each of the
many queries Splink runs, and for shuffling between tasks what DuckDB keeps in one process.

    python -m benchmarks.bench_spark [--sizes 100000 1000000] [--driver-memory 4g]

Each worker's whole standard error is kept in ``bench-data/link-<size>/spark-bench-*.err``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from benchmarks.bench_link import ROOT, _identity, prepare

SIZES = (100_000, 1_000_000)
STEPS = ("duckdb", "duckdb-given", "spark-given", "spark")


@dataclass
class Tree:
    """Wall, processor time and peak memory of this process and all its descendants."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0
    python_workers: bool = False  # whether Spark started Python workers (pyspark.daemon)


def _tree() -> list[psutil.Process]:
    me = psutil.Process()
    return [me, *me.children(recursive=True)]


def _tree_cpu() -> float:
    total = 0.0
    for proc in _tree():
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def _tree_rss_mb() -> tuple[float, bool]:
    """The tree's resident memory, and whether a Spark Python worker is among it."""
    total, workers = 0, False
    for proc in _tree():
        try:
            total += proc.memory_info().rss
            workers = workers or any(part.startswith("pyspark.") for part in proc.cmdline())
        except psutil.Error:
            continue
    return total / 2**20, workers


@contextmanager
def measure_tree() -> Iterator[Tree]:
    """Measure a block over the whole process tree (the JVM included)."""
    result = Tree()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, workers = _tree_rss_mb()
            result.peak_mb = max(result.peak_mb, rss)
            result.python_workers = result.python_workers or workers
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    cpu, started = _tree_cpu(), time.perf_counter()
    sampler.start()
    try:
        yield result
    finally:
        result.cpu_seconds = _tree_cpu() - cpu
        result.seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        result.peak_mb = max(result.peak_mb, _tree_rss_mb()[0])


def _link_keys(links: Any) -> list[str]:
    pairs = zip(links["unique_id_l"], links["unique_id_r"], strict=True)
    return sorted(f"{min(a, b)}|{max(a, b)}" for a, b in pairs)


def blocked_pairs(standard: Any) -> int:
    """How many pairs the prediction blocking rules make (counted exactly, on DuckDB)."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from gbo.link.backend import make_database_api
    from gbo.link.model import backend_settings_dict
    from gbo.link.ordering import content_ids
    from gbo.link.settings import LinkSettings

    settings = LinkSettings()
    records = make_database_api(settings).register(content_ids(standard)[0])
    counts = count_comparisons_from_blocking_rules(
        records,
        blocking_rules=backend_settings_dict(settings)["blocking_rules_to_generate_predictions"],
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    return int(counts[-1]["cumulative_comparison_count"])


def worker(
    backend: str, run_dir: Path, driver_memory: str, train_spark: bool
) -> list[dict[str, Any]]:
    """One backend's steps, each with its own figures (peak memory: during that step)."""
    from gbo.link.linkage import link_records
    from gbo.link.settings import LinkSettings
    from gbo.link.spark_settings import SparkSettings
    from gbo.link.standardise import standardise_identity

    out = run_dir.parent
    identity = _identity(run_dir)
    standard = standardise_identity(identity)
    figures: list[dict[str, Any]] = []

    def step(name: str, settings: LinkSettings, model: dict[str, Any] | None) -> Any:
        with measure_tree() as m:
            result = link_records(standard, settings, model=model)
        links = _link_keys(result.links)
        (out / f"links-{name}.json").write_text(json.dumps(links), encoding="utf-8")
        figures.append(
            {
                "step": name,
                "records": identity.num_rows,
                "seconds": round(m.seconds, 1),
                "cpu_seconds": round(m.cpu_seconds, 1),
                "peak_mb": round(m.peak_mb),
                "links": len(links),
                "pairs": len(result.pairs),
                "threshold": result.match_threshold,
                "python_workers": m.python_workers,
                **result.timings,
            }
        )
        return result

    if backend == "duckdb":
        trained = step("duckdb", LinkSettings(), None).model
        (out / "model-duckdb.json").write_text(json.dumps(trained), encoding="utf-8")
        step("duckdb-given", LinkSettings(), trained)
        figures.append({"step": "blocked pairs", "blocked_pairs": blocked_pairs(standard)})
        return figures

    from gbo.link.spark_session import spark_session

    spark = SparkSettings(driver_memory=driver_memory)
    settings = LinkSettings(backend="spark", spark=spark)
    with measure_tree() as m:
        spark_session(spark)
    figures.append({"step": "spark start-up", "seconds": round(m.seconds, 1)})
    trained = json.loads((out / "model-duckdb.json").read_text(encoding="utf-8"))
    step("spark-given", settings, trained)
    if train_spark:
        step("spark", settings, None)
    return figures


def _spawn(
    backend: str, run_dir: Path, args: argparse.Namespace, train: bool
) -> list[dict[str, Any]]:
    command = [
        sys.executable,
        *("-m", "benchmarks.bench_spark", "--worker", backend, str(run_dir)),
        *("--driver-memory", args.driver_memory),
        *(() if train else ("--no-spark-training",)),
    ]
    err = run_dir.parent / f"spark-bench-{backend}.err"
    with err.open("w", encoding="utf-8") as stderr:
        done = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT, check=False
        )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("[")]
    if done.returncode or not lines:
        text = err.read_text(encoding="utf-8", errors="replace")
        caused = [ln for ln in text.splitlines() if "Caused by" in ln or "Error" in ln][:5]
        print("\n".join(caused) or text[-3000:], file=sys.stderr)
        raise SystemExit(f"{backend} worker failed (exit {done.returncode}); log: {err}")
    figures: list[dict[str, Any]] = json.loads(lines[-1])
    return figures


def agreement(out: Path, left: str, right: str) -> str:
    a = set(json.loads((out / f"links-{left}.json").read_text(encoding="utf-8")))
    b = set(json.loads((out / f"links-{right}.json").read_text(encoding="utf-8")))
    return (
        f"{left} vs {right}: {len(a & b):,} links in common, {len(a - b):,} only in {left}, "
        f"{len(b - a):,} only in {right}"
    )


def _print(r: dict[str, Any]) -> None:
    if "blocked_pairs" in r:
        print(f"  {r['step']:14} {r['blocked_pairs']:,}", flush=True)
        return
    if "links" not in r:
        print(f"  {r['step']:14} {r['seconds']:8.1f} s wall", flush=True)
        return
    print(
        f"  {r['step']:14} {r['seconds']:8.1f} s wall (train {r['train_seconds']:.1f}, "
        f"predict {r['predict_seconds']:.1f}, cluster {r['cluster_seconds']:.1f}), "
        f"{r['cpu_seconds']:8.1f} s cpu, peak {r['peak_mb']:,} MB, "
        f"{r['pairs']:,} pairs, {r['links']:,} links at {r['threshold']}"
        + (", Python workers started" if r["python_workers"] else ""),
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--driver-memory", default="4g", help="link.spark.driver_memory")
    parser.add_argument(
        "--spark-training-up-to",
        type=int,
        default=100_000,
        help="train on Spark too (step 4) at sizes up to this; 0: never",
    )
    parser.add_argument(
        "--no-spark-training", dest="spark_training", action="store_false", help="internal"
    )
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "RUN_DIR"), help="internal")
    args = parser.parse_args()
    if args.worker:
        backend, run_dir = args.worker
        figures = worker(backend, Path(run_dir), args.driver_memory, args.spark_training)
        print(json.dumps(figures), flush=True)
        return 0
    for size in args.sizes:
        run_dir = prepare(size)
        out = run_dir.parent
        print(f"\n{size:,} person records (Spark: local[*], driver memory {args.driver_memory})")
        train = size <= args.spark_training_up_to
        for backend in ("duckdb", "spark"):
            for r in _spawn(backend, run_dir, args, train):
                _print(r)
        print(f"  {agreement(out, 'duckdb-given', 'spark-given')}  (same model)", flush=True)
        if train:
            print(f"  {agreement(out, 'duckdb', 'spark')}  (each trained its own)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
