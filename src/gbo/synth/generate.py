"""``generate``: draw the world, write three agency exports, their mappings, a run
configuration and the ground truth; skip the work when the folder already holds it.

A generation larger than :data:`~gbo.synth.shards.SHARD_RECORDS` is drawn and written one
shard at a time (:mod:`gbo.synth.shards`), so its memory is that of one shard."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gbo.errors import GboError
from gbo.progress import Progress, SilentProgress
from gbo.synth.badrows import BadRowLog
from gbo.synth.exports import (
    FILE_NAMES,
    ExportTarget,
    write_health,
    write_mappings,
    write_police,
    write_social_care,
)
from gbo.synth.mapping_files import write_run_config
from gbo.synth.settings import SynthSettings
from gbo.synth.shards import SHARD_RECORDS, Shard, shard_sizes
from gbo.synth.sinks import CsvSink, NdjsonSink, TruthSink, WorkbookSink
from gbo.synth.truth import write_ground_truth
from gbo.synth.world import build_world

GENERATOR_VERSION = "1"
STAMP_NAME = ".gbo-synth-stamp.json"


@dataclass(frozen=True)
class SynthOutput:
    """Where a generation put its files."""

    out_dir: Path
    config_path: Path
    ground_truth_dir: Path
    files: dict[str, Path]
    mappings: dict[str, Path]
    police_encoding: str


def police_encoding(seed: int, settings: SynthSettings) -> str:
    if settings.police_encoding != "by_seed":
        return settings.police_encoding
    return "cp1252" if seed % 2 else "utf-8-sig"


def _stamp(size: int, seed: int, settings: SynthSettings, shard_records: int) -> dict[str, object]:
    stamp: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "size": size,
        "seed": seed,
        "settings_hash": settings.settings_hash(),
    }
    if shard_records != SHARD_RECORDS:
        stamp["shard_records"] = shard_records
    return stamp


def _output(out_dir: Path, encoding: str) -> SynthOutput:
    return SynthOutput(
        out_dir=out_dir,
        config_path=out_dir / "config.toml",
        ground_truth_dir=out_dir / "ground_truth",
        files={agency: out_dir / name for agency, name in FILE_NAMES.items()},
        mappings={agency: out_dir / "mappings" / f"{agency}.toml" for agency in FILE_NAMES},
        police_encoding=encoding,
    )


def _is_complete(output: SynthOutput, stamp: dict[str, object]) -> bool:
    path = output.out_dir / STAMP_NAME
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if recorded.get("stamp") != stamp:
        return False
    files = recorded.get("files", {})
    for name, digest in files.items():
        file = output.out_dir / name
        if not file.exists() or file.stat().st_size != digest.get("bytes"):
            return False
    return bool(files)


def _digest(path: Path) -> dict[str, object]:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return {"sha256": sha.hexdigest(), "bytes": path.stat().st_size}


def generate(
    size: int,
    seed: int,
    out_dir: Path,
    progress: Progress = SilentProgress(),  # noqa: B008
    settings: SynthSettings | None = None,
    shard_records: int = SHARD_RECORDS,
) -> SynthOutput:
    """Make synthetic exports of three agencies with ``size`` person records in all.

    The same size, seed and settings give byte-identical files. If ``out_dir`` already
    holds a complete generation of them, nothing is redone. A generation of more than
    ``shard_records`` records is made in shards of at most that many.
    """
    settings = settings or SynthSettings()
    if size <= 0:
        raise GboError(f"size must be a positive number of person records, not {size}")
    out_dir = Path(out_dir).resolve()
    encoding = police_encoding(seed, settings)
    output = _output(out_dir, encoding)
    stamp = _stamp(size, seed, settings, shard_records)
    if _is_complete(output, stamp):
        progress.log(f"Synthetic data already in {out_dir}")
        return output
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "mappings").mkdir(exist_ok=True)
    except OSError as exc:
        raise GboError(f"cannot create the output folder: {exc.strerror}", path=out_dir) from exc
    (out_dir / STAMP_NAME).unlink(missing_ok=True)

    sizes = shard_sizes(size, shard_records)
    police = CsvSink(output.files["police"], encoding)
    social_care = WorkbookSink(output.files["social_care"], sharded=len(sizes) > 1)
    health = NdjsonSink(output.files["health"])
    truth = TruthSink(output.ground_truth_dir)
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        for index, shard_size in enumerate(sizes):
            shard = Shard(index, len(sizes))
            # One shard draws from the generation's seed and size, as always; shards of a
            # larger generation each from their own.
            entropy = [seed, size] if len(sizes) == 1 else [seed, size, index]
            streams = [np.random.default_rng(s) for s in np.random.SeedSequence(entropy).spawn(10)]
            label = f" (shard {index + 1} of {len(sizes)})" if len(sizes) > 1 else ""
            world = build_world(streams[0], shard_size, settings, progress, shard)
            log = BadRowLog.empty()
            with progress.task(f"Writing agency exports{label}", total=3) as task:
                target = ExportTarget(FILE_NAMES["police"], log)
                police_truth, crime_ref = write_police(
                    streams[1:4], world, settings, target, police
                )
                task.advance()
                target = ExportTarget(FILE_NAMES["social_care"], log)
                sc_truth = write_social_care(streams[4:7], world, settings, target, social_care)
                task.advance()
                target = ExportTarget(FILE_NAMES["health"], log)
                health_truth = write_health(streams[7:10], world, settings, target, health)
                task.advance()
            with progress.task(f"Writing ground truth{label}", total=1) as task:
                truths = {"police": police_truth, "social_care": sc_truth, "health": health_truth}
                if len(sizes) == 1:
                    write_ground_truth(world, truths, crime_ref, log, output.ground_truth_dir)
                else:
                    shard_dir = Path(scratch) / f"truth-{index}"
                    write_ground_truth(world, truths, crime_ref, log, shard_dir)
                    truth.append(shard_dir, shard)
                task.advance()
            del world, truths, police_truth, sc_truth, health_truth, crime_ref
        with progress.task("Finishing the workbook", total=1) as task:
            social_care.close()
            truth.close()
            task.advance()
    write_mappings(output.mappings, encoding, social_care.sheet_names())
    sources = [
        {
            "agency": agency,
            "path": output.files[agency].name,
            "mapping": f"mappings/{output.mappings[agency].name}",
        }
        for agency in FILE_NAMES
    ]
    write_run_config(output.config_path, sources, size=size, seed=seed)

    names = [*FILE_NAMES.values(), "config.toml", *(f"mappings/{a}.toml" for a in FILE_NAMES)]
    record = {"stamp": stamp, "files": {name: _digest(out_dir / name) for name in names}}
    (out_dir / STAMP_NAME).write_text(
        json.dumps(record, indent=2, sort_keys=True), encoding="utf-8"
    )
    return output
