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
from gbo.errors import GboError, IngestError, MappingError
from gbo.ingest.canonical_columns import KEY_CODE_COLUMNS
from gbo.ingest.code_hints import closest_codes
from gbo.ingest.crosswalks import crosswalk_entry
from gbo.ingest.draft import analyse, render_draft
from gbo.ingest.ingest_run import IngestRun, ingest_sources
from gbo.ingest.mapping_files import field_source, load_mapping, mapping_json_schema
from gbo.ingest.settings import IngestSettings, SourceSettings

app = typer.Typer(
    help="Agency mapping files: their format, and what a mapping makes of an export.",
    no_args_is_help=True,
)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the mapping file format (for editors and validators)."""
    out.print_json(json.dumps(mapping_json_schema()))


@app.command("draft")
def draft_command(
    export: Annotated[Path, typer.Argument(help="The agency export (CSV, XLSX or ODS).")],
    agency: Annotated[
        str | None, typer.Option(help="Agency name for the mapping (default: the file's stem).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the draft here (default: print).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet to draft (default: the first).")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
) -> None:
    """Draft a mapping file for EXPORT, to review before use.

    Detects the encoding, delimiter and header row (below any title banner), each date
    column's formats, a guess of each column's canonical field, and for each coded column
    every value seen with its best-guess gbo code. Lines marked REVIEW need a decision.
    """
    with user_errors():
        if not export.is_file():
            raise IngestError("file not found", hint="check the path", path=export)
        if output is not None and output.exists() and not force:
            raise MappingError(
                "the output file exists already", hint="choose another path, or --force",
                path=output,
            )  # fmt: skip
        name = agency or "".join(c if c.isalnum() else "_" for c in export.stem.lower())
        text = render_draft(analyse(export, sheet), export, name)
        if output is None:
            out.print(text, markup=False, highlight=False, end="")
        else:
            output.write_text(text, encoding="utf-8")
            out.print(f"Wrote {output}; review the lines marked REVIEW, then run "
                      f"`gbo mapping check {output} {export}`.", highlight=False)  # fmt: skip


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


def _lines(rows: list[int]) -> str:
    rows = sorted(set(rows))
    shown = ", ".join(map(str, rows[:8]))
    return shown + (f", ... ({len(rows)} rows)" if len(rows) > 8 else "")


def print_check_report(run: IngestRun) -> None:
    """What the mapping makes of the file, grouped by rule with counts.

    Problems and findings are grouped by rule and column (one line each, with the first
    line numbers); unknown and unmapped code values are all listed, never cut short, since
    each is an entry to add to the mapping.
    """
    record = run.files[0]
    left_out = f", {record.rows_left_out} left out by the mapping" if record.rows_left_out else ""
    out.print(
        f"{record.path.name}: {record.format}"
        + (f", {record.encoding}" if record.encoding else "")
        + f"; {record.rows_read} rows read, {record.rows_accepted} would be accepted, "
        f"{record.rows_rejected} rejected{left_out}",
        highlight=False,
    )
    tables = Table("canonical table", "rows", title="Rows each table would get")
    for name, table in run.output.tables.items():
        tables.add_row(name, str(table.num_rows))
    out.print(tables)
    rejected = run.output.rejected_row.to_pylist()
    by_rule: dict[tuple[str, str], list[dict[str, object]]] = {}
    for row in rejected:
        by_rule.setdefault((str(row["rule"]), str(row["column"] or "")), []).append(row)
    if by_rule:
        problems = Table(
            "rule", "column", "rows", "lines", "reason", title="Problems that reject rows"
        )
        for (rule, column), rows in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            numbers = [int(str(r["source_row"])) for r in rows]
            reason = str(rows[0]["reason"])
            if rule == "duplicate_row":
                reason = "repeats an earlier row exactly; the repeat is set aside"
            problems.add_row(rule, column, str(len(set(numbers))), _lines(numbers), reason)
        out.print(problems)
    unknown = unknown_code_values(run)
    if unknown:
        codes_table = Table(
            "column", "value", "rows", "closest gbo codes", title="Unknown codes (rows rejected)"
        )
        for (column, value, canonical), n in sorted(
            unknown.items(), key=lambda kv: (-kv[1], kv[0])
        ):
            codes_table.add_row(column, value, str(n), _closest_or_why(value, canonical))
        out.print(codes_table)
    findings = run.output.findings.to_pylist()
    unmapped: Counter[tuple[str, str]] = Counter()
    grouped: dict[tuple[str, str], list[dict[str, object]]] = {}
    for f in findings:
        if f["rule"] == "unmapped_code":
            unmapped[(str(f["column"]), str(f["detail"] or ""))] += 1
        else:
            grouped.setdefault((str(f["rule"]), str(f["column"] or "")), []).append(f)
    if unmapped:
        kept = Table(
            "column", "value", "rows", "closest gbo codes",
            title="Unmapped codes (rows kept, value set to not recorded)",
        )  # fmt: skip
        for (column, value), n in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0])):
            kept.add_row(column, value, str(n), ", ".join(closest_codes(value, column)))
        out.print(kept)
    if grouped:
        other = Table("rule", "column", "rows", "lines", "example", title="Findings (rows kept)")
        for (rule, column), rows in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            numbers = [int(str(r["source_row"])) for r in rows if r["source_row"] is not None]
            other.add_row(rule, column, str(len(rows)), _lines(numbers), str(rows[0]["detail"]))
        out.print(other)


def _closest_or_why(value: str, canonical: str) -> str:
    """The closest gbo codes to an unknown value, or, for a Home Office offence code the
    crosswalk lists, why it has no gbo code (a code spelt alike would mislead there)."""
    entry = crosswalk_entry(value) if canonical == "ho_offence_code" else None
    if entry is not None:
        return f"none: Home Office {entry.code}, {entry.basis}"
    return ", ".join(closest_codes(value, canonical))


def unknown_code_values(run: IngestRun) -> Counter[tuple[str, str, str]]:
    """(source column, value, canonical column) of codes that rejected rows: what to add
    to the mapping."""
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
    canonical = _canonical_of_source(run)
    found: Counter[tuple[str, str, str]] = Counter()
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
            value = str(values.get(column, ""))[:40]
            found[(column, value, canonical.get(column, column))] += 1
    return found


def _canonical_of_source(run: IngestRun) -> dict[str, str]:
    """Source column -> the key code column it fills (for the closest codes)."""
    found: dict[str, str] = {}
    record = run.files[0]
    try:
        mapping = load_mapping(record.mapping_path)
    except GboError:
        return found
    for table in mapping.tables:
        for canonical, spec in table.columns.items():
            source = field_source(spec)
            if source.column is not None and canonical in KEY_CODE_COLUMNS:
                found[source.column] = canonical
    return found
