"""The orchestrator: runs the stages :mod:`gbo.stages` declares, in order, and keeps the
run folder, the manifest and resuming.

A stage is a module with ``run(ctx: RunContext) -> StageResult`` and, optionally,
``external_inputs(config) -> list[Path]`` naming files from outside the run that it reads.
A stage's fingerprint chains the code version, its config section, the key fingerprint, its
external inputs' hashes and the previous stage's fingerprint; a rerun skips every stage whose
fingerprint is unchanged and whose folder is complete, and reruns from the first that is not.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from gbo.codeversion import code_version
from gbo.declared_config import DeclaredConfig
from gbo.errors import RunFolderError
from gbo.manifest import MANIFEST_NAME, STAGE_KEPT, STAGE_RAN, read_manifest, write_manifest
from gbo.progress import Progress, SilentProgress
from gbo.runfolder import RunContext, StageResult, file_sha256
from gbo.security import KeyRing, load_key_ring
from gbo.stages import STAGE_NAMES, STAGES, StageDef

if TYPE_CHECKING:
    from gbo.config import RunConfig

__all__ = ["STAGES", "find_resumable_run", "new_run_dir", "point_latest", "run_pipeline"]


def _load(spec: StageDef) -> ModuleType:
    return importlib.import_module(spec.module)


def _external_inputs(spec: StageDef, module: ModuleType, config: RunConfig) -> list[Path]:
    """The stage's files from outside the run, found from the settings it declares."""
    finder: Callable[[RunConfig], list[Path]] | None = getattr(module, "external_inputs", None)
    if finder is None:
        return []
    declared = cast("RunConfig", DeclaredConfig(config, spec.name, spec.config_sections))
    return sorted(finder(declared))


INPUT_HASHES = ".input-hashes.json"


