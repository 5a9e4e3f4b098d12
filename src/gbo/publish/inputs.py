"""Everything the publication may draw on, read from the run folder.

Only the disclosure-controlled tables (``08_disclosure``) and a few named aggregate items
(data and linkage quality, the group rule and its sensitivity, lessons excerpts) are read.
Every item other than the disclosure tables is optional: when it is missing the report
says so rather than failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from gbo.codeversion import code_version
from gbo.disclosure.stage import LINKAGE_FACTS, PUBLISHED_COMPLETENESS, PUBLISHED_QUALITY_PAGE
from gbo.disclosure.symbols import CONFIDENTIAL, merge_symbols
from gbo.manifest import read_manifest
from gbo.publish.displayed_tables import (
    PublishedTable,
    build_tables,
    prepare_rows,
    prepare_statistics,
    split_tables_json,
)
from gbo.runfolder import RunContext
from gbo.stages import stage_folder_name

EXCERPT_COLUMNS = ("theme_id", "theme_label", "document_title", "page", "excerpt")


@dataclass
class Publication:
    """The inputs of one publication, already in their published form."""

    run_id: str
    code_version: str
    title: str
    is_synthetic: bool
    release_date: date
    tables: list[PublishedTable]
    symbols: dict[str, str]
    stages: dict[str, str] = field(default_factory=dict)
    completeness: pd.DataFrame | None = None
    quality_page: Path | None = None
    linkage_quality: dict[str, Any] | None = None
    group_rule: dict[str, Any] | None = None
    group_sensitivity: pd.DataFrame | None = None
    excerpts: pd.DataFrame | None = None
    disclosure_config: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Agencies with records accepted in this run (from 01_ingest/source_file), for text.
    agencies: list[str] = field(default_factory=list)

    def tables_in(self, *sections: str) -> list[PublishedTable]:
        return [t for t in self.tables if t.meta.section in sections]

    @property
    def period(self) -> str:
        periods = dict.fromkeys(t.meta.period for t in self.tables if t.meta.period)
        return "; ".join(periods)


def _optional_table(ctx: RunContext, stage: str, name: str) -> pd.DataFrame | None:
    if not ctx.has_input(stage, f"{name}.parquet"):
        return None
    frame: pd.DataFrame = ctx.read_table(stage, name).to_pandas()
    return frame


def _controlled_completeness(ctx: RunContext) -> pd.DataFrame | None:
    """Completeness by agency as the data quality page publishes it (withheld figures as
    [c]); never the quality stage's own table, whose small counts nobody controlled."""
    if not ctx.has_input("disclosure", PUBLISHED_COMPLETENESS):
        return None
    rows = ctx.read_json("disclosure", PUBLISHED_COMPLETENESS)
    if not isinstance(rows, list) or not rows:
        return None
    frame = pd.DataFrame(rows)
    keep = [
        c for c in ("agency", "table", "field", "n", "n_recorded", "share_recorded") if c in frame
    ]
    frame = frame[keep].astype(object)
    return frame.where(frame.notna(), CONFIDENTIAL)


def _optional_json(ctx: RunContext, stage: str, name: str) -> dict[str, Any] | None:
    if not ctx.has_input(stage, name):
        return None
    data = ctx.read_json(stage, name)
    return data if isinstance(data, dict) else {"value": data}


def _release_date(ctx: RunContext, manifest: dict[str, Any]) -> date:
    configured = ctx.config.publish.release_date
    if configured is not None:
        return configured
    stamp = manifest.get("created")
    if isinstance(stamp, str):
        try:
            return datetime.fromisoformat(stamp).date()
        except ValueError:
            pass
    return datetime.now(UTC).date()


def _excerpts(ctx: RunContext) -> pd.DataFrame | None:
    frame = _optional_table(ctx, "lessons", "excerpts")
    if frame is None:
        return None
    for name in ("theme_title", "theme"):
        if "theme_label" not in frame.columns and name in frame.columns:
            frame = frame.rename(columns={name: "theme_label"})
    if "document_title" not in frame.columns and "title" in frame.columns:
        frame = frame.rename(columns={"title": "document_title"})
    present = [c for c in EXCERPT_COLUMNS if c in frame.columns]
    if "excerpt" not in present:
        ctx.warn(
            f"{stage_folder_name('lessons')}/excerpts.parquet has no 'excerpt' column; "
            "excerpts left out"
        )
        return None
    return frame[present].reset_index(drop=True)


def load_publication(ctx: RunContext) -> Publication:
    """Read the disclosure-controlled tables and the optional aggregate items."""
    manifest = read_manifest(ctx.run_dir)
    metadata, symbols = split_tables_json(ctx.read_json("disclosure", "tables.json"))
    rows = prepare_rows(ctx.read_table("disclosure", "tables").to_pandas())
    raw_stats = _optional_table(ctx, "disclosure", "statistics")
    statistics = prepare_statistics(raw_stats if raw_stats is not None else pd.DataFrame())
    tables, warnings = build_tables(rows, statistics, metadata)
    config = manifest.get("config") or {}
    stages = {
        name: str(info.get("status", "")) for name, info in (manifest.get("stages") or {}).items()
    }
    has_page = ctx.has_input("disclosure", PUBLISHED_QUALITY_PAGE)
    quality_page = ctx.input_path("disclosure", PUBLISHED_QUALITY_PAGE) if has_page else None
    return Publication(
        run_id=str(manifest.get("run_id") or ctx.run_dir.name),
        code_version=str(manifest.get("code_version") or code_version()),
        title=ctx.config.run.title,
        is_synthetic=bool(manifest.get("is_synthetic", ctx.config.run.is_synthetic)),
        release_date=_release_date(ctx, manifest),
        tables=tables,
        symbols=merge_symbols(symbols),
        stages=stages,
        completeness=_controlled_completeness(ctx),
        quality_page=quality_page,
        # the disclosure stage's controlled copy (withheld counts as [c]), never the link
        # stage's own facts
        linkage_quality=_optional_json(ctx, "disclosure", LINKAGE_FACTS),
        group_rule=_optional_json(ctx, "groups", "group_rule.json"),
        group_sensitivity=_optional_table(ctx, "groups", "group_sensitivity"),
        excerpts=_excerpts(ctx),
        disclosure_config=dict(config.get("disclosure") or {}),
        warnings=warnings,
        agencies=_agencies(ctx),
    )


def _agencies(ctx: RunContext) -> list[str]:
    files = _optional_table(ctx, "ingest", "source_file")
    if files is None or "agency" not in files.columns:
        return []
    used = files[files["rows_accepted"].fillna(0) > 0] if "rows_accepted" in files else files
    return list(dict.fromkeys(str(a) for a in used["agency"]))
