"""Linkage benchmark: gbo's linkage against a plain Splink 5 model on the same synthetic data.

For each size, synthetic agency exports with ground truth are generated (``gbo.synth``),
ingested and vaulted by the real pipeline (kept in ``bench-data/`` and reused), then each
model runs in its own process on the decrypted identity table so that peak memory is honest:

* **gbo** - ``gbo.link``: standardisation, guarded EM, blocking on standardised keys,
  clustering at the configured threshold, weak-link guard;
* **plain Splink** - names, date of birth, postcode and address with Splink's comparison
  library (and an exact NHS number comparison when the data records one, so that both
  models see the same information), nine blocking rules (ten with the NHS number), default
  training (prior, u by sampling, EM), clustering at 0.9.

Printed: pairwise and cluster precision / recall / F1 (targets for gbo: P >= 0.995,
R >= 0.97), cluster recall by perturbation class, by sex and by ethnicity group of the true
person (spread target <= 0.03), false merges by kind, and wall time and peak memory (at 1M
records: gbo <= 0.5x plain Splink's time and <= 4 GB).

``--profile`` picks a declared generator profile (:mod:`gbo.synth.profiles`): ``default``
is the data linkage is tuned on, ``heldout`` a setting it is never tuned on (no NHS numbers,
no address lines, other name frequencies, more of every difficulty). Report both.
``python -m benchmarks.bench_link [--profile heldout] [--sizes 100000 ...]
[--max-block-size N|none]`` (the block-size guard's bound for gbo; the setting's by default).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from benchmarks.link_breakdown import print_breakdown
from benchmarks.measure import measure
from gbo.stages import stage_folder_name

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
ACCURACY_SIZE = 100_000
SCALE_SIZE = 1_000_000


def prepare(size: int, profile: str = "default") -> Path:
    """Synthetic exports, ingested and vaulted; returns the run folder (reused when present)."""
    from gbo.config import load_config
    from gbo.demo import demo_key_file
    from gbo.pipeline import run_pipeline
    from gbo.security.keys import KEY_ENV_VAR, KEY_FILE_ENV_VAR
    from gbo.synth import generate
    from gbo.synth.profiles import profile_settings

    settings, seed = profile_settings(profile)
    out = DATA / (f"link-{size}" if profile == "default" else f"link-{profile}-{size}")
    os.environ.pop(KEY_ENV_VAR, None)
    os.environ[KEY_FILE_ENV_VAR] = str(demo_key_file(out))
    config_path = generate(size=size, seed=seed, out_dir=out, settings=settings).config_path
    run_dir = out / "run"
    identity = run_dir / stage_folder_name("vault") / "identity.parquet.enc"
    truth = out / "ground_truth" / "person_records.parquet"
    # The generator rewrites its files when its settings change: vault them again then.
    if not identity.is_file() or truth.stat().st_mtime > identity.stat().st_mtime:
        config = load_config(config_path)
        run_pipeline(config, config_path=config_path, run_dir=run_dir, until="vault")
    return run_dir


def _identity(run_dir: Path) -> pa.Table:
    from gbo.demo import demo_key_file
    from gbo.security import load_key_ring, read_encrypted_table
    from gbo.security.keys import KEY_ENV_VAR, KEY_FILE_ENV_VAR

    os.environ.pop(KEY_ENV_VAR, None)
    os.environ[KEY_FILE_ENV_VAR] = str(demo_key_file(run_dir.parent))
    keys = load_key_ring()
    return read_encrypted_table(keys, run_dir / stage_folder_name("vault") / "identity.parquet.enc")


def _truth(run_dir: Path) -> pd.DataFrame:
    from gbo.link.stage import read_ground_truth
    from gbo.security import load_key_ring

    path = run_dir.parent / "ground_truth" / "person_records.parquet"
    return read_ground_truth(path, load_key_ring())


def _true_people(run_dir: Path) -> pd.DataFrame:
    """Each true person's sex and ethnicity group (only to report error by group)."""
    from gbo.link.bias import ethnicity_group

    people = pd.read_parquet(run_dir.parent / "ground_truth" / "persons.parquet")
    return pd.DataFrame(
        {
            "entity_id": people["true_person_id"].astype(str),
            "sex": people["sex"],
            "ethnicity_group": people["ethnicity_self"].map(ethnicity_group),
        }
    )


