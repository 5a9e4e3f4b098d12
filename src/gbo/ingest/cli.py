"""``gbo mapping``: the JSON Schema of mapping files, and checking a mapping against a file."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gbo.cli_support import out, user_errors
from gbo.ingest.ingest_run import IngestRun, ingest_sources
from gbo.ingest.mapping_files import load_mapping, mapping_json_schema
from gbo.ingest.settings import IngestSettings, SourceSettings

app = typer.Typer(
    help="Agency mapping files: their format, and what a mapping makes of an export.",
    no_args_is_help=True,
)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the mapping file format (for editors and validators)."""
    out.print_json(json.dumps(mapping_json_schema()))


@app.command("check")
def check_command(
    mapping: Annotated[Path, typer.Argument(help="The mapping file (TOML or YAML).")],
    data_file: Annotated[Path, typer.Argument(help="The agency export it maps.")],
    reference_date: Annotated[
        str | None, typer.Option(help="Date that 'future' is measured from (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Validate MAPPING against DATA_FILE and show what would be accepted and rejected.

    Nothing is written. Exits non-zero if the mapping is invalid or does not fit the file.
    """
    with user_errors():
        loaded = load_mapping(mapping)
        settings = IngestSettings(
            reference_date=date.fromisoformat(reference_date) if reference_date else None
        )
        source = SourceSettings(agency=loaded.agency, path=data_file, mapping=mapping)
        run = ingest_sources([source], settings)
        record = run.files[0]
        if record.failure is not None:
            raise record.failure
        print_check_report(run)


def print_check_report(run: IngestRun) -> None:
    """What the mapping makes of the file: counts, rejections by rule, unmapped codes."""
    record = run.files[0]
    out.print(
        f"{record.path.name}: {record.format}"
        + (f", {record.encoding}" if record.encoding else "")
        + f"; "
        f"{record.rows_read} rows read, {record.rows_accepted} would be accepted, "
        f"{record.rows_rejected} rejected",
        highlight=False,
    )
    tables = Table("canonical table", "rows", title="Rows each table would get")
    for name, table in run.output.tables.items():
        tables.add_row(name, str(table.num_rows))
    out.print(tables)
    problems = Counter(
        zip(
            run.output.rejected_row.column("rule").to_pylist(),
            run.output.rejected_row.column("column").to_pylist(),
            run.output.rejected_row.column("reason").to_pylist(),
            strict=True,
        )
    )
    if problems:
        rejected = Table("rule", "column", "rows", "reason", title="Problems that reject rows")
        for (rule, column, reason), n in sorted(problems.items(), key=lambda kv: -kv[1]):
            rejected.add_row(rule, column or "", str(n), reason)
        out.print(rejected)
    findings = Counter(
        zip(
            run.output.findings.column("column").to_pylist(),
            run.output.findings.column("rule").to_pylist(),
            run.output.findings.column("detail").to_pylist(),
            strict=True,
        )
    )
    unknown = unknown_code_values(run)
    if unknown:
        codes_table = Table("column", "value", "rows", title="Unknown codes (rows rejected)")
        for (column, value), n in sorted(unknown.items(), key=lambda kv: -kv[1])[:50]:
            codes_table.add_row(column, value, str(n))
        out.print(codes_table)
    if findings:
        kept = Table("column", "rule", "value", "rows", title="Values set to not recorded")
        for (column, rule, detail), n in sorted(findings.items(), key=lambda kv: -kv[1])[:50]:
            kept.add_row(column, rule, detail or "", str(n))
        out.print(kept)


def unknown_code_values(run: IngestRun) -> Counter[tuple[str, str]]:
    """(source column, value) of codes that rejected rows: what to add to the mapping."""
    rejected = run.output.rejected_row
    wanted: dict[int, set[str]] = {}
    for rule, column, row in zip(
        rejected.column("rule").to_pylist(),
        rejected.column("column").to_pylist(),
        rejected.column("source_row").to_pylist(),
        strict=True,
    ):
        if rule == "unknown_code" and column:
            wanted.setdefault(row, set()).add(column)
    found: Counter[tuple[str, str]] = Counter()
    raw = run.output.rejected_raw
    for row, text in zip(
        raw.column("source_row").to_pylist(), raw.column("raw_values").to_pylist(), strict=True
    ):
        if row not in wanted or not text:
            continue
        try:
            values = json.loads(text)
        except json.JSONDecodeError:
            continue
        for column in wanted[row]:
            found[(column, str(values.get(column, ""))[:40])] += 1
    return found
