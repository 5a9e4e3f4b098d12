"""The data folder and the SQLite database are readable by their owner only (0700 and 0600).

The database holds accounts' password hashes, sessions and every comment, so it is created
0600 before SQLite first opens it (``gbo review`` does this when it sets Django up), like the
secret key. A database made some other way, or by an older version, is tightened the first
time each process connects to it, with its ``-wal`` and ``-shm`` files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_checked: set[str] = set()


def make_private_dir(folder: Path) -> None:
    """Create the folder 0700 (parents as the umask allows); an existing one is left as is."""
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=PRIVATE_DIR)


def create_private_file(path: Path) -> None:
    """Create an empty file 0600 unless it exists (SQLite takes an empty file as a new database)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    except FileExistsError:
        tighten(path)
        return
    os.close(descriptor)


def tighten(path: Path) -> None:
    """Take away group and other access from an existing file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if mode & 0o077:
        path.chmod(stat.S_IMODE(mode) & 0o700)


def sqlite_path(database: dict[str, Any]) -> Path | None:
    """The file of a SQLite database setting, or None (another engine, or in memory)."""
    if not str(database.get("ENGINE", "")).endswith("sqlite3"):
        return None
    name = str(database.get("NAME", ""))
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def prepare_sqlite_file(database: dict[str, Any]) -> None:
    """Before Django first connects: the database's folder and an empty 0600 file."""
    path = sqlite_path(database)
    if path is not None:
        make_private_dir(path.parent)
        create_private_file(path)


def tighten_on_connect(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: the SQLite file and its companions made private."""
    path = sqlite_path(connection.settings_dict)
    if path is None or str(path) in _checked:
        return
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        tighten(companion)
    _checked.add(str(path))
