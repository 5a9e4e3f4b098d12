"""Export files written piece by piece: one shard (or one slice of rows) at a time.

Each sink takes the rows of one shard after another and writes them to the same file, so
a generation never holds more than one shard's export in memory. With one shard the bytes
are the same as writing the whole table at once. Every sink counts the data rows it has
written, so that rows planted as bad can be numbered in the finished file.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from rustpy_xlsxwriter import FastExcel

from gbo.synth.shards import Shard, shard_true_ids
from gbo.synth.writers import (
    XLSX_MAX_DATA_ROWS,
    fix_created_time,
    sheet_parts,
    write_ndjson,
    write_xlsx,
)

CSV_ROWS_PER_PIECE = 100_000
BOM = b"\xef\xbb\xbf"


class CsvSink:
    """A CSV file with CRLF line ends and quoting where needed. ``utf-8-sig`` starts with a
    byte-order mark; other encodings replace what they cannot hold with ``?``, as legacy
    systems do. Written in pieces of rows, so the text of a whole export is never held."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self.rows = 0
        self._started = False
        path.write_bytes(b"")

    def append(self, table: pa.Table) -> None:
        starts = range(0, max(table.num_rows, 1), CSV_ROWS_PER_PIECE)
        with self.path.open("ab") as out:
            for start in starts:
                piece = table.slice(start, CSV_ROWS_PER_PIECE)
                buffer = io.BytesIO()
                options = pacsv.WriteOptions(
                    include_header=not self._started, quoting_style="needed", eol="\r\n"
                )
                pacsv.write_csv(piece, buffer, write_options=options)
                data = buffer.getvalue()
                if self.encoding == "utf-8-sig":
                    out.write((b"" if self._started else BOM) + data)
                else:
                    out.write(data.decode("utf-8").encode(self.encoding, errors="replace"))
                self._started = True
        self.rows += table.num_rows


class NdjsonSink:
    """One JSON object per line; each shard's lines follow the last."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._started = False
        path.unlink(missing_ok=True)

    def append(self, table: pa.Table) -> None:
        if not self._started:
            write_ndjson(table, self.path)
            self._started = True
        else:
            with tempfile.TemporaryDirectory(dir=self.path.parent) as tmp:
                piece = Path(tmp) / "piece.ndjson"
                write_ndjson(table, piece)
                with self.path.open("ab") as out, piece.open("rb") as source:
                    shutil.copyfileobj(source, out, 1 << 20)
        self.rows += table.num_rows


class WorkbookSink:
    """An XLSX workbook whose sheets grow shard by shard, split to fit the row limit.

    With one shard the sheets are written as they are given. With several, each sheet's
    rows are kept in a Parquet file beside the workbook until :meth:`close`, which streams
    them into the workbook row by row (the writer keeps a constant amount in memory).
    """

    def __init__(self, path: Path, *, sharded: bool, limit: int = XLSX_MAX_DATA_ROWS) -> None:
        self.path = path
        self.limit = limit
        self.rows: dict[str, int] = {}
        self._sharded = sharded
        self._tables: dict[str, pa.Table] = {}
        self._tmp = tempfile.TemporaryDirectory(dir=path.parent) if sharded else None
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._paths: dict[str, Path] = {}
        self._schemas: dict[str, pa.Schema] = {}

    def append(self, sheets: dict[str, pa.Table]) -> None:
        for name, table in sheets.items():
            if self._tmp is None:
                self._tables[name] = table
            else:
                if name not in self._writers:
                    path = Path(self._tmp.name) / f"{len(self._writers)}.parquet"
                    self._paths[name], self._schemas[name] = path, table.schema
                    self._writers[name] = pq.ParquetWriter(path, table.schema)
                self._writers[name].write_table(table.cast(self._schemas[name]))
            self.rows[name] = self.rows.get(name, 0) + table.num_rows

    def sheet_names(self) -> list[str]:
        """The worksheets as written, long sheets continued (``Children 2``, ...)."""
        return [
            part for name, n in self.rows.items() for part, _ in sheet_parts(name, n, self.limit)
        ]

    def close(self) -> None:
        if self._tmp is None:
            written: dict[str, pa.Table] = {}
            for name, table in self._tables.items():
                for part, rows in sheet_parts(name, table.num_rows, self.limit):
                    written[part] = table.slice(rows.start, rows.stop - rows.start)
            write_xlsx(written, self.path)
            self._tables = {}
            return
        for writer in self._writers.values():
            writer.close()
        workbook = FastExcel(self.path).format(datetime_format="dd/mm/yyyy")
        for name, path in self._paths.items():
            for part, rows in sheet_parts(name, self.rows[name], self.limit):
                workbook = workbook.sheet(part, _rows_of(path, rows))
        workbook.save()
        fix_created_time(self.path)
        self._tmp.cleanup()


def _rows_of(path: Path, rows: slice) -> Iterator[dict[str, object]]:
    """The rows ``rows`` of a Parquet file, one dict each, read a batch at a time."""
    position = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=65_536):
        end = position + batch.num_rows
        if end > rows.start and position < rows.stop:
            lo, hi = max(rows.start - position, 0), min(rows.stop, end) - position
            yield from batch.slice(lo, hi - lo).to_pylist()
        position = end
        if position >= rows.stop:
            return


class TruthSink:
    """Ground-truth Parquet files gathered shard by shard (true ids kept apart per shard)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._schemas: dict[str, pa.Schema] = {}

    def append(self, shard_dir: Path, shard: Shard) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(shard_dir.glob("*.parquet")):
            table = shard_true_ids(pq.read_table(path), shard)
            name = path.name
            if name not in self._writers:
                self._schemas[name] = table.schema
                self._writers[name] = pq.ParquetWriter(
                    self.out_dir / name, table.schema, compression="zstd"
                )
            self._writers[name].write_table(table.cast(self._schemas[name]))

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
