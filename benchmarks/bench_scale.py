"""National scale: ingest -> publish on 1,000,000 and 10,000,000 synthetic person records.

For each size the synthetic exports are made (or reused) in ``bench-data/scale-<size>/``,
then every stage of the pipeline runs in a child process of its own (resuming the same run
folder, so the stages before it are kept, not redone), and so does the leak audit of the
finished run. Each child reports the stage's wall time, its processor time and the peak
resident memory of its process, so the memory figure is the stage's own. Targets (issue
#15, on a 2-core, 16 GB machine, DuckDB backend): 1M end to end <= 3 min and <= 4 GB;
10M <= 30 min and <= 16 GB; the leak audit at 1M <= 5 min.

    python -m benchmarks.bench_scale [--records 1000000 10000000] [--backend duckdb|spark]
                                     [--until STAGE]

``--until ingest`` (for example) stops after that stage, for the part of the pipeline a
session has time for; the targets are then not judged. Generations above a million records
are made in shards (see ``docs/synthetic-data.md``), so the synthetic data of 10M fit in
the memory of one shard.

Wall times on a shared machine include waiting for other processes; the processor time is
printed beside them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SIZES = (1_000_000, 10_000_000)
SEED = 7
TARGETS = {1_000_000: (180.0, 4096.0), 10_000_000: (1800.0, 16384.0)}
AUDIT_TARGET_1M = 300.0
RESULT = "RESULT "


def _cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _config_path(size: int) -> Path:
    return Path("bench-data") / f"scale-{size}" / "demo.toml"


def _child_synth(size: int) -> dict[str, Any]:
    from gbo.demo import write_demo_config
    from gbo.progress import SilentProgress
    from gbo.synth import generate

    out_dir = _config_path(size).parent.resolve()
    synth = generate(size=size, seed=SEED, out_dir=out_dir)
    write_demo_config(synth, out_dir, SEED, SilentProgress())
    return {"records": size}


def _config(size: int, backend: str) -> Any:
    from gbo.config import load_config

    config = load_config(_config_path(size).resolve())
    if backend == "duckdb":
        return config
    link = config.link.model_copy(update={"backend": backend})
    return config.model_copy(update={"link": link})


def _child_stage(size: int, stage: str, backend: str, run_dir: Path) -> dict[str, Any]:
    from gbo.manifest import read_manifest
    from gbo.pipeline import run_pipeline

    config_path = _config_path(size).resolve()
    run_pipeline(_config(size, backend), config_path=config_path, run_dir=run_dir, until=stage)
    done = read_manifest(run_dir)["stages"][stage]
    return {"status": done.get("status"), "stage_seconds": done.get("seconds")}


def _child_audit(run_dir: Path) -> dict[str, Any]:
    from gbo.config import RunConfig
    from gbo.leak_audit.leaks import scan_run_for_leaks
    from gbo.manifest import read_manifest
    from gbo.security import load_key_ring

    config = RunConfig.model_validate(read_manifest(run_dir).get("config", {}))
    n_files, findings = scan_run_for_leaks(load_key_ring(config.vault.key_file, run_dir), run_dir)
    return {"files": n_files, "findings": len(findings)}


def child(argv: list[str]) -> None:
    """``--child STEP SIZE BACKEND RUN_DIR``: one step in this process; prints its figures."""
    step, size, backend, run_dir = argv[0], int(argv[1]), argv[2], Path(argv[3])
    started = time.perf_counter()
    if step == "synth":
        extra = _child_synth(size)
    elif step == "audit":
        extra = _child_audit(run_dir)
    else:
        extra = _child_stage(size, step, backend, run_dir)
    figures = {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": _cpu_seconds(),
        "peak_mb": _peak_mb(),
        **extra,
    }
    print(RESULT + json.dumps(figures), flush=True)


def run_step(step: str, size: int, backend: str, run_dir: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.bench_scale", "--child", step, str(size)]
    done = subprocess.run(
        [*command, backend, str(run_dir)], capture_output=True, text=True, check=False
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(RESULT)]
    if done.returncode or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{step} at {size:,} failed (exit {done.returncode}):\n{tail}")
    figures: dict[str, Any] = json.loads(lines[-1][len(RESULT) :])
    return figures


def _line(name: str, seconds: float, figures: dict[str, Any], note: str = "") -> None:
    print(f"  {name:22} {seconds:8.1f} s  cpu {figures['cpu_seconds']:8.1f} s  "
          f"peak {figures['peak_mb']:7.0f} MB  {note}".rstrip(), flush=True)  # fmt: skip


def bench_size(size: int, backend: str, until: str | None = None) -> bool:
    from gbo.pipeline import STAGES

    names = [spec.name for spec in STAGES]
    stages = names[: names.index(until) + 1] if until else names
    print(f"\n{size:,} person records, {backend} backend", flush=True)
    synth = run_step("synth", size, backend, Path("."))
    _line("synth (not counted)", synth["seconds"], synth)
    run_dir = (Path("bench-data") / f"scale-{size}" / f"run-{backend}").resolve()
    total, cpu, peak = 0.0, 0.0, 0.0
    for name in stages:
        figures = run_step(name, size, backend, run_dir)
        seconds = float(figures["stage_seconds"] or figures["seconds"])
        total += seconds
        cpu += figures["cpu_seconds"]
        peak = max(peak, figures["peak_mb"])
        _line(name, seconds, figures, f"(process {figures['seconds']:.1f} s)")
    if until:
        print(f"  ingest -> {until}: {total:.1f} s, cpu {cpu:.1f} s, peak {peak:.0f} MB "
              "(stopped early: targets not judged)", flush=True)  # fmt: skip
        return True
    audit = run_step("audit", size, backend, run_dir)
    _line("leak audit", audit["seconds"], audit, f"{audit['files']} files, "
          f"{audit['findings']} findings")  # fmt: skip
    verdict = "no target at this size"
    if size in TARGETS:
        target_s, target_mb = TARGETS[size]
        met = total <= target_s and peak <= target_mb
        verdict = (
            f"target <= {target_s:.0f} s, <= {target_mb:.0f} MB: {'met' if met else 'NOT met'}"
        )
    print(f"  ingest -> publish: {total:.1f} s, cpu {cpu:.1f} s, peak {peak:.0f} MB ({verdict})",
          flush=True)  # fmt: skip
    if size == 1_000_000:
        met = audit["seconds"] <= AUDIT_TARGET_1M
        print(f"  leak audit target <= {AUDIT_TARGET_1M:.0f} s: {'met' if met else 'NOT met'}")
    return bool(audit["findings"] == 0)


def _stage_names() -> list[str]:
    from gbo.pipeline import STAGES

    return [spec.name for spec in STAGES]


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--until", choices=_stage_names(), help="stop after this stage")
    args = parser.parse_args()
    clean = True
    for size in args.records:
        try:
            clean = bench_size(size, args.backend, args.until) and clean
        except RuntimeError as exc:
            print(f"  {exc}", flush=True)
            return 1
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
