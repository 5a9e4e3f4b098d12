"""``generate``: draw the world, write three agency exports, their mappings, a run
configuration and the ground truth; skip the work when the folder already holds it."""

from __future__ import annotations

import hashlib
import json
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
    write_police,
    write_social_care,
)
from gbo.synth.mapping_files import write_run_config
from gbo.synth.settings import SynthSettings
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


def _stamp(size: int, seed: int, settings: SynthSettings) -> dict[str, object]:
    return {
        "generator_version": GENERATOR_VERSION,
        "size": size,
        "seed": seed,
        "settings_hash": settings.settings_hash(),
    }


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
) -> SynthOutput:
    """Make synthetic exports of three agencies with ``size`` person records in all.

    The same size, seed and settings give byte-identical files. If ``out_dir`` already
    holds a complete generation of them, nothing is redone.
    """
    settings = settings or SynthSettings()
    if size <= 0:
        raise GboError(f"size must be a positive number of person records, not {size}")
    out_dir = Path(out_dir).resolve()
    encoding = police_encoding(seed, settings)
    output = _output(out_dir, encoding)
    stamp = _stamp(size, seed, settings)
    if _is_complete(output, stamp):
        progress.log(f"Synthetic data already in {out_dir}")
        return output
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "mappings").mkdir(exist_ok=True)
    except OSError as exc:
        raise GboError(f"cannot create the output folder: {exc.strerror}", path=out_dir) from exc
    (out_dir / STAMP_NAME).unlink(missing_ok=True)

    streams = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, size]).spawn(10)]
    world = build_world(streams[0], size, settings, progress)
    log = BadRowLog.empty()
    targets = {
        agency: ExportTarget(output.files[agency], output.mappings[agency], log)
        for agency in FILE_NAMES
    }
    with progress.task("Writing agency exports", total=3) as task:
        police, crime_ref = write_police(streams[1:4], world, settings, targets["police"], encoding)
        task.advance()
        social_care = write_social_care(streams[4:7], world, settings, targets["social_care"])
        task.advance()
        health = write_health(streams[7:10], world, settings, targets["health"])
        task.advance()

    with progress.task("Writing ground truth", total=1) as task:
        truths = {"police": police, "social_care": social_care, "health": health}
        write_ground_truth(world, truths, crime_ref, log, output.ground_truth_dir)
        sources = [
            {
                "agency": agency,
                "path": output.files[agency].name,
                "mapping": f"mappings/{output.mappings[agency].name}",
            }
            for agency in FILE_NAMES
        ]
        write_run_config(output.config_path, sources, size=size, seed=seed)
        task.advance()

    names = [*FILE_NAMES.values(), "config.toml", *(f"mappings/{a}.toml" for a in FILE_NAMES)]
    record = {"stamp": stamp, "files": {name: _digest(out_dir / name) for name in names}}
    (out_dir / STAMP_NAME).write_text(
        json.dumps(record, indent=2, sort_keys=True), encoding="utf-8"
    )
    return output
