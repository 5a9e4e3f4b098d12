"""Benchmark: disclosure control + publication of the tables from 1,000,000 person records.

Target: disclosure + publish <= 30 s. The inputs of the profile stage are generated with the
profile benchmark's generator (neutral synthetic distributions, in a child process), the
profile stage makes the characteristics tables (timed, but not part of the target), then
the disclosure stage and the publish stage run as the pipeline runs them.

If the disclosure stage cannot run, the profile tables are passed to publish in published
form without suppression, publish alone is timed, and the output says so.

    python -m benchmarks.bench_publish [--records N] [--no-ods]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.bench_profile import generate
from benchmarks.measure import Measurement, measure, report
from gbo import pipeline  # noqa: F401 - fills the stage numbers
from gbo.config import RunConfig
from gbo.runfolder import RunContext, StageResult, stage_folder_name

FIGURES = ("count", "denominator", "pct_of_all", "pct_of_recorded", "ci_lower", "ci_upper")


def cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def run_stage(run_dir: Path, stage: str, config: RunConfig) -> tuple[StageResult, Measurement]:
    """Run one stage into its partial folder and rename it, as the pipeline does.

    The measurement's wall time is as measured; its CPU time is printed alongside, since
    on a shared machine the wall time includes waiting for other processes.
    """
    module: Any = __import__(f"gbo.{stage}.stage", fromlist=["run"])
    folder = stage_folder_name(stage)
    partial = run_dir / f".{folder}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    ctx = RunContext(run_dir=run_dir, config=config, stage=stage)
    cpu = cpu_seconds()
    with measure() as m:
        result: StageResult = module.run(ctx)
    result.metrics["cpu_seconds"] = cpu_seconds() - cpu
    final = run_dir / folder
    if final.exists():
        shutil.rmtree(final)
    os.replace(partial, final)
    result.warnings.extend(ctx.warnings)
    return result, m


def pass_through(run_dir: Path) -> None:
    """Without the disclosure stage: profile tables in published form, nothing withheld."""
    source = run_dir / stage_folder_name("profile")
    target = run_dir / stage_folder_name("disclosure")
    target.mkdir(parents=True, exist_ok=True)
    rows = pq.read_table(source / "tables.parquet").to_pandas()
    for figure in FIGURES:
        rows[f"{figure}_display"] = [
            "[z]" if pd.isna(v) else (f"{int(v)}" if figure in FIGURES[:2] else f"{v:.1f}")
            for v in rows[figure]
        ]
    rows["suppression"] = pd.Series(pd.NA, index=rows.index, dtype="string")
    pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), target / "tables.parquet")
    shutil.copyfile(source / "tables.json", target / "tables.json")
    if (source / "statistics.parquet").exists():
        shutil.copyfile(source / "statistics.parquet", target / "statistics.parquet")


def prepare(records: int) -> Path:
    """Generate the inputs and run the profile stage once; later runs reuse them."""
    run_dir = (Path("bench-data") / f"publish-{records}").resolve()
    marker = run_dir / ".profiled"
    if marker.exists():
        return run_dir
    shutil.rmtree(run_dir, ignore_errors=True)
    with measure() as m:
        child = multiprocessing.get_context("fork").Process(
            target=generate, args=(run_dir, records)
        )
        child.start()
        child.join()
    if child.exitcode:
        raise SystemExit(f"generating the inputs failed (exit {child.exitcode})")
    print(f"generated {records:,} person records in {m.seconds:.1f} s", flush=True)
    manifest = {"run_id": run_dir.name, "is_synthetic": True, "created": "2026-11-26T00:00:00"}
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result, m = run_stage(run_dir, "profile", RunConfig())
    tables, cells = result.metrics.get("tables"), result.metrics.get("cells")
    print(
        f"profile stage (not part of the target): {m.seconds:.1f} s, {tables} tables, {cells} cells"
    )
    marker.touch()
    return run_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--no-ods", action="store_true", help="skip the LibreOffice conversion")
    args = parser.parse_args()
    run_dir = prepare(args.records)
    config = RunConfig.model_validate(
        {"run": {"is_synthetic": True}, "publish": {"write_ods": not args.no_ods}}
    )
    disclosure_seconds = disclosure_cpu = 0.0
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores", flush=True)  # fmt: skip
    try:
        result, m = run_stage(run_dir, "disclosure", config)
        disclosure_seconds = m.seconds
        disclosure_cpu = float(result.metrics["cpu_seconds"])
        report("disclosure stage", m)
        print(f"  CPU time {disclosure_cpu:.1f} s")
        timed = "disclosure + publish"
    except Exception as exc:  # noqa: BLE001 - any failure falls back to timing publish alone
        print(f"disclosure stage could not run ({type(exc).__name__}: {exc}); "
              "timing publish alone on unsuppressed tables")  # fmt: skip
        pass_through(run_dir)
        timed = "publish alone"
    result, m = run_stage(run_dir, "publish", config)
    report("publish stage", m)
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in result.metrics["seconds"].items())
    print(f"  CPU time {result.metrics['cpu_seconds']:.1f} s (LibreOffice included)")
    print(f"  {result.metrics['n_tables']} tables, {result.metrics['n_charts']} charts; {parts}")
    for warning in result.warnings[:5]:
        print(f"  warning: {warning}")
    total = disclosure_seconds + m.seconds
    total_cpu = disclosure_cpu + float(result.metrics["cpu_seconds"])
    verdict = "within" if total <= 30 else "OVER"
    print(f"{timed}: {total:.1f} s wall ({verdict} the 30 s target), {total_cpu:.1f} s CPU; "
          f"load average after: {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
