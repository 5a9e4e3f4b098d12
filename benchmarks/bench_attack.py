"""The outside reader's attack (tests/disclosure/attacker.py) over several synthetic worlds.

For each size, seed and threshold it makes synthetic data, runs the whole pipeline at that
``disclosure.threshold`` into ``bench-data/attack/`` (reused when there) and attacks the
published folder, reading only its files. It prints, per run, how many cells are withheld,
how many the reader narrows below the threshold, the narrowest range it finds, the
counts of 1 to k - 1 it can read or work out, the columns of people tables whose every
recorded member it can place in one category (attribute disclosure), and the zeros it knows
about a population of 1 to k - 1 people (negative attributes,
:mod:`tests.disclosure.attacker_negative`, judged with the run's true figures). Exit 1 if
any run leaks.

    python -m benchmarks.bench_attack [--sizes 600 1500] [--seeds 1 2 3] [--thresholds 5 10]
        [--variant default|sparse] [--rounding none|base5|base10] [--root bench-data/attack]
        [--attack-only]

``--variant sparse`` draws the worlds from a different generator setting than the one the
code was developed on (:data:`VARIANTS`): many more missing values, larger groups, more lone
offenders, an agency mix weighted to the police, more duplicates and bad rows.
``--rounding`` publishes rounded counts; the reader then also lists percentages that only
the true counts give and means that give their true n back (``from_truth``), and small counts
whose rounding it undoes exactly (``pinned``), each a leak.
Every run also counts the withheld statistics the reader works out exactly (contacts by
agency and by type, which add up), each a leak.
``--attack-only`` attacks releases already under ``--root`` without rerunning the pipeline
(to attack releases an older version of gbo published with a newer attacker).

Heavy: run it as ``flock /tmp/gbo-heavy.lock nice -n 5 python -m benchmarks.bench_attack``.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

from tests.disclosure.attacker import build_attack, solve
from tests.disclosure.attacker_attributes import attribute_disclosures
from tests.disclosure.attacker_groups import sensitivity_disagreements
from tests.disclosure.attacker_negative import negative_attribute_disclosures, true_figures

from gbo.config import config_from_dict
from gbo.pipeline import run_pipeline
from gbo.security.keys import key_ring_from_master
from gbo.stages import stage_folder_name
from gbo.synth import generate
from gbo.synth.settings import SynthSettings

KEYS = key_ring_from_master(b"b" * 32)

# generator settings other than the defaults the code was developed on
VARIANTS: dict[str, dict[str, object]] = {
    "default": {},
    "sparse": {
        "agency_shares": {"police": 0.55, "social_care": 0.25, "health": 0.2},
        "world": {
            "lone_offender_share": 0.55,
            "group_size_min": 3,
            "group_size_max": 60,
            "group_size_exponent": 1.2,
            "online_rate": 0.45,
            "victim_female_share": 0.6,
        },
        "presence": {"victim_in_health": 0.3, "duplicate_record_rate": 0.08},
        "corruption": {
            "missing_dob_rate": 0.15,
            "missing_sex_rate": 0.12,
            "missing_ethnicity_rate": 0.4,
            "missing_officer_ethnicity_rate": 0.3,
            "missing_nationality_rate": 0.35,
        },
        "bad_rows": {"future_date_rate": 0.02, "unknown_code_rate": 0.03},
    },
}


def published_folder(root: Path) -> Path:
    """The published folder of the latest run made under ``root`` (wherever its runs are)."""
    runs = sorted(root.rglob("runs/latest"))
    if not runs:
        raise SystemExit(f"no run under {root}")
    return runs[0] / stage_folder_name("publish")


def run_name(size: int, seed: int, threshold: int, variant: str, rounding: str) -> str:
    name = f"{size}-{seed}-{threshold}" + ("" if variant == "default" else f"-{variant}")
    return name + ("" if rounding == "none" else f"-{rounding}")


def release(size: int, seed: int, threshold: int, variant: str, rounding: str, base: Path) -> Path:
    root = base / run_name(size, seed, threshold, variant, rounding)
    settings = SynthSettings.model_validate(VARIANTS[variant])
    synth = generate(size=size, seed=seed, out_dir=root / "data", settings=settings)
    raw = tomllib.loads(synth.config_path.read_text())
    raw["run"]["runs_dir"] = str(root / "runs")
    raw["disclosure"] = {"threshold": threshold, "rounding": rounding}
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
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="default")
    parser.add_argument("--rounding", choices=["none", "base5", "base10"], default="none")
    parser.add_argument("--root", type=Path, default=Path("bench-data") / "attack")
    parser.add_argument("--attack-only", action="store_true")
    args = parser.parse_args()
    leaks = 0
    print(
        "size seed k | withheld narrowed narrowest small-shown attribute negative "
        "from-truth pinned recovered | pipeline s attack s"
    )
    for size in args.sizes:
        for seed in args.seeds:
            for k in args.thresholds:
                started = time.perf_counter()
                name = run_name(size, seed, k, args.variant, args.rounding)
                folder = (
                    published_folder(args.root / name)
                    if args.attack_only
                    else release(size, seed, k, args.variant, args.rounding, args.root)
                )
                built = time.perf_counter()
                attack = build_attack(folder, k)
                narrow, withheld = solve(attack, k)
                truth = true_figures(
                    folder.parent / stage_folder_name("profile"),
                    folder.parent / stage_folder_name("lessons"),
                )
                attributes = attribute_disclosures(attack, truth)
                negatives = negative_attribute_disclosures(attack, truth, k)
                disagreements = sensitivity_disagreements(folder)
                spent = time.perf_counter() - built
                narrowest = min((f.high - f.low for f in narrow), default=None)
                leaks += len(narrow) + len(attack.small_shown) + len(attributes) + len(negatives)
                leaks += len(disagreements) + len(attack.from_truth) + len(attack.pinned)
                leaks += len(attack.recovered)
                print(
                    f"{size} {seed} {k} | {withheld} {len(narrow)} {narrowest} "
                    f"{len(attack.small_shown)} {len(attributes)} {len(negatives)} "
                    f"{len(attack.from_truth)} {len(attack.pinned)} {len(attack.recovered)} "
                    f"| {built - started:.0f} "
                    f"{spent:.0f}",
                    flush=True,
                )
                for f in narrow:
                    print(f"    narrowed {f.cell}: {f.low:.0f} to {f.high:.0f}")
                for s in [*attack.small_shown, *attributes, *negatives]:
                    print(f"    shown {s}")
                for s in attack.from_truth:
                    print(f"    from the true counts: {s}")
                for s in attack.recovered:
                    print(f"    withheld statistic worked out: {s}")
                for f in attack.pinned:
                    print(f"    rounding undone {f.cell}: {f.low:.0f}")
                for s in disagreements:
                    print(f"    published two ways: {s}")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
