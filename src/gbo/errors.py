"""gbo's own error types.

Every error a user can cause is a :class:`GboError` with a plain-English message and a hint
of what to do. Messages name files, rows and columns, never the identifying values in them.
The CLI prints these without a traceback and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class GboError(Exception):
    """Root of every error that gbo raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str = "", path: Path | str | None = None) -> None:
        self.message = message
        self.hint = hint
        self.path = Path(path) if path is not None else None
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.path}: " if self.path is not None else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(GboError):
    """A run configuration file is missing, unreadable or invalid."""


class MappingError(GboError):
    """An agency mapping file is invalid or does not fit the file it maps."""


class IngestError(GboError):
    """An input file cannot be read at all (other files are still ingested)."""


class VaultError(GboError):
    """The identity vault cannot be opened: a missing or wrong key, or a damaged file."""


class RunFolderError(GboError):
    """A run folder is missing a stage output that a later stage needs."""


class UndeclaredSettingError(RunFolderError):
    """A stage read a setting that :mod:`gbo.stages` does not declare for it (a bug in gbo)."""


class LinkageError(GboError):
    """Linkage cannot run or produced a model that fails its checks."""


class GroupsError(GboError):
    """The groups stage cannot build its graph."""


class ProfileError(GboError):
    """The profile stage cannot build its tables."""


class DisclosureError(GboError):
    """Disclosure control failed, or its audit found a recoverable cell."""


class PublishError(GboError):
    """The publication cannot be written."""


class LessonsError(GboError):
    """A case review library cannot be read or coded."""


class ReviewError(GboError):
    """The review app refused an action or an upload."""


class AuditFailedError(GboError):
    """An audit (leaks, disclosure) found a problem; exit code 1."""

    exit_code = 1


def collect_messages(errors: Sequence[GboError]) -> str:
    """Join several errors into one message, one per line."""
    return "\n".join(e.render() for e in errors)
