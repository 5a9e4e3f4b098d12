"""Benchmark: the groups stage alone on a finished run folder, with a trace of its memory.

Runs ``gbo.groups.stage.run`` on the inputs already in ``RUN_DIR`` (its vault and link
outputs), without the pipeline: no fingerprint is checked and no other stage is run, so a
run folder made by another commit can be used as it is. The outputs are written to the
stage's partial folder and then moved to ``--out`` (``RUN_DIR/05_groups.bench`` by default);
the run folder's own ``05_groups`` and manifest are not touched.

A thread samples the resident memory of the process every 50 ms and names the step it was
in: every function of :mod:`gbo.groups` that the stage calls, and each table or file it
writes. It prints each step's wall time and the highest resident memory seen during it,
then the stage's wall time, processor time and peak (the kernel's high-water mark).

``--compare A B`` instead compares two output folders of the stage: every Parquet table
(its schema, and its rows in order, in DuckDB) and every other file byte for byte.

    python -m benchmarks.bench_groups_stage RUN_DIR [--out DIR] [--key-file PATH]
    python -m benchmarks.bench_groups_stage --compare DIR_A DIR_B
"""

from __future__ import annotations

import argparse
import filecmp
import functools
import json
import resource
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

SAMPLE_SECONDS = 0.05


def _rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next((ln for ln in status if ln.startswith("VmRSS")), "VmRSS: 0 kB")
    return int(line.split()[1]) // 1024


class MemoryTrace:
    """Resident memory sampled in a thread; each step open at a sample gets its peak."""

    def __init__(self) -> None:
        self.steps: list[list[Any]] = []  # [depth, name, seconds, peak MB], in start order
        self._open: list[list[Any]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss = _rss_mb()
            for entry in list(self._open):
                entry[3] = max(entry[3], rss)
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> MemoryTrace:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @contextmanager
    def enter(self, name: str) -> Iterator[None]:
        entry: list[Any] = [len(self._open), name, 0.0, _rss_mb()]
        self.steps.append(entry)
        self._open.append(entry)
        started = time.perf_counter()
        try:
            yield
        finally:
            entry[2] = time.perf_counter() - started
            entry[3] = max(entry[3], _rss_mb())
            self._open.remove(entry)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def traced(*args: Any, **kwargs: Any) -> Any:
            with self.enter(name):
                return function(*args, **kwargs)

        return traced


def run_stage(run_dir: Path, out: Path, key_file: Path | None) -> None:
    import gbo.groups.stage as stage
    from gbo.config import RunConfig
    from gbo.manifest import read_manifest
    from gbo.runfolder import RunContext
    from gbo.security import load_key_ring
    from gbo.stages import stage as declared_stage

    config = RunConfig.model_validate(read_manifest(run_dir)["config"])
    keys = load_key_ring(key_file or config.vault.key_file, run_dir)
    partial = run_dir / declared_stage("groups").partial_folder
    if partial.exists():
        shutil.rmtree(partial)
    trace = MemoryTrace()
    for name, value in list(vars(stage).items()):
        module = getattr(value, "__module__", "") or ""
        if callable(value) and module.startswith("gbo.groups.") and not isinstance(value, type):
            setattr(stage, name, trace.wrap(name, value))
    ctx = RunContext(run_dir=run_dir, config=config, stage="groups", key_loader=lambda: keys)
    for method in ("write_table", "write_text", "write_json"):
        original = getattr(ctx, method)
        setattr(ctx, method, _named_writer(trace, method, original))
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with trace, trace.enter("stage"):
        result = stage.run(ctx)
    seconds = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    if out.exists():
        shutil.rmtree(out)
    shutil.move(partial, out)
    print(f"{'step':44} {'s':>8} {'peak MB':>8}")
    for depth, name, step_seconds, peak in trace.steps:
        if step_seconds >= 0.5 or depth <= 1:
            label = "  " * depth + name
            print(f"{label[:44]:44} {step_seconds:8.1f} {peak:8d}")
    print(
        f"groups stage: {seconds:.1f} s wall, {cpu:.1f} s processor, "
        f"peak {cpu1.ru_maxrss / 1024:.0f} MB; outputs in {out}"
    )
    print("metrics " + json.dumps(result.metrics, default=str))


def _named_writer(
    trace: MemoryTrace, method: str, original: Callable[..., Any]
) -> Callable[..., Any]:
    def writer(name: str, *args: Any, **kwargs: Any) -> Any:
        with trace.enter(f"{method} {name}"):
            return original(name, *args, **kwargs)

    return writer


def _same_table(left: Path, right: Path) -> tuple[bool, int]:
    """The same schema and the same rows in the same order; compared in DuckDB (held to 1 GB,
    spilling the rest) so that tables of ten million records need not fit in memory."""
    from gbo.duckdb_spill import spilling_connection

    rows = pq.ParquetFile(left).metadata.num_rows
    if pq.read_schema(left) != pq.read_schema(right):
        return False, rows
    if rows != pq.ParquetFile(right).metadata.num_rows:
        return False, rows
    con = spilling_connection("1GB", "compare")
    try:
        numbered = "SELECT * FROM read_parquet('{}', file_row_number = true)"
        a, b = numbered.format(left), numbered.format(right)
        found = con.sql(
            f"SELECT (SELECT count(*) FROM ({a} EXCEPT ALL {b})) "
            f"+ (SELECT count(*) FROM ({b} EXCEPT ALL {a}))"
        ).fetchall()
    finally:
        con.close()
    return found[0][0] == 0, rows


def compare(a: Path, b: Path) -> bool:
    """Every file of ``a`` and ``b`` the same (Parquet tables by content); prints each."""
    names = sorted({p.relative_to(a) for p in a.rglob("*") if p.is_file()}
                   | {p.relative_to(b) for p in b.rglob("*") if p.is_file()})  # fmt: skip
    same = True
    for name in names:
        left, right = a / name, b / name
        if not left.is_file() or not right.is_file():
            print(f"only in one folder: {name}")
            same = False
            continue
        if name.suffix == ".parquet":
            equal, rows = _same_table(left, right)
            detail = f"{rows:,} rows"
        else:
            equal = filecmp.cmp(left, right, shallow=False)
            detail = f"{left.stat().st_size:,} bytes"
        same &= equal
        if name.parent.name != "networks" or not equal:
            print(f"{'same' if equal else 'DIFFERENT':9} {name} ({detail})")
    n_pictures = sum(1 for n in names if n.parent.name == "networks")
    print(f"network pictures compared: {n_pictures}")
    print("all outputs the same" if same else "OUTPUTS DIFFER")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", nargs="?", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--key-file", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("DIR_A", "DIR_B"))
    args = parser.parse_args()
    if args.compare:
        return 0 if compare(*args.compare) else 1
    if args.run_dir is None:
        parser.error("give RUN_DIR or --compare")
    from gbo.stages import stage_folder_name

    run_dir = args.run_dir.resolve()
    default_out = run_dir / f"{stage_folder_name('groups')}.bench"
    run_stage(run_dir, (args.out or default_out).resolve(), args.key_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
