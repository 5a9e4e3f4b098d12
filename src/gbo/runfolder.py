"""The run folder: the contract between stages.

``runs/<run_id>/NN_<stage>/`` holds one stage's outputs; ``manifest.json`` at the root says
what every stage read and wrote. While a stage runs it writes into ``.NN_<stage>.partial/``,
which the pipeline renames to ``NN_<stage>/`` only when the stage has finished, so an
interrupted run never leaves half an output behind.

:class:`RunFolder` is the read-only view of a run that every reader uses: stage folders by
name (numbered by :mod:`gbo.stages`), tables by their declared name, and the manifest.
:class:`RunContext` builds on it for the stage that is running: a stage reads earlier stages'
outputs and writes its own only through it, and sees only the settings it declares.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyarrow as pa
import pyarrow.parquet as pq
from rich.markup import escape

from gbo.declared_config import DeclaredConfig
from gbo.errors import RunFolderError, VaultError
from gbo.manifest import read_manifest
from gbo.progress import Progress, SilentProgress
from gbo.security import KeyRing, read_encrypted_table, write_encrypted_table
from gbo.security.keys import decode_key_text, key_ring_from_master, read_key_file
from gbo.stages import STAGES, StageDef, TableDecl, stage_folder_name
from gbo.stages import stage as declared_stage

if TYPE_CHECKING:  # the run configuration gathers every stage's settings: types only
    from gbo.config import RunConfig

__all__ = [
    "OutputRecord",
    "RunContext",
    "RunFolder",
    "StageResult",
    "file_sha256",
    "stage_folder_name",
]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class RunFolder:
    """A finished (or partly finished) run folder, read-only.

    >>> run = RunFolder("runs/latest")            # doctest: +SKIP
    >>> run.table("groups", "group").num_rows     # doctest: +SKIP
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise RunFolderError(
                "no such run folder",
                hint="give the folder that gbo run or gbo demo printed (or runs/latest)",
                path=self.path,
            )

    def __repr__(self) -> str:
        return f"RunFolder({str(self.path)!r})"

    # ----- the run as a whole -------------------------------------------------------------
    @property
    def manifest(self) -> dict[str, Any]:
        """``manifest.json``: config, code version and what every stage read and wrote."""
        return read_manifest(self.path)

    @property
    def run_id(self) -> str:
        return str(self.manifest.get("run_id") or self.path.name)

    def stages(self) -> list[StageDef]:
        """The declared stages whose finished folder is in this run, in pipeline order."""
        return [s for s in STAGES if (self.path / s.folder).is_dir()]

    # ----- folders and files ----------------------------------------------------------------
    def has_stage(self, name: str) -> bool:
        return (self.path / declared_stage(name).folder).is_dir()

    def stage_dir(self, name: str) -> Path:
        """The finished folder of stage ``name``."""
        path = self.path / declared_stage(name).folder
        if not path.is_dir():
            raise RunFolderError(
                f"stage {name!r} has not been run in this run folder",
                hint="run the pipeline from the start (gbo run CONFIG)",
                path=self.path,
            )
        return path

    def has_file(self, name: str, file: str) -> bool:
        return (self.path / declared_stage(name).folder / file).exists()

    def file(self, name: str, file: str) -> Path:
        """The path of an output file of stage ``name`` (which must exist)."""
        path = self.stage_dir(name) / file
        if not path.exists():
            raise RunFolderError(
                f"{name} output {file!r} is missing",
                hint=f"rerun the pipeline from the {name} stage",
                path=path,
            )
        return path

    def read_json(self, name: str, file: str) -> Any:
        return json.loads(self.file(name, file).read_text(encoding="utf-8"))

    # ----- tables ---------------------------------------------------------------------------
    def declared_table(self, name: str, table: str) -> TableDecl:
        """The declaration of table ``table`` of stage ``name`` (an error if undeclared)."""
        return declared_stage(name).table(table)

    def has_table(self, name: str, table: str) -> bool:
        return self.has_file(name, self.declared_table(name, table).file_name)

    def table_path(self, name: str, table: str) -> Path:
        return self.file(name, self.declared_table(name, table).file_name)

    def table(self, name: str, table: str) -> pa.Table:
        """Read a pseudonymised or aggregate table of stage ``name`` by its declared name."""
        decl = self.declared_table(name, table)
        if decl.encrypted:
            raise RunFolderError(
                f"{name} table {table!r} is a vault file",
                hint="read it with vault_table(stage, table, keys)",
            )
        return pq.read_table(self.file(name, decl.file_name))

    def vault_table(self, name: str, table: str, keys: KeyRing | Path | str) -> pa.Table:
        """Decrypt and read a vault table (``<table>.parquet.enc``) with the run's key: a key
        ring (``gbo.security.load_key_ring()``), the key file's path, or the key's text."""
        decl = self.declared_table(name, table)
        if not decl.encrypted:
            return self.table(name, table)
        return read_encrypted_table(self._key_ring(keys), self.file(name, decl.file_name))

    def _key_ring(self, keys: KeyRing | Path | str) -> KeyRing:
        if isinstance(keys, KeyRing):
            return keys
        if isinstance(keys, Path) or (isinstance(keys, str) and Path(keys).expanduser().is_file()):
            return read_key_file(Path(keys), self.path)
        if isinstance(keys, str):
            return key_ring_from_master(decode_key_text(keys, "the key given"))
        raise VaultError(
            f"the vault key must be a key ring, a key file's path or the key's text, "
            f"not {type(keys).__name__}",
            hint="pass gbo.security.load_key_ring(), or the path of the file "
            "`gbo vault new-key` wrote",
        )


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


