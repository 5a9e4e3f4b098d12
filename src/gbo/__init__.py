"""gbo: an evidence platform for group-based child sexual exploitation.

gbo links case records from several agencies, finds offending groups, measures the
characteristics of offenders, victims and the context of offending, and publishes
disclosure-controlled aggregate statistics. It never scores or ranks an individual.

The public API (see docs/python-api.md):

* :func:`gbo.run` runs the pipeline for a configuration file (or a loaded config) and
  returns the run folder;
* :func:`gbo.load_config` reads and validates a configuration file;
* :class:`gbo.RunFolder` reads a finished run: its stages, tables and manifest;
* :class:`gbo.GboError` is the root of every error a user can cause.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gbo.errors import GboError

if TYPE_CHECKING:
    from gbo.api import run
    from gbo.config import load_config
    from gbo.runfolder import RunFolder

__version__ = "0.1.0"

__all__ = ["GboError", "RunFolder", "__version__", "load_config", "run"]

# Loaded on first use: importing any gbo module imports this package first, and the run
# configuration gathers every stage's settings, which the run-folder contract must not need.
_LAZY = {"run": "gbo.api", "load_config": "gbo.config", "RunFolder": "gbo.runfolder"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gbo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