LAST_ESTIMATES: dict[str, Any] = {}
#: ``link.max_block_size`` for gbo's model in the workers ("none": the guard off); unset, the
#: setting's own. Set by ``--max-block-size`` here and in ``bench_febrl``.
MAX_BLOCK_ENV = "GBO_BENCH_MAX_BLOCK_SIZE"


def bench_settings() -> Any:
    from gbo.link.settings import LinkSettings

    settings = LinkSettings()
    chosen = os.environ.get(MAX_BLOCK_ENV)
    if chosen:
        bound = None if chosen.lower() == "none" else int(chosen)
        settings = settings.model_copy(update={"max_block_size": bound})
    return settings


def set_max_block_size(value: str | None) -> None:
    """``--max-block-size`` of the benchmarks: passed to the workers through the environment."""
    if value:
        os.environ[MAX_BLOCK_ENV] = value
        print(f"link.max_block_size = {value}", flush=True)


def run_gbo(identity: pa.Table) -> tuple[pd.DataFrame, pd.DataFrame]:
    """gbo's linkage: (accepted links, clusters); its label-free estimates and scored pairs
    are kept in ``LAST_ESTIMATES`` to be checked against the truth."""
    from gbo.link.linkage import link_records
    from gbo.link.standardise import standardise_identity

    result = link_records(standardise_identity(identity), bench_settings())
    LAST_ESTIMATES.clear()
    LAST_ESTIMATES.update(
        result.estimates,
        pairs=result.pairs[["unique_id_l", "unique_id_r"]],
        match_threshold=result.match_threshold,
        conflict_guards=result.reliability,
    )
    return result.links[["unique_id_l", "unique_id_r"]], result.clusters


def estimates_against_truth(truth: pd.DataFrame) -> dict[str, Any]:
    """gbo's label-free estimates beside what the ground truth says."""
    from gbo.link.quality import pairwise_scores

    if not LAST_ESTIMATES:
        return {}
    scored = pairwise_scores(LAST_ESTIMATES["pairs"], truth)
    at = next(r for r in LAST_ESTIMATES["threshold_curve"] if r["threshold"] == 0.99)
    return {
        "match_threshold_chosen": LAST_ESTIMATES["match_threshold"],
        "date_guards_active": LAST_ESTIMATES["conflict_guards"]["date_guards_active"],
        "sex_guards_active": LAST_ESTIMATES["conflict_guards"]["sex_guards_active"],
        "forename_guard_without_sex_active": LAST_ESTIMATES["conflict_guards"][
            "forename_guard_without_sex_active"
        ],
        "shares_measured": LAST_ESTIMATES["conflict_guards"]["measured"],
        "estimated_blocking_recall": LAST_ESTIMATES["blocking"]["estimated_blocking_recall"],
        "true_pairs_scored_share": round(scored.recall, 4),
        "estimated_precision_at_0.99": at["estimated_precision"],
        "estimated_recall_at_0.99": at["estimated_recall"],
    }