class RunContext:
    """Everything a stage may use: its settings, the run folder, the keys and progress.

    ``config`` is the stage's view of the run configuration: only the sections (or
    settings) :mod:`gbo.stages` declares for ``stage``; reading any other raises
    :class:`~gbo.errors.UndeclaredSettingError`.
    """

    def __init__(
        self,
        *,
        run_dir: Path,
        config: RunConfig,
        stage: str,
        progress: Progress | None = None,
        key_loader: Callable[[], KeyRing] | None = None,
    ) -> None:
        self.run_dir = run_dir
        self.stage = stage
        self.progress: Progress = progress or SilentProgress()
        self.key_loader = key_loader
        self.outputs: list[OutputRecord] = []
        self.inputs: list[dict[str, str]] = []
        self.warnings: list[str] = []
        self._full_config = config
        self._spec = declared_stage(stage)
        self._keys: KeyRing | None = None

    @property
    def config(self) -> RunConfig:
        """The settings this stage declares (typed as the whole config for the checker)."""
        view = DeclaredConfig(self._full_config, self.stage, self._spec.config_sections)
        return cast("RunConfig", view)

    @property
    def folder(self) -> RunFolder:
        """The run folder, read-only."""
        return RunFolder(self.run_dir)

    # ----- keys -------------------------------------------------------------------------
    @property
    def keys(self) -> KeyRing:
        if self._keys is None:
            if self.key_loader is None:
                from gbo.security import load_key_ring

                self._keys = load_key_ring(self._full_config.vault.key_file, self.run_dir)
            else:
                self._keys = self.key_loader()
        return self._keys

    # ----- where things are ---------------------------------------------------------------
    @property
    def stage_dir(self) -> Path:
        """The folder this stage writes into (the partial folder while it runs)."""
        path = self.run_dir / self._spec.partial_folder
        path.mkdir(parents=True, exist_ok=True)
        return path

    def stage_output_dir(self, stage: str) -> Path:
        """The finished folder of an earlier stage."""
        return self.folder.stage_dir(stage)

    def input_path(self, stage: str, name: str) -> Path:
        return self.folder.file(stage, name)

    def has_input(self, stage: str, name: str) -> bool:
        return self.folder.has_file(stage, name)

    # ----- reading --------------------------------------------------------------------------
    def read_table(self, stage: str, name: str) -> pa.Table:
        """Read table ``name`` (``<name>.parquet``) written by an earlier stage."""
        return self.folder.table(stage, name)

    def read_vault_table(self, stage: str, name: str) -> pa.Table:
        """Decrypt and read vault table ``name`` (``<name>.parquet.enc``) of an earlier stage."""
        return self.folder.vault_table(stage, name, self.keys)

    def read_json(self, stage: str, name: str) -> Any:
        return self.folder.read_json(stage, name)

    def note_input(self, path: Path) -> None:
        """Record an input file from outside the run (with its hash) in the manifest."""
        self.inputs.append({"path": str(path), "sha256": file_sha256(path)})

    # ----- writing --------------------------------------------------------------------------
    def _record(self, path: Path, rows: int | None, personal: bool, encrypted: bool) -> Path:
        rel = (
            path.relative_to(self.run_dir)
            .as_posix()
            .replace(self._spec.partial_folder, self._spec.folder, 1)
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

    def write_table_with(
        self, name: str, write: Callable[[Path], int], *, personal_data: bool = False
    ) -> Path:
        """Write ``<name>.parquet`` (atomically) by calling ``write(path)``, which writes the
        Parquet file at ``path`` and returns its number of rows: for a table too large to
        hold in memory, written by a database (DuckDB's ``COPY``)."""
        path = self.stage_dir / f"{name}.parquet"
        tmp = path.with_name(path.name + ".tmp")
        rows = write(tmp)
        os.replace(tmp, path)
        return self._record(path, rows, personal_data, False)

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
        self.progress.log(f"[yellow]warning[/yellow] {escape(message)}")
