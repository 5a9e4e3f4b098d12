"""The publish stage: the report, the workbooks, the CSV files, the charts and the bundle.

Reads only the disclosure-controlled tables of ``08_disclosure`` and the aggregate items
named in :mod:`gbo.publish.inputs`, and writes ``09_publish/``:

``report/`` (``index.html`` with its assets and charts), ``tables.xlsx``, ``tables.ods``,
``csv/<table_id>.csv``, ``charts/<table_id>.svg`` (with the Vega-Lite spec), a public
``manifest.json`` of the release, ``release-bundle.zip`` and ``release.json``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gbo.errors import PublishError
from gbo.publish.assets import copy_assets
from gbo.publish.bundle import BUNDLE_NAME, RELEASE_JSON, build_bundle, write_release_json
from gbo.publish.charts import Chart, build_chart, is_chartable
from gbo.publish.csv_files import write_csv
from gbo.publish.inputs import Publication, load_publication
from gbo.publish.ods import OdsConversion, start_conversion
from gbo.publish.plan import PublicationPlan, plan_publication
from gbo.publish.report import build_context, write_report
from gbo.publish.workbook import write_workbook
from gbo.runfolder import RunContext, StageResult


def release_manifest(publication: Publication, plan: PublicationPlan) -> dict[str, Any]:
    """The public description of the release: no paths, keys or unpublished counts."""
    return {
        "run_id": publication.run_id,
        "code_version": publication.code_version,
        "title": publication.title,
        "is_synthetic": publication.is_synthetic,
        "release_date": publication.release_date.isoformat(),
        "stages": publication.stages,
        "tables": [
            {"number": e.number, "table_id": e.table_id, "sheet": e.sheet, "title": e.title}
            for e in plan.tables
        ],
    }


def _charts(ctx: RunContext, plan: PublicationPlan) -> dict[str, Chart]:
    settings = ctx.config.publish.charts
    eligible = [e for e in plan.tables if is_chartable(e, settings)]
    charts: dict[str, Chart] = {}
    with ctx.progress.task("publish: charts", total=len(eligible)) as task:
        for entry in eligible:
            chart = build_chart(entry, settings)
            if chart is not None:
                charts[entry.table_id] = chart
                ctx.write_text(f"charts/{entry.table_id}.svg", chart.svg)
                ctx.write_text(f"charts/{entry.table_id}.vl.json", chart.spec_json + "\n")
            task.advance()
    return charts


def _record_tree(ctx: RunContext, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        ctx.record_file(path)


def run(ctx: RunContext) -> StageResult:
    settings = ctx.config.publish
    timings: dict[str, float] = {}
    started = time.perf_counter()
    publication = load_publication(ctx)
    for message in publication.warnings:
        ctx.warn(message)
    if not publication.tables:
        raise PublishError(
            "08_disclosure holds no tables, so there is nothing to publish",
            hint="check the profile and disclosure stages' outputs",
        )
    plan = plan_publication(publication.tables)
    out = ctx.stage_dir
    timings["read"] = time.perf_counter() - started

    if settings.write_csv:
        mark = time.perf_counter()
        for entry in plan.tables:
            ctx.record_file(write_csv(out / "csv", entry), rows=len(entry.frame))
        timings["csv"] = time.perf_counter() - mark

    downloads: list[tuple[str, str]] = []
    conversion: OdsConversion | None = None
    xlsx: Path | None = None
    if settings.write_xlsx or settings.write_ods:
        mark = time.perf_counter()
        xlsx = write_workbook(out / "tables.xlsx", publication, plan, settings)
        timings["xlsx"] = time.perf_counter() - mark
        if settings.write_ods:
            try:
                conversion = start_conversion(
                    xlsx, settings.soffice_path, settings.soffice_timeout_seconds
                )
            except PublishError as exc:
                ctx.warn(f"ODS workbook skipped: {exc.render()}")
        if settings.write_xlsx:
            downloads.insert(0, ("All tables as an Excel workbook (XLSX)", "../tables.xlsx"))

    # charts are drawn while LibreOffice converts the workbook
    mark = time.perf_counter()
    try:
        charts = _charts(ctx, plan) if settings.write_html else {}
    except BaseException:
        if conversion is not None:
            conversion.cancel()
        raise
    timings["charts"] = time.perf_counter() - mark

    if conversion is not None:
        mark = time.perf_counter()
        try:
            ctx.record_file(conversion.wait())
            downloads.append(("All tables as an OpenDocument spreadsheet (ODS)", "../tables.ods"))
        except PublishError as exc:
            ctx.warn(f"ODS workbook skipped: {exc.render()}")
        timings["ods_wait"] = time.perf_counter() - mark
    if xlsx is not None:
        if settings.write_xlsx:
            ctx.record_file(xlsx)
        else:
            xlsx.unlink()

    if settings.write_html:
        mark = time.perf_counter()
        report_dir = out / "report"
        assets = copy_assets(report_dir, settings.node_modules)
        context = build_context(publication, plan, charts, settings, downloads)
        write_report(report_dir, publication, context, charts, assets)
        _record_tree(ctx, report_dir)
        timings["html"] = time.perf_counter() - mark

    ctx.write_json("manifest.json", release_manifest(publication, plan))

    metrics: dict[str, Any] = {
        "n_tables": len(plan.tables),
        "n_charts": len(charts),
        "n_notes": len(plan.notes.texts),
    }
    if settings.write_bundle:
        mark = time.perf_counter()
        published = sorted(
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file()
            and p.name not in (BUNDLE_NAME, RELEASE_JSON)
            and not p.name.endswith(".tmp")
        )
        info = build_bundle(
            out,
            published,
            run_id=publication.run_id,
            code_version=publication.code_version,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            title=publication.title,
            is_synthetic=publication.is_synthetic,
        )
        ctx.record_file(out / BUNDLE_NAME)
        ctx.record_file(write_release_json(out, info))
        metrics["content_hash"] = info.content_hash
        metrics["n_bundle_files"] = len(info.files)
        timings["bundle"] = time.perf_counter() - mark
    metrics["seconds"] = {k: round(v, 3) for k, v in timings.items()}
    return StageResult(metrics=metrics)
