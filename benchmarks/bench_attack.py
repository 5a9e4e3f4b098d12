"""The outside reader's attack (tests/disclosure/attacker.py) over several synthetic worlds.

For each size, seed and threshold it makes synthetic data, runs the whole pipeline at that
``disclosure.threshold`` into ``bench-data/attack/`` (reused when there) and attacks the
published folder, reading only its files. It prints, per run, how many cells are withheld,
how many the reader narrows below the threshold, the narrowest range it finds, and the
counts of 1 to k - 1 it can read or work out. Exit 1 if any run leaks.

    python -m benchmarks.bench_attack [--sizes 600 1500] [--seeds 1 2 3] [--thresholds 5 10]

Heavy: run it as ``flock /tmp/gbo-heavy.lock nice -n 5 python -m benchmarks.bench_attack``.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

from tests.disclosure.attacker import build_attack, solve

from gbo.config import config_from_dict
from gbo.pipeline import run_pipeline
from gbo.security.keys import key_ring_from_master
from gbo.stages import stage_folder_name
from gbo.synth import generate

KEYS = key_ring_from_master(b"b" * 32)


def release(size: int, seed: int, threshold: int) -> Path:
    root = Path("bench-data") / "attack" / f"{size}-{seed}-{threshold}"
    synth = generate(size=size, seed=seed, out_dir=root / "data")
    raw = tomllib.loads(synth.config_path.read_text())
    raw["run"]["runs_dir"] = str(root / "runs")
    raw["disclosure"] = {"threshold": threshold}
    config = config_from_dict(raw, base=synth.config_path.parent)
    config_path = root / "data" / "attack.toml"
    config_path.write_text("# made by benchmarks.bench_attack\n")
    run = run_pipeline(config, config_path=config_path, key_loader=lambda: KEYS)
    return run / stage_folder_name("publish")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 1500])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--thresholds", type=int, nargs="+", default=[5, 10])
    args = parser.parse_args()
    leaks = 0
    print("size seed k | withheld narrowed narrowest small-shown | pipeline s attack s")
    for size in args.sizes:
        for seed in args.seeds:
            for k in args.thresholds:
                started = time.perf_counter()
                folder = release(size, seed, k)
                built = time.perf_counter()
                attack = build_attack(folder, k)
                narrow, withheld = solve(attack, k)
                spent = time.perf_counter() - built
                narrowest = min((f.high - f.low for f in narrow), default=None)
                leaks += len(narrow) + len(attack.small_shown)
                print(
                    f"{size} {seed} {k} | {withheld} {len(narrow)} {narrowest} "
                    f"{len(attack.small_shown)} | {built - started:.0f} {spent:.0f}",
                    flush=True,
                )
                for f in narrow:
                    print(f"    narrowed {f.cell}: {f.low:.0f} to {f.high:.0f}")
                for s in attack.small_shown:
                    print(f"    shown {s}")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
