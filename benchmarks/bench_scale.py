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

``--link-memory-limit 6GB`` and ``--link-predict-chunks 4`` set ``link.duckdb_memory_limit``
and ``link.predict_chunks`` for the run.
``--until ingest`` (for example) stops after that stage, for the part of the pipeline a
session has time for; the targets are then not judged. ``--adopt-commit COMMIT --adopt
ingest vault`` keeps the named stages' outputs already in the run folder, made by the code
of ``COMMIT``, when git shows that the code they depend on is the same now (the modules of
their own packages that they import, the schema, the vault's security code, the run folder
and configuration code): their fingerprints are brought up to the current code version,
they are not run again, and their wall times are those of the run that made them, printed
as "kept" (their processor time and peak memory are not in the manifest, so the totals
leave them out). Anything else that differs stops the benchmark. Generations above a million records
are made in shards (see ``docs/synthetic-data.md``), so the synthetic data of 10M fit in
the memory of one shard.

Wall times on a shared machine include waiting for other processes; the processor time is
printed beside them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


#: ``--link-memory-limit`` and ``--link-predict-chunks`` reach the stage processes through
#: these environment variables.
LINK_MEMORY_ENV = "BENCH_SCALE_LINK_MEMORY_LIMIT"
LINK_CHUNKS_ENV = "BENCH_SCALE_LINK_PREDICT_CHUNKS"


def _config(size: int, backend: str) -> Any:
    from gbo.config import load_config

    config = load_config(_config_path(size).resolve())
    update: dict[str, Any] = {"backend": backend}
    if os.environ.get(LINK_MEMORY_ENV):
        update["duckdb_memory_limit"] = os.environ[LINK_MEMORY_ENV]
    if os.environ.get(LINK_CHUNKS_ENV):
        update["predict_chunks"] = int(os.environ[LINK_CHUNKS_ENV])
    link = config.link.model_copy(update=update)
    return config.model_copy(update={"link": link})


class _LogProgress:
    """The stage's progress as timestamped lines on standard error, with the resident memory
    of the process at each step, so a log shows where a stage's time and memory went."""

    @staticmethod
    def _line(text: str) -> None:
        with open("/proc/self/status", encoding="ascii") as status:
            rss = next((ln.split()[1] for ln in status if ln.startswith("VmRSS")), "0")
        stamp = time.strftime("%H:%M:%S")
        print(f"{stamp} rss {int(rss) // 1024:6d} MB  {text}", file=sys.stderr, flush=True)

    @contextmanager
    def task(self, description: str, total: float | None = None) -> Iterator[Any]:
        self._line(f"{description} ...")
        yield self
        self._line(f"{description}: done")

    def advance(self, amount: float = 1) -> None:
        pass

    def log(self, message: str) -> None:
        self._line(message)


