"""In-memory DuckDB databases held to a memory limit, spilling the rest to a folder of their own.

Above its memory limit DuckDB writes what it cannot hold (tables and the state of large
joins, sorts and groupings) to its temporary directory. Each connection made here gets a
folder of its own under the system's temporary directory: two processes spilling into one
folder overwrite each other's files, which happens as soon as two runs link at once. DuckDB
makes the folder only when it first spills and removes it when the connection closes.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import duckdb

SIZE_PATTERN = r"^\s*\d+(\.\d+)?\s*[MGmg][Bb]\s*$"
#: The limit of the databases the analysis stages (groups, profile, quality) and the link
#: stage's own queries open: their inputs are pseudonymised tables on disk, and without a
#: limit DuckDB takes up to 80% of the machine's memory before it spills.
ANALYSIS_MEMORY_LIMIT = "4GB"


def spilling_connection(
    memory_limit: str,
    purpose: str,
    threads: int | None = None,
    *,
    preserve_insertion_order: bool = True,
) -> duckdb.DuckDBPyConnection:
    """A new in-memory database held to ``memory_limit`` (such as ``'4GB'``; checked by the
    caller's settings), spilling to a private folder named for ``purpose``.

    ``preserve_insertion_order=False`` lets DuckDB return rows in any order where a query
    has no ORDER BY (less memory for large results); only callers whose queries never rely
    on the order rows were read in may ask for it (``row_number() over ()`` does)."""
    folder = Path(tempfile.gettempdir()) / f"gbo-{purpose}-duckdb-{os.getpid()}-{uuid.uuid4().hex}"
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit.strip().replace(' ', '').upper()}'")
    con.execute(f"SET temp_directory = '{folder}'")
    if not preserve_insertion_order:
        con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con