def run_plain_splink(table: pa.Table) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A plain Splink 5 model with default training: (links at 0.9, clusters at 0.9)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    identity = table.to_pandas()
    df = pd.DataFrame(
        {
            "unique_id": identity["record_pid"],
            "first_name": identity["given_name"].str.lower(),
            "surname": identity["family_name"].str.lower(),
            "dob": pd.to_datetime(identity["dob"]).dt.strftime("%Y-%m-%d"),
            "postcode": identity["postcode"].str.upper(),
            "address": identity["address"].str.lower() if "address" in identity else None,
        }
    )
    # The same information as gbo gets: an NHS number where the synthetic data records one.
    has_nhs = "nhs_number" in identity.columns and identity["nhs_number"].notna().any()
    if has_nhs:
        df["nhs_number"] = identity["nhs_number"].str.replace(r"\D", "", regex=True)
    db = DuckDBAPI()
    records = db.register(df)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.8]),
            *([cl.ExactMatch("nhs_number")] if has_nhs else []),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("dob", "postcode"),
            block_on("address", "surname"),
            block_on("substr(first_name, 1, 3)", "substr(surname, 1, 3)", "dob"),
            # splink's SettingsCreator annotation leaves out the SQL strings it takes (and
            # turns into a CustomRule)
            "l.first_name = r.surname and l.surname = r.first_name",  # type: ignore[list-item]
            *([block_on("nhs_number")] if has_nhs else []),
        ],
        retain_matching_columns=False,
    )
    linker = Linker(records, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    # splink leaves SplinkDataFrame.as_pandas_dataframe unannotated
    pairs = predictions.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    links = pairs.loc[pairs["match_probability"] >= 0.9, ["unique_id_l", "unique_id_r"]]
    clustered = clusters.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    return links, clustered[["unique_id", "cluster_id"]]


def _cpu_seconds() -> float:
    """CPU time of this process, all threads (fairer than wall time on a shared machine)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(model: str, run_dir: Path) -> dict[str, Any]:
    """One model on one run folder, in this process; returns its figures."""
    from benchmarks.link_breakdown import breakdown
    from gbo.link.quality import cluster_scores, pairwise_scores

    identity = _identity(run_dir)
    run = run_gbo if model == "gbo" else run_plain_splink
    cpu_before = _cpu_seconds()
    with measure() as m:
        links, clusters = run(identity)
    cpu = _cpu_seconds() - cpu_before
    truth = _truth(run_dir)
    truth = truth[truth["unique_id"].isin(identity.column("record_pid").to_pylist())]
    return {
        "model": model,
        "records": identity.num_rows,
        "seconds": round(m.seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_mb": round(m.peak_rss_mb),
        "pairwise": pairwise_scores(links, truth).as_dict(),
        "cluster": cluster_scores(clusters, truth).as_dict(),
        "breakdown": breakdown(identity.to_pandas(), truth, clusters, _true_people(run_dir)),
        "estimates": estimates_against_truth(truth),
    }


def _spawn(model: str, run_dir: Path) -> dict[str, Any]:  # one model per process
    command = [sys.executable, "-m", "benchmarks.bench_link", "--worker", model, str(run_dir)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{model} worker failed (exit {done.returncode})")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def _print_accuracy(results: list[dict[str, Any]]) -> None:
    print(f"{'model':<14}{'':>10}{'precision':>11}{'recall':>9}{'F1':>9}")
    for r in results:
        for kind in ("pairwise", "cluster"):
            s = r[kind]
            print(
                f"{r['model']:<14}{kind:>10}{s['precision']:>11.4f}{s['recall']:>9.4f}"
                f"{s['f1']:>9.4f}"
            )


def _print_scale(results: list[dict[str, Any]]) -> None:
    for r in results:
        print(
            f"{r['model']:<14}{r['seconds']:>8.1f} s wall{r['cpu_seconds']:>8.1f} s CPU"
            f"{r['peak_mb'] / 1024:>8.2f} GB peak"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("MODEL", "RUN_DIR"))
    parser.add_argument("--sizes", nargs="*", type=int, default=[ACCURACY_SIZE, SCALE_SIZE])
    parser.add_argument(
        "--profile", default="default", help="a declared generator profile (gbo.synth.profiles)"
    )
    parser.add_argument("--models", nargs="*", default=["gbo", "plain_splink"])
    parser.add_argument("--max-block-size", help="link.max_block_size for gbo ('none': guard off)")
    args = parser.parse_args()
    set_max_block_size(args.max_block_size)
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]))), flush=True)
        return
    for size in args.sizes:
        started = time.perf_counter()
        run_dir = prepare(size, args.profile)
        print(
            f"\n{size:,} records, profile {args.profile}: data ready in "
            f"{time.perf_counter() - started:.0f} s"
        )
        results = [_spawn(model, run_dir) for model in args.models]
        _print_accuracy(results)
        _print_scale(results)
        for r in results:
            print_breakdown(r["model"], r["breakdown"])
            if r.get("estimates"):
                print(f"  {r['model']}: label-free estimates beside the truth {r['estimates']}")
        if len(results) < 2:
            continue
        gbo, plain = results
        ratio = gbo["seconds"] / plain["seconds"]
        cpu_ratio = gbo["cpu_seconds"] / plain["cpu_seconds"]
        if size == ACCURACY_SIZE:
            c = gbo["cluster"]
            ok = c["precision"] >= 0.995 and c["recall"] >= 0.97
            print(f"gbo cluster P >= 0.995 and R >= 0.97: {'met' if ok else 'NOT met'}")
        print(
            f"gbo time / plain Splink time: {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target <= 0.5)"
        )
        print(f"gbo peak memory: {gbo['peak_mb'] / 1024:.2f} GB (target <= 4 GB at 1M)")


if __name__ == "__main__":
    main()
