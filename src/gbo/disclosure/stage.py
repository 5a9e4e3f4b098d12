"""The disclosure stage: ``06_profile`` and ``07_lessons`` tables in, ``08_disclosure`` out.

Writes ``tables.parquet``, ``tables.json``, ``statistics.parquet`` (the published form),
``suppression_log.parquet`` (why each figure was withheld; for the analyst, never
published), ``disclosure_audit.json``, ``other_figures.parquet`` with
``other_figures.json`` (the figures published outside the tables and checked with them:
the data quality page's, those the notes quote and the statistics' counts of people) and,
when the quality stage
wrote its figures, ``data_quality.html``: the data quality page as published, with its
completeness figures in ``quality_completeness.json`` and the linkage facts in
``linkage_quality.json`` for the report. The page and the linkage facts are controlled in
one system with the tables (a page's rows recorded give a table's Not recorded), so
secondary suppression and the audit see the whole release. The stage refuses to finish if
its audit finds a withheld figure that can be narrowed below the protection interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import pyarrow as pa

from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.declared import NOT_HOLDING
from gbo.disclosure.page_relations import bias_group_relations, table_relations
from gbo.disclosure.quality_page import page_settings, page_tables, published_page
from gbo.disclosure.settings import DisclosureSettings
from gbo.errors import DisclosureError
from gbo.quality.page import render_quality_page
from gbo.quality.stage import PAGE_FIGURES
from gbo.runfolder import RunContext, StageResult

INPUT_STAGES = ("profile", "lessons")
PUBLISHED_QUALITY_PAGE = "data_quality.html"
PUBLISHED_COMPLETENESS = "quality_completeness.json"
# the link stage's facts, and their controlled copy in this stage's folder
LINKAGE_FACTS = "linkage_quality.json"
QUOTED_FIGURES = "quoted_figures.json"
OTHER_FIGURES = "other_figures"
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
    # the counts and shares the notes quote, as controlled (for the analyst and the checks)
    quoted = [
        {"figure": name, "part": part, "display": display}
        for (name, part), display in sorted(result.quoted.items(), key=str)
    ]
    ctx.write_json(QUOTED_FIGURES, quoted)


@dataclass
class ReleaseControl:
    """The control of a whole release: the tables' part, the page as published, the rest."""

    result: DisclosureResult  # tables and page together (one audit)
    tables: DisclosureResult  # the tables' part: what tables.parquet publishes
    page: dict[str, Any] | None  # the data quality page's figures as published
    warnings: list[str]


def with_page(
    rows: pd.DataFrame, metadata: dict[str, dict[str, Any]], page: dict[str, Any] | None
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The tables with the data quality page's figures (and the linkage facts) added as tables
    of their own, related to the tables of the same rows; and the page's tables' metadata."""
    page_rows, page_meta = page_tables(page) if page is not None else (pd.DataFrame(), {})
    if page_rows.empty:
        return rows, metadata, {}
    table_relations(rows, metadata, page or {}, page_meta)
    bias_group_relations(rows, metadata, page_rows, page_meta)
    return pd.concat([rows, page_rows], ignore_index=True), {**metadata, **page_meta}, page_meta


def control_release(
    rows: pd.DataFrame,
    metadata: dict[str, dict[str, Any]],
    statistics: pd.DataFrame,
    page: dict[str, Any] | None,
    settings: DisclosureSettings,
    on_round: Callable[[int, int], None] | None = None,
) -> ReleaseControl:
    """Control the tables and the data quality page (with the linkage facts) as one system:
    a figure of the page can give away a cell of a table and the other way round."""
    joint_rows, joint_meta, page_meta = with_page(rows, metadata, page)
    joint_settings = page_settings(settings) if page_meta else settings
    result = control_disclosure(joint_rows, joint_meta, joint_settings, statistics, on_round)
    # the page's relations are declared for every table they might join; those that do not
    # hold are not used, and are no news to the analyst
    declared = {
        str(r.get("description")) for m in page_meta.values() for r in m.get("relations") or []
    }
    warnings = [w for w in result.warnings if w.removeprefix(NOT_HOLDING) not in declared]
    published = None
    if page is not None:
        published = (
            dict(page) | {"withheld_below": settings.threshold}
            if not page_meta
            else published_page(page, result, settings.threshold)
        )
    return ReleaseControl(result, _without(result, set(page_meta)), published, warnings)


def run(ctx: RunContext) -> StageResult:
    settings = ctx.config.disclosure
    rows, metadata, statistics = read_inputs(ctx)
    page = page_figures(ctx.has_input, ctx.read_json)
    with ctx.progress.task("disclosure control: secondary suppression rounds") as task:
        control = control_release(
            rows, metadata, statistics, page, settings, lambda _round, _n: task.advance()
        )
    for warning in control.warnings:
        ctx.warn(warning)
    result = control.result
    if not result.audit.passed:
        ctx.write_json("disclosure_audit.json", result.audit.to_json())
        raise DisclosureError(
            result.audit.summary(),
            hint="see disclosure_audit.json in the partial disclosure folder; nothing was "
            "published",
            path=ctx.stage_dir,
        )
    if control.page is not None:
        _write_page(ctx, control.page)
    write_outputs(ctx, control.tables)
    # the figures published outside the tables (the page's, those the notes quote) in the
    # tables' form: ``gbo audit disclosure`` checks them with the tables
    other = {t: m for t, m in result.audited_meta.items() if t not in control.tables.metadata}
    figures = result.audited[result.audited["table_id"].isin(other)]
    ctx.write_table(OTHER_FIGURES, pa.Table.from_pandas(figures, preserve_index=False))
    ctx.write_json(f"{OTHER_FIGURES}.json", other)
    ctx.progress.log(result.audit.summary())
    metrics = dict(result.metrics)
    if control.page is not None:
        metrics["quality_page_withheld"] = int(len(result.log) - len(control.tables.log))
    return StageResult(metrics=metrics)


def page_figures(
    has: Callable[[str, str], bool], read: Callable[[str, str], Any]
) -> dict[str, Any] | None:
    """The data quality page's figures, or the link stage's facts alone (None: neither),
    read through ``has(stage, file)`` and ``read(stage, file)`` of a run or a run folder."""
    if has("quality", PAGE_FIGURES):
        figures = read("quality", PAGE_FIGURES)
        return figures if isinstance(figures, dict) else None
    if has("link", LINKAGE_FACTS):
        facts = read("link", LINKAGE_FACTS)
        return {"linkage": facts} if isinstance(facts, dict) else None
    return None


def _without(result: DisclosureResult, page_tables: set[str]) -> DisclosureResult:
    """The result with the page's tables left out (what ``tables.parquet`` publishes)."""
    return replace(
        result,
        tables=result.tables[~result.tables["table_id"].isin(page_tables)].reset_index(drop=True),
        metadata={k: v for k, v in result.metadata.items() if k not in page_tables},
        log=result.log[~result.log["table_id"].isin(page_tables)].reset_index(drop=True),
    )


def _write_page(ctx: RunContext, published: dict[str, Any]) -> None:
    """The published data quality page and the controlled linkage facts."""
    if isinstance(published.get("linkage"), dict):
        # the report lists the same facts: it takes them from here
        ctx.write_json(LINKAGE_FACTS, published["linkage"])
    if ctx.has_input("quality", PAGE_FIGURES):
        ctx.write_text(PUBLISHED_QUALITY_PAGE, render_quality_page(**published))
        # the report's completeness table shows the same figures: it takes them from here
        ctx.write_json(PUBLISHED_COMPLETENESS, list(published.get("completeness") or []))
