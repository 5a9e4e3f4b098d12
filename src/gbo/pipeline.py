"""The orchestrator: the ordered stages, the run folder, the manifest and resuming.

A stage is a module with ``run(ctx: RunContext) -> StageResult`` and, optionally,
``external_inputs(config) -> list[Path]`` naming files from outside the run that it reads.
A stage's fingerprint chains the code version, its config section, the key fingerprint, its
external inputs' hashes and the previous stage's fingerprint; a rerun skips every stage whose
fingerprint is unchanged and whose folder is complete, and reruns from the first that is not.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from gbo.codeversion import code_version
from gbo.config import RunConfig
from gbo.errors import RunFolderError
from gbo.manifest import read_manifest, write_manifest
from gbo.progress import Progress, SilentProgress
from gbo.runfolder import STAGE_NUMBERS, RunContext, StageResult, file_sha256, stage_folder_name
from gbo.security import KeyRing


@dataclass(frozen=True)
class StageSpec:
    """One stage: its name, the module holding ``run`` and the config section it reads."""

    name: str
    module: str
    config_sections: tuple[str, ...]
    holds_personal_data: bool


# The order of the pipeline. This list is the only place that knows it.
STAGES: list[StageSpec] = [
    StageSpec("ingest", "gbo.ingest.stage", ("sources", "ingest"), True),
    StageSpec("vault", "gbo.vault.stage", ("vault",), True),
    StageSpec("link", "gbo.link.stage", ("link",), True),
    StageSpec("quality", "gbo.quality.stage", (), False),
    StageSpec("groups", "gbo.groups.stage", ("groups",), True),
    StageSpec("profile", "gbo.profile.stage", ("profile",), False),
    StageSpec("lessons", "gbo.lessons.stage", ("lessons",), False),
    StageSpec("disclosure", "gbo.disclosure.stage", ("disclosure",), False),
    StageSpec("publish", "gbo.publish.stage", ("publish", "run"), False),
]

for _number, _spec in enumerate(STAGES, start=1):
    STAGE_NUMBERS[_spec.name] = _number


def _load(spec: StageSpec) -> ModuleType:
    return importlib.import_module(spec.module)


def _external_inputs(module: ModuleType, config: RunConfig) -> list[Path]:
    finder: Callable[[RunConfig], list[Path]] | None = getattr(module, "external_inputs", None)
    return sorted(finder(config)) if finder else []


def _fingerprint(
    spec: StageSpec, config: RunConfig, previous: str, inputs: Sequence[Path], key_id: str
) -> str:
    parts = [spec.name, code_version(), previous, key_id]
    parts += [config.section_hash(s) for s in spec.config_sections]
    parts += [f"{p}:{file_sha256(p)}" for p in inputs if p.is_file()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def new_run_dir(config: RunConfig) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = config.run.runs_dir / f"{config.run.name}-{stamp}-{config.config_hash()[:6]}"
    suffix = 1
    while run_dir.exists():
        suffix += 1
        run_dir = run_dir.with_name(f"{run_dir.name.rsplit('~', 1)[0]}~{suffix}")
    run_dir.mkdir(parents=True)
    return run_dir


def point_latest(run_dir: Path) -> None:
    """Make ``<runs_dir>/latest`` a relative symlink to ``run_dir``."""
    latest = run_dir.parent / "latest"
    tmp = run_dir.parent / ".latest.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(run_dir.name, tmp)
    os.replace(tmp, latest)


def find_resumable_run(config: RunConfig, config_path: Path | None) -> Path | None:
    """The latest run made from the same configuration file, if there is one."""
    latest = config.run.runs_dir / "latest"
    if not latest.exists() or config_path is None:
        return None
    manifest = read_manifest(latest.resolve())
    if manifest.get("config_path") == str(config_path.resolve()):
        return latest.resolve()
    return None


def run_pipeline(
    config: RunConfig,
    *,
    config_path: Path | None = None,
    run_dir: Path | None = None,
    resume: bool = True,
    progress: Progress | None = None,
    key_loader: Callable[[], KeyRing] | None = None,
    until: str | None = None,
) -> Path:
    """Run every stage (or up to ``until``) and return the run folder."""
    progress = progress or SilentProgress()
    if run_dir is None and resume:
        run_dir = find_resumable_run(config, config_path)
    if run_dir is None:
        run_dir = new_run_dir(config)
    run_dir = run_dir.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)

    manifest = read_manifest(run_dir)
    old_stages: dict[str, Any] = manifest.get("stages", {})
    ctx = RunContext(run_dir=run_dir, config=config, progress=progress, key_loader=key_loader)
    manifest.update(
        {
            "run_id": run_dir.name,
            "config_path": str(config_path.resolve()) if config_path else None,
            "config_hash": config.config_hash(),
            "config": config.model_dump(mode="json"),
            "code_version": code_version(),
            "is_synthetic": config.run.is_synthetic,
            "key_fingerprint": ctx.keys.fingerprint,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    manifest.setdefault("created", manifest["updated"])
    stages_out: dict[str, Any] = {}
    manifest["stages"] = stages_out
    # Recorded before any stage runs, so that an interrupted run is found and resumed.
    write_manifest(run_dir, manifest)
    point_latest(run_dir)
    previous = ""
    changed = False
    names = [s.name for s in STAGES]
    if until is not None and until not in names:
        raise RunFolderError(f"no stage called {until!r}; stages are {', '.join(names)}")
    for spec in STAGES:
        module = _load(spec)
        inputs = _external_inputs(module, config)
        fingerprint = _fingerprint(spec, config, previous, inputs, ctx.keys.fingerprint)
        previous = fingerprint
        folder = run_dir / stage_folder_name(spec.name)
        old = old_stages.get(spec.name, {})
        if not changed and old.get("fingerprint") == fingerprint and folder.is_dir():
            progress.log(f"[dim]{spec.name}: unchanged, kept[/dim]")
            stages_out[spec.name] = old | {"status": "kept"}
            write_manifest(run_dir, manifest)
            if spec.name == until:
                break
            continue
        changed = True
        stages_out[spec.name] = _run_stage(spec, module, ctx, fingerprint)
        write_manifest(run_dir, manifest)
        if spec.name == until:
            break
    point_latest(run_dir)
    return run_dir


def _run_stage(spec: StageSpec, module: ModuleType, ctx: RunContext, fingerprint: str) -> Any:
    ctx.stage, ctx.outputs, ctx.inputs, ctx.warnings = spec.name, [], [], []
    partial = ctx.run_dir / f".{stage_folder_name(spec.name)}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    started = time.perf_counter()
    ctx.progress.log(f"[bold]{spec.name}[/bold]")
    result: StageResult = module.run(ctx)
    ctx.stage_dir  # noqa: B018 - make sure the folder exists even when a stage wrote nothing
    final = ctx.run_dir / stage_folder_name(spec.name)
    if final.exists():
        shutil.rmtree(final)
    os.replace(partial, final)
    return {
        "number": STAGE_NUMBERS[spec.name],
        "folder": final.name,
        "fingerprint": fingerprint,
        "status": "ran",
        "holds_personal_data": spec.holds_personal_data,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
        "inputs": ctx.inputs,
        "outputs": [asdict(o) for o in ctx.outputs],
        "warnings": ctx.warnings + result.warnings,
        "metrics": result.metrics,
    }
