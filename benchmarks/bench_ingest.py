"""Ingest + vault on 1,000,000 synthetic person records (with their offences and events).

The synthetic exports are made once into ``bench-data/ingest-<size>/`` (in a child process,
so that generating them does not count towards this process's peak memory) and reused.
Then the pipeline runs up to the vault stage in this process, and the wall time, the peak
memory and the rows per second are printed against the targets (<= 60 s, <= 2 GB).

    python -m benchmarks.bench_ingest [--size N] [--until ingest|vault]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import measure, report

SIZE = 1_000_000
SEED = 11
TARGET_SECONDS = 60
TARGET_MB = 2048


def make_data(size: int, seed: int) -> Path:
    """Generate (or reuse) the synthetic exports; returns the run configuration file."""
    out_dir = Path("bench-data") / f"ingest-{size}"
    code = (
        "import sys; from pathlib import Path; from gbo.synth import generate; "
        f"print(generate(size={size}, seed={seed}, out_dir=Path({str(out_dir)!r})).config_path)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return Path(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--until", choices=["ingest", "vault"], default="vault")
    args = parser.parse_args()

    from gbo.config import load_config
    from gbo.pipeline import run_pipeline
    from gbo.security.keys import KEY_ENV_VAR, make_throwaway_key

    print(f"synthetic data: {args.size:,} person records (generated once, then reused)")
    config_path = make_data(args.size, SEED)
    os.environ.setdefault(KEY_ENV_VAR, make_throwaway_key())
    config = load_config(config_path)
    load_before = os.getloadavg()[0]
    cpu_started = time.process_time()
    with tempfile.TemporaryDirectory(prefix="gbo-bench-ingest-") as tmp:
        with measure() as m:
            run_dir = run_pipeline(
                config, run_dir=Path(tmp) / "run", resume=False, until=args.until
            )
        cpu_seconds = time.process_time() - cpu_started
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    metrics = manifest["stages"]["ingest"]["metrics"]
    rows = int(metrics["rows_read"])
    stages = " + ".join(manifest["stages"])
    for name, stage in manifest["stages"].items():
        print(f"  {name}: {stage['seconds']:.1f} s")
    print(
        f"  rows read {rows:,}, accepted {metrics['rows_accepted']:,}, "
        f"rejected {metrics['rows_rejected']:,}; tables {metrics['tables']}"
    )
    report(f"{stages} ({args.size:,} person records)", m, f"<= {TARGET_SECONDS} s, <= 2 GB")
    print(f"  {rows / m.seconds:,.0f} input rows per second")
    print(
        f"  CPU time {cpu_seconds:.1f} s over {os.cpu_count()} cores "
        f"(load average before: {load_before:.1f}; a busy machine inflates wall time)"
    )
    ok = m.seconds <= TARGET_SECONDS and m.peak_rss_mb <= TARGET_MB
    print("  within target" if ok else "  OVER TARGET")


if __name__ == "__main__":
    main()
