"""The quality stage: the data quality page of a run.

It reads what ingest recorded (files, reconciliation, quarantined rows, unmapped codes),
measures completeness of every field per agency on the pseudonymised tables, and adds the
linkage quality and bias audit when the link stage has written them. Everything on the page
is aggregate: counts by file, rule, field and code value, never a record. The page's figures
are also written as ``data_quality_page.json``: the disclosure stage controls them with the
same machinery as the tables and renders the copy the publication carries
(:mod:`gbo.disclosure.quality_page`). This stage reads no disclosure setting.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from gbo.link.reliability import guard_states
from gbo.quality.completeness import measure_completeness
from gbo.quality.page import render_quality_page
from gbo.runfolder import RunContext, StageResult
from gbo.schema.tables import PSEUDONYMISED_TABLES

PAGE_FIGURES = "data_quality_page.json"


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _counted(ctx: RunContext, sql: str, name: str) -> list[dict[str, Any]]:
    path = ctx.input_path("ingest", f"{name}.parquet")
    return _rows(duckdb.connect().sql(sql.format(path=f"'{path}'")).to_arrow_table())


def run(ctx: RunContext) -> StageResult:
    files = _rows(ctx.read_table("ingest", "source_file"))
    rejected_by_rule = _counted(
        ctx,
        "SELECT agency, source_file, rule, count(*) AS n_problems, "
        # a workbook's sheets number their rows each from the top: a row is its sheet and
        # its number
        "count(DISTINCT (coalesce(sheet, ''), source_row)) AS n_rows "
        "FROM {path} GROUP BY ALL ORDER BY ALL",
        "rejected_row",
    )
    unmapped = _counted(
        ctx,
        'SELECT agency, "column", detail AS code_value, count(*) AS n_rows FROM {path} '
        "WHERE rule = 'unmapped_code' GROUP BY ALL "
        'ORDER BY n_rows DESC, agency, "column", code_value',
        "data_quality_finding",
    )
    other_findings = _counted(
        ctx,
        'SELECT agency, "table", "column", rule, severity, count(*) AS n_rows FROM {path} '
        "WHERE rule <> 'unmapped_code' GROUP BY ALL ORDER BY ALL",
        "data_quality_finding",
    )
    completeness = measure_completeness(
        {name: ctx.read_table("vault", name) for name in PSEUDONYMISED_TABLES}
    )
    ctx.write_table("completeness", completeness)

    linkage: dict[str, Any] | None = None
    bias: list[dict[str, Any]] = []
    guards: list[dict[str, Any]] = []
    if ctx.has_input("link", "linkage_quality.json"):
        linkage = ctx.read_json("link", "linkage_quality.json")
        guards = guard_states(linkage.get("conflict_guards", {}))
    if ctx.has_input("link", "linkage_bias.parquet"):
        bias = _rows(ctx.read_table("link", "linkage_bias"))

    manifest_reconciles = all(
        f["rows_read"] == f["rows_accepted"] + f["rows_rejected"] + (f.get("rows_left_out") or 0)
        for f in files
    )
    page: dict[str, Any] = {
        "run_id": ctx.run_dir.name,
        "is_synthetic": ctx.config.run.is_synthetic,
        "files": files,
        "rejected_by_rule": rejected_by_rule,
        "unmapped": unmapped,
        "other_findings": other_findings,
        "completeness": _rows(completeness),
        "linkage": linkage,
        "guards": guards,
        "bias": bias,
        "withheld_below": None,
    }
    ctx.write_text("data_quality.html", render_quality_page(**page))
    # the figures of the page; the disclosure stage controls them for the publication
    ctx.write_json(PAGE_FIGURES, page)
    warnings = [] if manifest_reconciles else ["row counts of some input files do not reconcile"]
    return StageResult(
        warnings=warnings,
        metrics={
            "files": len(files),
            "files_unreadable": sum(1 for f in files if f.get("error")),
            "rows_rejected": sum(f["rows_rejected"] for f in files),
            "unmapped_code_values": len(unmapped),
            "has_linkage_quality": linkage is not None,
        },
    )
