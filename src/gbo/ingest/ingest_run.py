"""Ingesting a list of sources: read, check, translate, reconcile. No files are written here.

A file that cannot be ingested at all (unreadable, empty, unknown format, a mapping that
does not fit it) is recorded with its error and skipped; the other files go on. The stage
(:mod:`gbo.ingest.stage`) and ``gbo mapping check`` both use :func:`ingest_sources`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from gbo.errors import GboError, MappingError
from gbo.ingest.column_sql import DateRules
from gbo.ingest.columns_check import check_mapped_columns
from gbo.ingest.engine import IngestEngine, IngestOutput, TableSink
from gbo.ingest.mapping_files import load_mapping
from gbo.ingest.readers import SourceData, detect_format, read_source
from gbo.ingest.settings import IngestSettings, SourceSettings
from gbo.progress import Progress, SilentProgress
from gbo.runfolder import file_sha256
from gbo.schema.mapping import AgencyMapping
from gbo.schema.tables import SOURCE_FILE

_DONE: Future[tuple[AgencyMapping, SourceData]] = Future()  # a read already used


@dataclass
class FileRecord:
    """One input file as ingest saw it (a row of ``source_file``)."""

    file_id: int
    agency: str
    path: Path
    mapping_path: Path
    format: str | None = None
    encoding: str | None = None
    sha256: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_left_out: int = 0
    error: str | None = None
    failure: GboError | None = field(default=None, repr=False)

    def as_row(self) -> dict[str, object]:
        return {
            "agency": self.agency,
            "source_file": self.path.name,
            "format": self.format,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "rows_left_out": self.rows_left_out,
            "error": self.error,
        }


@dataclass
class IngestRun:
    files: list[FileRecord]
    output: IngestOutput

    def source_file_table(self) -> pa.Table:
        return pa.Table.from_pylist([f.as_row() for f in self.files], SOURCE_FILE.schema)


def date_rules(settings: IngestSettings) -> DateRules:
    reference = settings.reference_date or datetime.now(UTC).date()
    return DateRules(reference, settings.max_future_days, settings.earliest_year)


def one_line(error: GboError, limit: int = 400) -> str:
    """A file-level error as one line (a mapping's list of problems joined with ';')."""
    lines = [line.strip() for line in error.message.splitlines() if line.strip()]
    text = lines[0] + (" " + "; ".join(lines[1:]) if len(lines) > 1 else "")
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    if error.hint:
        text += f" ({error.hint})"
    return text


def ingest_sources(
    sources: Sequence[SourceSettings],
    settings: IngestSettings,
    *,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
    on_table: TableSink | None = None,
) -> IngestRun:
    """Ingest every source; unreadable files are recorded (and warned about), never fatal.

    ``on_table`` receives each canonical table as soon as it is made (the stage writes it
    to the vault straight away); without it the tables are kept in the result.
    """
    progress = progress or SilentProgress()
    engine = IngestEngine(date_rules(settings), settings.threads, settings.duckdb_memory_limit)
    files = [FileRecord(i, s.agency, s.path, s.mapping) for i, s in enumerate(sources, start=1)]
    # The next file is read (in a worker thread) while DuckDB translates the current one.
    with (
        progress.task("Reading agency exports", total=len(sources)) as task,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="gbo-read") as reader,
    ):
        pending = [
            reader.submit(_read_file, r, s) for r, s in zip(files[:1], sources[:1], strict=True)
        ]
        for index, (record, source) in enumerate(zip(files, sources, strict=True)):
            if index + 1 < len(sources):
                pending.append(reader.submit(_read_file, files[index + 1], sources[index + 1]))
            try:
                mapping, data = pending[index].result()
                pending[index] = _DONE
                engine.add_file(
                    record.file_id, source.agency, source.path.name, mapping,
                    source.mapping.name, data,
                )  # fmt: skip
                del data
            except GboError as error:
                record.error = error.render()
                record.failure = error
                if warn is not None:
                    # a mapping's problems name its file, which need not share the export's name
                    mapping_file = (
                        f"{source.mapping.name}: " if isinstance(error, MappingError) else ""
                    )
                    warn(
                        f"{source.path.name} ({source.agency}) was not ingested: "
                        f"{mapping_file}{one_line(error)}"
                    )
            task.advance()
    with progress.task("Checking across tables"):
        output = engine.finish(on_table)
    for record in files:
        counts = output.counts.get(record.file_id)
        if counts is not None and record.error is None:
            record.rows_read = counts.rows_read
            record.rows_rejected = counts.rows_rejected
            record.rows_accepted = counts.rows_accepted
            record.rows_left_out = counts.rows_left_out
        progress.log(
            f"{record.agency} {record.path.name}: {record.rows_read} rows read, "
            f"{record.rows_accepted} accepted, {record.rows_rejected} rejected"
            + (f", {record.rows_left_out} left out by the mapping" if record.rows_left_out else "")
            + (" (not ingested)" if record.error else "")
        )
    return IngestRun(files, output)


def _read_file(record: FileRecord, source: SourceSettings) -> tuple[AgencyMapping, SourceData]:
    """Load the mapping and read the file it maps, checking that the two fit."""
    if source.path.is_file():
        record.sha256 = file_sha256(source.path)
    mapping = load_mapping(source.mapping)
    if mapping.agency != source.agency:
        raise MappingError(
            f"the mapping is for agency {mapping.agency!r} but the configuration names "
            f"{source.agency!r} for {source.path.name}",
            hint="make the agency names the same",
            path=source.mapping,
        )
    record.format = detect_format(source.path, mapping)
    data = read_source(source.path, mapping)
    record.encoding = data.encoding
    check_mapped_columns(mapping, source.mapping, source.path, data)
    return mapping, data
