"""The ingest stage: agency exports in, canonical tables (encrypted) and their accounts out.

Writes to ``01_ingest/``:

* ``person_record``, ``offence``, ``involvement``, ``event``, ``vulnerability``,
  ``association`` as ``*.parquet.enc`` (vault files: they hold identifiers);
* ``source_file.parquet``: one row per input file, with ``rows_read = rows_accepted +
  rows_rejected`` and the error of a file that could not be ingested;
* ``rejected_row.parquet``: one row per problem (file, sheet, row, column, rule, reason),
  never a value from the file;
* ``rejected_raw.parquet.enc``: the raw values of the rejected rows (vault only);
* ``data_quality_finding.parquet``: problems that did not reject a row (unmapped codes).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa

from gbo.config import RunConfig
from gbo.errors import IngestError
from gbo.ingest.ingest_run import IngestRun, ingest_sources
from gbo.runfolder import RunContext, StageResult


def external_inputs(config: RunConfig) -> list[Path]:
    """The agency exports and their mapping files."""
    paths: list[Path] = []
    for source in config.sources:
        paths += [source.path, source.mapping]
    return paths


def _metrics(run: IngestRun) -> dict[str, Any]:
    files = {
        f.path.name: {
            "agency": f.agency,
            "rows_read": f.rows_read,
            "rows_accepted": f.rows_accepted,
            "rows_rejected": f.rows_rejected,
            "rows_left_out": f.rows_left_out,
            "error": f.error,
        }
        for f in run.files
    }
    rules = Counter(run.output.rejected_row.column("rule").to_pylist())
    findings = Counter(run.output.findings.column("rule").to_pylist())
    return {
        "files": files,
        "rows_read": sum(f.rows_read for f in run.files),
        "rows_accepted": sum(f.rows_accepted for f in run.files),
        "rows_rejected": sum(f.rows_rejected for f in run.files),
        "rows_left_out": sum(f.rows_left_out for f in run.files),
        "files_not_ingested": sum(1 for f in run.files if f.error),
        "tables": dict(run.output.table_rows),
        "problems_by_rule": dict(sorted(rules.items())),
        "findings_by_rule": dict(sorted(findings.items())),
    }


def _check_reconciliation(run: IngestRun) -> None:
    for f in run.files:
        if f.rows_read != f.rows_accepted + f.rows_rejected + f.rows_left_out:
            raise IngestError(
                f"row counts do not reconcile for {f.path.name}: {f.rows_read} read, "
                f"{f.rows_accepted} accepted, {f.rows_rejected} rejected, "
                f"{f.rows_left_out} left out by the mapping",
                hint="this is a bug in gbo; please report it",
            )
    n_raw = run.output.rejected_raw.num_rows
    n_rejected = sum(f.rows_rejected for f in run.files)
    if n_raw != n_rejected:
        raise IngestError(
            f"{n_rejected} rows were rejected but {n_raw} have their raw values kept",
            hint="this is a bug in gbo; please report it",
        )


def _write_vault_table(ctx: RunContext, name: str, table: pa.Table) -> None:
    ctx.write_vault_table(name, table)


def run(ctx: RunContext) -> StageResult:
    """Read, validate and translate every configured export."""
    config = ctx.config
    ctx.keys  # noqa: B018 - a missing vault key stops the stage before any work is done
    if not config.sources:
        ctx.warn("no sources are configured: add [[sources]] to the configuration")
    for source in config.sources:
        for path in (source.path, source.mapping):
            if path.is_file():
                ctx.note_input(path)
    result = ingest_sources(
        config.sources,
        config.ingest,
        progress=ctx.progress,
        warn=ctx.warn,
        on_table=lambda name, table: _write_vault_table(ctx, name, table),
    )
    _check_reconciliation(result)
    ctx.write_table("source_file", result.source_file_table())
    ctx.write_table("rejected_row", result.output.rejected_row)
    ctx.write_vault_table("rejected_raw", result.output.rejected_raw)
    ctx.write_table("data_quality_finding", result.output.findings)
    return StageResult(metrics=_metrics(result))
