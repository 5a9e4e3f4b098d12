"""The run folder: the contract between stages.

``runs/<run_id>/NN_<stage>/`` holds one stage's outputs; ``manifest.json`` at the root says
what every stage read and wrote. While a stage runs it writes into ``.NN_<stage>.partial/``,
which the pipeline renames to ``NN_<stage>/`` only when the stage has finished, so an
interrupted run never leaves half an output behind.

Stages reach earlier stages' outputs and write their own only through :class:`RunContext`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gbo.config import RunConfig
from gbo.errors import RunFolderError
from gbo.progress import Progress, SilentProgress
from gbo.security import KeyRing, read_encrypted_table, write_encrypted_table

STAGE_NUMBERS: dict[str, int] = {}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class OutputRecord:
    """One file a stage wrote."""

    path: str
    rows: int | None = None
    sha256: str = ""
    personal_data: bool = False
    encrypted: bool = False


@dataclass
class StageResult:
    """What a stage reports back: its warnings and metrics (outputs are recorded as written)."""

    warnings: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)


def stage_folder_name(stage: str) -> str:
    """``NN_<stage>``, numbered by the stage's place in :data:`gbo.pipeline.STAGES`."""
    if not STAGE_NUMBERS:
        import gbo.pipeline  # noqa: F401 - fills STAGE_NUMBERS
    try:
        return f"{STAGE_NUMBERS[stage]:02d}_{stage}"
    except KeyError as exc:
        raise RunFolderError(f"unknown stage {stage!r}") from exc


@dataclass
class RunContext:
    """Everything a stage may use: the config, the run folder, the keys and progress."""

    run_dir: Path
    config: RunConfig
    stage: str = ""
    progress: Progress = field(default_factory=SilentProgress)
    key_loader: Callable[[], KeyRing] | None = None
    outputs: list[OutputRecord] = field(default_factory=list)
    inputs: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _keys: KeyRing | None = None

    # ----- keys -------------------------------------------------------------------------
    @property
    def keys(self) -> KeyRing:
        if self._keys is None:
            if self.key_loader is None:
                from gbo.security import load_key_ring

                self._keys = load_key_ring(self.config.vault.key_file, self.run_dir)
            else:
                self._keys = self.key_loader()
        return self._keys

    # ----- where things are ---------------------------------------------------------------
    @property
    def stage_dir(self) -> Path:
        """The folder this stage writes into (the partial folder while it runs)."""
        path = self.run_dir / f".{stage_folder_name(self.stage)}.partial"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def stage_output_dir(self, stage: str) -> Path:
        """The finished folder of an earlier stage."""
        path = self.run_dir / stage_folder_name(stage)
        if not path.is_dir():
            raise RunFolderError(
                f"stage {stage!r} has not been run in this run folder",
                hint="run the pipeline from the start (gbo run CONFIG)",
                path=self.run_dir,
            )
        return path

    def input_path(self, stage: str, name: str) -> Path:
        path = self.stage_output_dir(stage) / name
        if not path.exists():
            raise RunFolderError(
                f"{stage} output {name!r} is missing",
                hint=f"rerun the pipeline from the {stage} stage",
                path=path,
            )
        return path

    def has_input(self, stage: str, name: str) -> bool:
        return (self.run_dir / stage_folder_name(stage) / name).exists()

    # ----- reading --------------------------------------------------------------------------
    def read_table(self, stage: str, name: str) -> pa.Table:
        """Read ``<name>.parquet`` written by an earlier stage."""
        return pq.read_table(self.input_path(stage, f"{name}.parquet"))

    def read_vault_table(self, stage: str, name: str) -> pa.Table:
        """Decrypt and read ``<name>.parquet.enc`` written by an earlier stage."""
        return read_encrypted_table(self.keys, self.input_path(stage, f"{name}.parquet.enc"))

    def read_json(self, stage: str, name: str) -> Any:
        return json.loads(self.input_path(stage, name).read_text(encoding="utf-8"))

    def note_input(self, path: Path) -> None:
        """Record an input file from outside the run (with its hash) in the manifest."""
        self.inputs.append({"path": str(path), "sha256": file_sha256(path)})

    # ----- writing --------------------------------------------------------------------------
    def _record(self, path: Path, rows: int | None, personal: bool, encrypted: bool) -> Path:
        rel = (
            path.relative_to(self.run_dir)
            .as_posix()
            .replace(f".{stage_folder_name(self.stage)}.partial", stage_folder_name(self.stage), 1)
        )
        self.outputs.append(OutputRecord(rel, rows, file_sha256(path), personal, encrypted))
        return path

    def write_table(self, name: str, table: pa.Table, *, personal_data: bool = False) -> Path:
        """Write a pseudonymised or aggregate table as ``<name>.parquet`` (atomically)."""
        path = self.stage_dir / f"{name}.parquet"
        tmp = path.with_name(path.name + ".tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
        return self._record(path, table.num_rows, personal_data, False)

    def write_vault_table(self, name: str, table: pa.Table) -> Path:
        """Write a table holding identifiers, encrypted, as ``<name>.parquet.enc``."""
        path = self.stage_dir / f"{name}.parquet.enc"
        write_encrypted_table(self.keys, path, table)
        return self._record(path, table.num_rows, True, True)

    def write_text(self, name: str, text: str, *, personal_data: bool = False) -> Path:
        path = self.stage_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return self._record(path, None, personal_data, False)

    def write_bytes(self, name: str, data: bytes, *, personal_data: bool = False) -> Path:
        path = self.stage_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return self._record(path, None, personal_data, False)

    def write_json(self, name: str, data: Any, *, personal_data: bool = False) -> Path:
        text = json.dumps(data, indent=2, sort_keys=True, default=str)
        return self.write_text(name, text + "\n", personal_data=personal_data)

    def record_file(
        self, path: Path, *, rows: int | None = None, personal_data: bool = False
    ) -> Path:
        """Record a file the stage wrote by other means (e.g. a library writing a workbook)."""
        return self._record(path, rows, personal_data, False)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        self.progress.log(f"[yellow]warning[/yellow] {message}")
