"""The code version recorded in every manifest and on every cover sheet."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import gbo


@lru_cache(maxsize=1)
def code_version() -> str:
    """``<package version>+g<commit>`` (with ``.dirty`` for uncommitted changes) or the version."""
    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=5,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
            check=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return gbo.__version__
    return f"{gbo.__version__}+g{commit}{'.dirty' if dirty else ''}"