def _child_stage(size: int, stage: str, backend: str, run_dir: Path) -> dict[str, Any]:
    from gbo.manifest import read_manifest
    from gbo.pipeline import run_pipeline

    # Splink's progress through chunked scoring, in the log beside the stage's own steps.
    chunks = logging.getLogger("splink.internals.linker_components.inference")
    chunks.setLevel(logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s splink: %(message)s", "%H:%M:%S"))
    chunks.addHandler(handler)

    config_path = _config_path(size).resolve()
    run_pipeline(
        _config(size, backend),
        config_path=config_path,
        run_dir=run_dir,
        until=stage,
        progress=_LogProgress(),
    )
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


def _child_truth(size: int, run_dir: Path) -> dict[str, Any]:
    """The finished link stage's persons and accepted links against the synthetic ground
    truth (the scale runs carry no ``link.ground_truth_file``, so the stage does not)."""
    import pandas as pd

    from gbo.link.quality import cluster_scores, pairwise_scores
    from gbo.link.stage import read_ground_truth
    from gbo.security import load_key_ring
    from gbo.stages import stage_folder_name

    config = _config(size, "duckdb")
    keys = load_key_ring(config.vault.key_file, run_dir)
    truth = read_ground_truth(
        _config_path(size).parent / "ground_truth" / "person_records.parquet", keys
    )
    link = run_dir / stage_folder_name("link")
    persons = pd.read_parquet(
        link / "person_record_map.parquet", columns=["record_pid", "person_pid"]
    )
    clusters = persons.rename(columns={"record_pid": "unique_id", "person_pid": "cluster_id"})
    truth = truth[truth["unique_id"].isin(clusters["unique_id"])]
    links = pd.read_parquet(
        link / "accepted_link.parquet", columns=["record_pid_l", "record_pid_r"]
    )
    links = links.rename(columns={"record_pid_l": "unique_id_l", "record_pid_r": "unique_id_r"})
    return {
        "records": len(clusters),
        "cluster": cluster_scores(clusters, truth).as_dict(),
        "pairwise": pairwise_scores(links, truth).as_dict(),
    }


def child(argv: list[str]) -> None:
    """``--child STEP SIZE BACKEND RUN_DIR``: one step in this process; prints its figures."""
    step, size, backend, run_dir = argv[0], int(argv[1]), argv[2], Path(argv[3])
    started = time.perf_counter()
    if step == "synth":
        extra = _child_synth(size)
    elif step == "audit":
        extra = _child_audit(run_dir)
    elif step == "truth":
        extra = _child_truth(size, run_dir)
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
    """One step in a child process; its standard error (the stages' progress, with the
    memory at each step) goes on to ``bench-data/scale-<size>/bench.log``."""
    command = [sys.executable, "-m", "benchmarks.bench_scale", "--child", step, str(size)]
    log_path = _config_path(size).parent / "bench.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)  # a size not generated yet
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"--- {time.strftime('%H:%M:%S')} {step} ---\n")
        log.flush()
        done = subprocess.run(
            [*command, backend, str(run_dir)], stdout=subprocess.PIPE, stderr=log, text=True,
            check=False,
        )  # fmt: skip
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(RESULT)]
    if done.returncode or not lines:
        tail = "\n".join(log_path.read_text(encoding="utf-8").strip().splitlines()[-15:])
        raise RuntimeError(f"{step} at {size:,} failed (exit {done.returncode}):\n{tail}")
    figures: dict[str, Any] = json.loads(lines[-1][len(RESULT) :])
    return figures


#: What a stage's outputs depend on besides its own package's modules (``gbo.<stage>.*``).
ADOPT_SHARED = ("src/gbo/schema", "src/gbo/security", "src/gbo/runfolder.py", "src/gbo/config.py",
                "src/gbo/settings_base.py", "src/gbo/declared_config.py")  # fmt: skip


def _stage_sources(modules: list[str]) -> list[str]:
    """The source files of the stages' own packages that importing the stages loads (gbo's
    stages import nothing lazily), as paths in the repository."""
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"packages = {sorted({m.split('.')[1] for m in modules})!r}\n"
        "for name, mod in sorted(sys.modules.items()):\n"
        "    parts = name.split('.')\n"
        "    if parts[0] == 'gbo' and len(parts) > 2 and parts[1] in packages:\n"
        "        print(mod.__file__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    root = Path(__file__).resolve().parents[1]
    files = [str(Path(f).resolve().relative_to(root)) for f in done.stdout.split()]
    data = [f"src/gbo/{m.split('.')[1]}/data" for m in modules]  # mappings, code lists
    return files + [d for d in data if (root / d).is_dir()]