class InputHashes:
    """The SHA-256 of the stages' external inputs, kept in the run folder between runs.

    A file is hashed again whenever its size, modification time, change time or inode differ
    from when it was last hashed, so an edited file is always seen; an unchanged one is not
    read again (the exports of ten million records are 5.4 GB, and every resumed run, and
    every stage process of the scale benchmark, used to read them whole).
    """

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / INPUT_HASHES
        try:
            self.known: dict[str, list[Any]] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def sha256(self, path: Path) -> str:
        stat = path.stat()
        key = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        seen = self.known.get(str(path))
        if isinstance(seen, list) and seen[:4] == key and len(seen) == 5:
            return str(seen[4])
        digest = file_sha256(path)
        self.known[str(path)] = [*key, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if self.changed:
            self.path.write_text(json.dumps(self.known, indent=1))
            self.changed = False


def _fingerprint(
    spec: StageDef,
    config: RunConfig,
    previous: str,
    inputs: Sequence[Path],
    key_id: str,
    hashes: InputHashes | None = None,
) -> str:
    digest = hashes.sha256 if hashes is not None else file_sha256
    parts = [spec.name, code_version(), previous, key_id]
    parts += [config.section_hash(s) for s in spec.config_sections]
    parts += [f"{p}:{digest(p)}" for p in inputs if p.is_file()]
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
    """The latest run folder under the runs folder made from the same configuration file.

    ``runs/latest`` when it is one (it names the run started last); otherwise the run of that
    file that was started or resumed last, so that runs of other configurations in the same
    runs folder since then do not hide it. Resuming is safe whatever changed since: a stage
    is kept only while its fingerprint (code, settings, inputs) is unchanged.
    """
    if config_path is None:
        return None
    wanted = str(config_path.resolve())
    runs_dir = config.run.runs_dir
    latest = runs_dir / "latest"
    if latest.is_dir() and _run_config_path(latest.resolve()) == wanted:
        return latest.resolve()
    if not runs_dir.is_dir():
        return None
    found: list[tuple[str, int, str, Path]] = []
    for folder in runs_dir.iterdir():
        if folder.is_symlink() or folder.name.startswith(".") or not folder.is_dir():
            continue
        manifest = _readable_manifest(folder)
        if manifest is not None and manifest.get("config_path") == wanted:
            written = (folder / MANIFEST_NAME).stat().st_mtime_ns
            found.append((str(manifest.get("updated", "")), written, folder.name, folder))
    return max(found)[3].resolve() if found else None


def _readable_manifest(run_dir: Path) -> dict[str, Any] | None:
    """A run folder's manifest, or None when it has none or it cannot be read."""
    try:
        return read_manifest(run_dir) or None
    except (OSError, ValueError):
        return None


def _run_config_path(run_dir: Path) -> str | None:
    manifest = _readable_manifest(run_dir)
    return None if manifest is None else manifest.get("config_path")


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
    keys = key_loader() if key_loader else load_key_ring(config.vault.key_file, run_dir)
    manifest.update(
        {
            "run_id": run_dir.name,
            "config_path": str(config_path.resolve()) if config_path else None,
            "config_hash": config.config_hash(),
            "config": config.model_dump(mode="json"),
            "code_version": code_version(),
            "is_synthetic": config.run.is_synthetic,
            "key_fingerprint": keys.fingerprint,
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
    if until is not None and until not in STAGE_NAMES:
        raise RunFolderError(f"no stage called {until!r}; stages are {', '.join(STAGE_NAMES)}")
    hashes = InputHashes(run_dir)
    for spec in STAGES:
        module = _load(spec)
        inputs = _external_inputs(spec, module, config)
        fingerprint = _fingerprint(spec, config, previous, inputs, keys.fingerprint, hashes)
        hashes.save()
        previous = fingerprint
        folder = run_dir / spec.folder
        old = old_stages.get(spec.name, {})
        if not changed and old.get("fingerprint") == fingerprint and folder.is_dir():
            progress.log(f"[dim]{spec.name}: unchanged, kept[/dim]")
            stages_out[spec.name] = old | {"status": STAGE_KEPT}
            write_manifest(run_dir, manifest)
            if spec.name == until:
                break
            continue
        changed = True
        ctx = RunContext(
            run_dir=run_dir,
            config=config,
            stage=spec.name,
            progress=progress,
            key_loader=lambda: keys,
        )
        stages_out[spec.name] = _run_stage(spec, module, ctx, fingerprint)
        write_manifest(run_dir, manifest)
        if spec.name == until:
            break
    point_latest(run_dir)
    return run_dir


def _run_stage(spec: StageDef, module: ModuleType, ctx: RunContext, fingerprint: str) -> Any:
    partial = ctx.run_dir / spec.partial_folder
    if partial.exists():
        shutil.rmtree(partial)
    started = time.perf_counter()
    ctx.progress.log(f"[bold]{spec.name}[/bold]")
    result: StageResult = module.run(ctx)
    ctx.stage_dir  # noqa: B018 - make sure the folder exists even when a stage wrote nothing
    final = ctx.run_dir / spec.folder
    if final.exists():
        shutil.rmtree(final)
    os.replace(partial, final)
    return {
        "number": spec.number,
        "folder": final.name,
        "fingerprint": fingerprint,
        "status": STAGE_RAN,
        "holds_personal_data": spec.holds_personal_data,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
        "inputs": ctx.inputs,
        "outputs": [asdict(o) for o in ctx.outputs],
        "warnings": ctx.warnings + result.warnings,
        "metrics": result.metrics,
    }


def unreadable_inputs(run_dir: Path) -> dict[str, str]:
    """The input files the ingest stage of ``run_dir`` could not ingest at all, with their
    errors (from the manifest; empty when every file went through or ingest has not run)."""
    ingest = read_manifest(run_dir).get("stages", {}).get("ingest", {})
    files = (ingest.get("metrics") or {}).get("files") or {}
    return {
        str(name): str(figures["error"])
        for name, figures in files.items()
        if isinstance(figures, dict) and figures.get("error")
    }
