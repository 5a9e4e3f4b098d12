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

from gbo.bulletin.page import BULLETIN_PAGE, Bulletin, build_bulletin, write_bulletin
from gbo.bundle.format import BUNDLE_NAME, RELEASE_JSON
from gbo.config import RunConfig
from gbo.errors import PublishError
from gbo.publish.assets import SCRIPT, STYLESHEET, copy_assets, find_frontend
from gbo.publish.bundle import build_bundle, write_release_json
from gbo.publish.charts import Chart, build_chart, is_chartable
from gbo.publish.csv_files import write_csv
from gbo.publish.inputs import Publication, load_publication
from gbo.publish.ods import OdsConversion, start_conversion
from gbo.publish.plan import PublicationPlan, plan_publication
from gbo.publish.report import ReportContext, build_context, disclosure_threshold, write_report
from gbo.publish.settings import ChartSettings, PublishSettings
from gbo.publish.workbook import write_workbook
from gbo.runfolder import RunContext, StageResult
from gbo.stages import stage_folder_name

DRAFTED_MAIN_POINTS = "main-points.md"
# used only if the disclosure stage recorded no threshold: the strictest common choice
DEFAULT_THRESHOLD = 10


def external_inputs(config: RunConfig) -> list[Path]:
    """GOV.UK Frontend's built files: a new version of them reruns the stage."""
    try:
        frontend = find_frontend(config.publish.node_modules)
    except PublishError:
        return []
    return [frontend / STYLESHEET, frontend / SCRIPT]


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


def draw_charts(plan: PublicationPlan, settings: ChartSettings) -> dict[str, Chart]:
    """Every chart of the publication, rendered offline by vl-convert."""
    charts: dict[str, Chart] = {}
    for entry in plan.tables:
        if is_chartable(entry, settings):
            chart = build_chart(entry, settings)
            if chart is not None:
                charts[entry.table_id] = chart
    return charts


def _write_charts(ctx: RunContext, charts: dict[str, Chart]) -> None:
    for chart in charts.values():
        ctx.write_text(f"charts/{chart.file_stem}.svg", chart.svg)
        ctx.write_text(f"charts/{chart.file_stem}.vl.json", chart.spec_json + "\n")


def _record_tree(ctx: RunContext, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        ctx.record_file(path)


class _Clock:
    """Seconds spent on each part of the stage, for the manifest's metrics."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self._mark, 3)
        self._mark = now


def _spreadsheets(
    ctx: RunContext, publication: Publication, plan: PublicationPlan, clock: _Clock
) -> tuple[Path | None, OdsConversion | None]:
    """Write the XLSX workbook and start its ODS conversion (when asked for)."""
    settings = ctx.config.publish
    if not (settings.write_xlsx or settings.write_ods):
        return None, None
    xlsx = write_workbook(ctx.stage_dir / "tables.xlsx", publication, plan, settings)
    clock.lap("xlsx")
    conversion = None
    if settings.write_ods:
        try:
            conversion = start_conversion(
                xlsx, settings.soffice_path, settings.soffice_timeout_seconds
            )
        except PublishError as exc:
            ctx.warn(f"ODS workbook skipped: {exc.render()}")
    return xlsx, conversion


def _finish_spreadsheets(
    ctx: RunContext, xlsx: Path | None, conversion: OdsConversion | None
) -> list[tuple[str, str]]:
    """Wait for LibreOffice; record the workbooks; return the report's download links."""
    settings = ctx.config.publish
    downloads: list[tuple[str, str]] = []
    if xlsx is not None and settings.write_xlsx:
        ctx.record_file(xlsx)
        downloads.append(("All tables as an Excel workbook (XLSX)", "../tables.xlsx"))
    if conversion is not None:
        try:
            ctx.record_file(conversion.wait())
            downloads.append(("All tables as an OpenDocument spreadsheet (ODS)", "../tables.ods"))
        except PublishError as exc:
            ctx.warn(f"ODS workbook skipped: {exc.render()}")
    if xlsx is not None and not settings.write_xlsx:
        xlsx.unlink()
    return downloads


def _bundle(ctx: RunContext, publication: Publication) -> dict[str, Any]:
    """Zip every published file into the release bundle and write release.json."""
    out = ctx.stage_dir
    published = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in (BUNDLE_NAME, RELEASE_JSON) and not p.name.endswith(".tmp")
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
    return {"content_hash": info.content_hash, "n_bundle_files": len(info.files)}


def _bulletin(
    ctx: RunContext,
    publication: Publication,
    plan: PublicationPlan,
    charts: dict[str, Chart],
    context: ReportContext,
) -> Bulletin | None:
    """Draft the bulletin and put its main points and commentary into the report."""
    settings = ctx.config.publish.bulletin
    if not settings.enabled:
        return None
    threshold = disclosure_threshold(publication) or DEFAULT_THRESHOLD
    bulletin = build_bulletin(plan, charts, settings, period=context.period, threshold=threshold)
    ctx.write_text(DRAFTED_MAIN_POINTS, bulletin.markdown())
    context.main_points = bulletin.main_points
    context.bulletin_page = BULLETIN_PAGE
    context.commentary = [
        (s.id, s.heading, s.commentary) for s in bulletin.sections if s.commentary
    ]
    return bulletin


def run(ctx: RunContext) -> StageResult:
    settings: PublishSettings = ctx.config.publish
    clock = _Clock()
    publication = load_publication(ctx)
    for message in publication.warnings:
        ctx.warn(message)
    if not publication.tables:
        raise PublishError(
            f"{stage_folder_name('disclosure')} holds no tables, so there is nothing to publish",
            hint="check the profile and disclosure stages' outputs",
        )
    plan = plan_publication(publication.tables)
    out = ctx.stage_dir
    clock.lap("read")

    if settings.write_csv:
        for entry in plan.tables:
            ctx.record_file(write_csv(out / "csv", entry), rows=len(entry.frame))
        clock.lap("csv")

    # the workbook first, so LibreOffice converts it while the charts are drawn
    xlsx, conversion = _spreadsheets(ctx, publication, plan, clock)
    try:
        with ctx.progress.task("publish: charts"):
            charts = draw_charts(plan, settings.charts) if settings.write_html else {}
    except BaseException:
        if conversion is not None:
            conversion.cancel()
        raise
    _write_charts(ctx, charts)
    clock.lap("charts")
    downloads = _finish_spreadsheets(ctx, xlsx, conversion)
    clock.lap("ods_wait")

    if settings.write_html:
        report_dir = out / "report"
        assets = copy_assets(
            report_dir, settings.node_modules, govuk_typeface=settings.govuk_typeface
        )
        context = build_context(publication, plan, charts, settings, downloads)
        bulletin = _bulletin(ctx, publication, plan, charts, context)
        write_report(report_dir, publication, context, charts, assets)
        if bulletin is not None:
            write_bulletin(report_dir, bulletin, context, assets, plan)
        _record_tree(ctx, report_dir)
        clock.lap("html")

    ctx.write_json("manifest.json", release_manifest(publication, plan))
    metrics: dict[str, Any] = {
        "n_tables": len(plan.tables),
        "n_charts": len(charts),
        "n_notes": len(plan.notes.texts),
    }
    if settings.write_bundle:
        metrics |= _bundle(ctx, publication)
        clock.lap("bundle")
    metrics["seconds"] = clock.seconds
    return StageResult(metrics=metrics)