def adopt_stages(
    size: int,
    backend: str,
    run_dir: Path,
    stages: list[str],
    commit: str,
    accepted: tuple[str, ...] = (),
) -> None:
    """Bring ``stages`` (the first of the pipeline) of ``run_dir`` up to the current code
    version, after checking with git that nothing they depend on changed since ``commit``,
    apart from the files in ``accepted`` (named on the way: the caller vouches that their
    change leaves the stages' outputs as they were)."""
    from gbo.manifest import read_manifest, write_manifest
    from gbo.pipeline import STAGES, InputHashes, _external_inputs, _fingerprint, _load
    from gbo.security import load_key_ring

    names = [spec.name for spec in STAGES]
    if stages != names[: len(stages)]:
        raise RuntimeError(f"only the first stages can be kept: {', '.join(names[:3])}, ...")
    paths = _stage_sources([STAGES[names.index(s)].module for s in stages])
    if accepted:
        print(f"  changes accepted without a check: {', '.join(accepted)}", flush=True)
    paths = [p for p in [*paths, *ADOPT_SHARED] if p not in accepted]
    diff = subprocess.run(["git", "diff", "--stat", commit, "HEAD", "--", *paths],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    if diff:
        raise RuntimeError(f"the code of {', '.join(stages)} changed since {commit}:\n{diff}")
    config = _config(size, backend)
    manifest = read_manifest(run_dir)
    keys = load_key_ring(config.vault.key_file, run_dir)
    hashes = InputHashes(run_dir)
    previous = ""
    for spec in STAGES[: len(stages)]:
        entry = manifest["stages"][spec.name]
        inputs = _external_inputs(spec, _load(spec), config)
        previous = _fingerprint(spec, config, previous, inputs, keys.fingerprint, hashes)
        entry["adopted"] = {"fingerprint": entry["fingerprint"], "code_commit": commit}
        entry["fingerprint"] = previous
    hashes.save()
    write_manifest(run_dir, manifest)
    print(f"  kept {', '.join(stages)} of {run_dir} (code unchanged since {commit})", flush=True)


def _line(name: str, seconds: float, figures: dict[str, Any], note: str = "") -> None:
    print(f"  {name:22} {seconds:8.1f} s  cpu {figures['cpu_seconds']:8.1f} s  "
          f"peak {figures['peak_mb']:7.0f} MB  {note}".rstrip(), flush=True)  # fmt: skip


def bench_size(
    size: int,
    backend: str,
    until: str | None = None,
    adopt: tuple[list[str], str, tuple[str, ...]] | None = None,
) -> bool:
    from gbo.manifest import read_manifest
    from gbo.pipeline import STAGES

    names = [spec.name for spec in STAGES]
    stages = names[: names.index(until) + 1] if until else names
    print(f"\n{size:,} person records, {backend} backend", flush=True)
    synth = run_step("synth", size, backend, Path("."))
    _line("synth (not counted)", synth["seconds"], synth)
    run_dir = (Path("bench-data") / f"scale-{size}" / f"run-{backend}").resolve()
    kept: list[str] = []
    if adopt:
        adopt_stages(size, backend, run_dir, *adopt)
        kept = adopt[0]
    total, cpu, peak = 0.0, 0.0, 0.0
    for name in stages:
        if name in kept:  # not run again: a stage's child rewrites the manifest up to it
            seconds = float(read_manifest(run_dir)["stages"][name]["seconds"])
            total += seconds
            print(f"  {name:22} {seconds:8.1f} s  (kept: the wall time of the run that made "
                  "it; its cpu and peak are not in the manifest)", flush=True)  # fmt: skip
            continue
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
    parser.add_argument(
        "--adopt",
        nargs="+",
        metavar="STAGE",
        default=[],
        help="keep these first stages of the run folder (needs --adopt-commit)",
    )
    parser.add_argument("--adopt-commit", help="the commit whose code made the kept stages")
    parser.add_argument(
        "--adopt-accept",
        nargs="+",
        metavar="FILE",
        default=[],
        help="source files of the kept stages whose change since --adopt-commit is accepted "
        "(they must not change the stages' outputs, such as a memory limit)",
    )
    parser.add_argument(
        "--link-memory-limit",
        help="link.duckdb_memory_limit for the run (the configuration's own by default)",
    )
    parser.add_argument("--link-predict-chunks", type=int, help="link.predict_chunks for the run")
    args = parser.parse_args()
    if args.link_predict_chunks:
        os.environ[LINK_CHUNKS_ENV] = str(args.link_predict_chunks)
        print(f"link.predict_chunks = {args.link_predict_chunks}", flush=True)
    if args.link_memory_limit:
        os.environ[LINK_MEMORY_ENV] = args.link_memory_limit
        print(f"link.duckdb_memory_limit = {args.link_memory_limit}", flush=True)
    if bool(args.adopt) != bool(args.adopt_commit):
        parser.error("--adopt and --adopt-commit go together")
    adopt = (args.adopt, args.adopt_commit, tuple(args.adopt_accept)) if args.adopt else None
    clean = True
    for size in args.records:
        try:
            clean = bench_size(size, args.backend, args.until, adopt) and clean
        except RuntimeError as exc:
            print(f"  {exc}", flush=True)
            return 1
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
