"""DuckDB connections held to a memory limit spill to a folder of their own."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from pydantic import ValidationError

from gbo.duckdb_spill import spilling_connection
from gbo.ingest.settings import IngestSettings


def test_each_connection_spills_to_its_own_folder_within_its_limit() -> None:
    first = spilling_connection("64MB", "test")
    second = spilling_connection("64 mb", "test", threads=1)
    folders = [
        c.execute("SELECT current_setting('temp_directory')").fetchone() for c in (first, second)
    ]
    assert folders[0] != folders[1]
    assert all(f is not None and not Path(f[0]).exists() for f in folders)  # made on a spill
    limit = second.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit is not None and limit[0].replace(" ", "").upper().startswith("61")  # 64 MB
    # A table several times the limit is kept by spilling it to the connection's folder.
    first.execute(
        "CREATE TABLE t AS SELECT md5(i::VARCHAR) || repeat('x', 200) AS s, i AS x "
        "FROM range(1000000) t(i)"
    )
    spilled = first.execute("SELECT path, size FROM duckdb_temporary_files()").fetchall()
    assert spilled and all(path.startswith(folders[0][0]) for path, _ in spilled)  # type: ignore[index]
    assert first.execute("SELECT count(DISTINCT s), sum(x) FROM t").fetchone() == (
        1000000,
        1000000 * 999999 // 2,
    )
    assert Path(folders[0][0]).is_dir()  # type: ignore[index]
    first.close()
    second.close()
    assert not Path(folders[0][0]).exists()  # type: ignore[index]  # removed with the database


def test_the_ingest_memory_limit_must_be_a_size() -> None:
    assert IngestSettings(duckdb_memory_limit="800MB").duckdb_memory_limit == "800MB"
    with pytest.raises(ValidationError):
        IngestSettings(duckdb_memory_limit="lots")


def test_rows_keep_the_order_they_were_read_in_unless_asked_otherwise() -> None:
    # row_number() over () numbers rows in the order they arrive (the address query of the
    # link stage relies on it), so the default connection must keep insertion order.
    table = pa.Table.from_batches(
        [pa.record_batch({"x": pa.array(range(i, i + 50000))}) for i in range(0, 1000000, 50000)]
    )
    con = spilling_connection("256MB", "test", threads=2)
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchall() == [(True,)]
    con.register("t", table)
    numbered = con.sql("SELECT row_number() OVER () - 1 AS n, x FROM t").fetchnumpy()
    assert (numbered["n"] == numbered["x"]).all()
    loose = spilling_connection("256MB", "test", preserve_insertion_order=False)
    assert loose.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (
        False,
    )
