"""The leak audit on the demo's run folder (target: <= 30 s).

The demo (``gbo demo``: 5,000 synthetic person records, about 17,000 input rows with their
offences and events, every stage and the publication) is run into ``bench-data/audit-demo``
(reused when there), then ``gbo audit leaks`` is timed on its run folder in this process.
The processor time is printed beside the wall time (the steadier figure on a shared
machine). The audit at 1,000,000 records is timed by ``bench_scale`` (target <= 5 min).

    python -m benchmarks.bench_audit [--run RUN_DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.measure import measure, report

TARGET_SECONDS = 30


def demo_run() -> Path:
    from gbo.demo import run_demo
    from gbo.progress import SilentProgress

    out_dir = Path("bench-data") / "audit-demo"
    return run_demo(size=5000, seed=7, out_dir=out_dir, new=False, progress=SilentProgress())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, help="Audit this run folder instead of the demo's.")
    args = parser.parse_args()
    from gbo.config import RunConfig
    from gbo.leak_audit.leaks import scan_run_for_leaks
    from gbo.manifest import read_manifest
    from gbo.security import load_key_ring

    run_dir = (args.run or demo_run()).resolve()
    config = RunConfig.model_validate(read_manifest(run_dir).get("config", {}))
    keys = load_key_ring(config.vault.key_file, run_dir)
    cpu = time.process_time()
    with measure() as m:
        n_files, findings = scan_run_for_leaks(keys, run_dir)
    cpu = time.process_time() - cpu
    print(f"{n_files} files scanned, {len(findings)} findings, {cpu:.1f} s of processor time")
    report("leak audit", m, f"<= {TARGET_SECONDS} s")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
