"""The disclosure stage: ``06_profile`` and ``07_lessons`` tables in, ``08_disclosure`` out.

Writes ``tables.parquet``, ``tables.json``, ``statistics.parquet`` (the published form),
``suppression_log.parquet`` (why each figure was withheld; for the analyst, never
published), ``disclosure_audit.json`` and, when the quality stage wrote its figures,
``data_quality.html``: the data quality page as published, controlled the same way, with
its completeness figures in ``quality_completeness.json`` and the linkage facts in
``linkage_quality.json`` (controlled with the page) for the report. The
stage refuses to finish if its own audit of the published tables (or of the page) finds a
withheld figure that can be narrowed below the protection interval.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.quality_page import controlled_page
from gbo.errors import DisclosureError
from gbo.quality.page import render_quality_page
from gbo.quality.stage import PAGE_FIGURES
from gbo.runfolder import RunContext, StageResult

INPUT_STAGES = ("profile", "lessons")
PUBLISHED_QUALITY_PAGE = "data_quality.html"
PUBLISHED_COMPLETENESS = "quality_completeness.json"
# the link stage's facts, and their controlled copy in this stage's folder
LINKAGE_FACTS = "linkage_quality.json"
RESERVED_KEYS = frozenset({"symbols", "disclosure", "tables", "format", "format_version"})


def table_metadata(raw: Any, source: str) -> dict[str, dict[str, Any]]:
    """``tables.json`` as table id -> metadata (top-level reserved keys left out)."""
    if not isinstance(raw, dict):
        raise DisclosureError("tables.json is not a JSON object", path=source)
    if isinstance(raw.get("tables"), dict):
        raw = raw["tables"]
    return {str(k): v for k, v in raw.items() if k not in RESERVED_KEYS and isinstance(v, dict)}


def read_inputs(ctx: RunContext) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], pd.DataFrame]:
    """The tables, metadata and statistics of the profile and (if run) lessons stages."""
    frames: list[pd.DataFrame] = []
    metadata: dict[str, dict[str, Any]] = {}
    stats: list[pd.DataFrame] = []
    for stage in INPUT_STAGES:
        if stage == "lessons" and not ctx.has_input(stage, "tables.parquet"):
            continue
        frames.append(ctx.read_table(stage, "tables").to_pandas())
        if ctx.has_input(stage, "tables.json"):
            meta = table_metadata(ctx.read_json(stage, "tables.json"), f"{stage}/tables.json")
            clash = sorted(set(meta) & set(metadata))
            if clash:
                raise DisclosureError(
                    f"table id(s) {', '.join(clash)} come from two stages",
                    hint="table ids must be unique across profile and lessons",
                )
            metadata.update(meta)
        if ctx.has_input(stage, "statistics.parquet"):
            stats.append(ctx.read_table(stage, "statistics").to_pandas())
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    statistics = pd.concat(stats, ignore_index=True) if stats else pd.DataFrame()
    return rows, metadata, statistics


def write_outputs(ctx: RunContext, result: DisclosureResult) -> None:
    ctx.write_table("tables", pa.Table.from_pandas(result.tables, preserve_index=False))
    ctx.write_json("tables.json", result.metadata)
    ctx.write_table("statistics", pa.Table.from_pandas(result.statistics, preserve_index=False))
    ctx.write_table("suppression_log", pa.Table.from_pandas(result.log, preserve_index=False))
    ctx.write_json("disclosure_audit.json", result.audit.to_json())


def run(ctx: RunContext) -> StageResult:
    settings = ctx.config.disclosure
    rows, metadata, statistics = read_inputs(ctx)
    with ctx.progress.task("disclosure control: secondary suppression rounds") as task:
        result = control_disclosure(
            rows, metadata, settings, statistics, on_round=lambda _round, _n: task.advance()
        )
    for warning in result.warnings:
        ctx.warn(warning)
    if not result.audit.passed:
        ctx.write_json("disclosure_audit.json", result.audit.to_json())
        raise DisclosureError(
            result.audit.summary(),
            hint="see disclosure_audit.json in the partial disclosure folder; nothing was "
            "published",
            path=ctx.stage_dir,
        )
    quality_audit = _quality_page(ctx)
    write_outputs(ctx, result)
    ctx.progress.log(result.audit.summary())
    metrics = dict(result.metrics)
    if quality_audit is not None:
        metrics["quality_page_withheld"] = quality_audit
    return StageResult(metrics=metrics)


def _quality_page(ctx: RunContext) -> int | None:
    """The published data quality page, controlled like the tables (None if no page), and
    the linkage facts the report lists, controlled with it."""
    if ctx.has_input("quality", PAGE_FIGURES):
        figures = ctx.read_json("quality", PAGE_FIGURES)
    elif ctx.has_input("link", LINKAGE_FACTS):
        figures = {"linkage": ctx.read_json("link", LINKAGE_FACTS)}
    else:
        return None
    page, control = controlled_page(figures, ctx.config.disclosure)
    if control is not None and not control.audit.passed:
        ctx.write_json("quality_page_audit.json", control.audit.to_json())
        raise DisclosureError(
            "data quality page: " + control.audit.summary(),
            hint="see quality_page_audit.json in the partial disclosure folder; nothing was "
            "published",
            path=ctx.stage_dir,
        )
    if isinstance(page.get("linkage"), dict):
        # the report lists the same facts: it takes them from here
        ctx.write_json(LINKAGE_FACTS, page["linkage"])
    if ctx.has_input("quality", PAGE_FIGURES):
        ctx.write_text(PUBLISHED_QUALITY_PAGE, render_quality_page(**page))
        # the report's completeness table shows the same figures: it takes them from here
        ctx.write_json(PUBLISHED_COMPLETENESS, list(page.get("completeness") or []))
    if control is None:
        return 0
    return int(control.metrics["n_primary"]) + int(control.metrics["n_secondary"])
