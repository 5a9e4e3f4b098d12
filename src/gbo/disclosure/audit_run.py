"""Auditing the disclosure control of a finished run folder (``gbo audit disclosure``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from gbo.disclosure.audit import AuditReport, audit_published_tables, check_statistics
from gbo.disclosure.control import normalise_rows
from gbo.disclosure.stage import INPUT_STAGES, table_metadata
from gbo.errors import RunFolderError
from gbo.runfolder import RunFolder


def _frame(run: RunFolder, stage: str, table: str) -> pd.DataFrame:
    frame: pd.DataFrame = run.table(stage, table).to_pandas()
    return frame


def audit_run(
    run_dir: Path, *, protection: int | None = None, integer: bool = True, exact: bool = True
) -> AuditReport:
    """Audit ``08_disclosure`` of a run against the tables it was made from."""
    run = RunFolder(run_dir)
    published_dir = run.stage_dir("disclosure")
    raw_meta = run.read_json("disclosure", "tables.json")
    settings = raw_meta.get("disclosure") if isinstance(raw_meta, dict) else None
    if not isinstance(settings, dict):
        raise RunFolderError(
            "tables.json has no disclosure settings block",
            hint="rerun the disclosure stage",
            path=published_dir / "tables.json",
        )
    published = _frame(run, "disclosure", "tables")
    frames: list[pd.DataFrame] = []
    metadata: dict[str, dict[str, Any]] = {}
    for stage in INPUT_STAGES:
        if stage == "lessons" and not run.has_table(stage, "tables"):
            continue
        frames.append(_frame(run, stage, "tables"))
        if run.has_file(stage, "tables.json"):
            source = str(run.file(stage, "tables.json"))
            metadata.update(table_metadata(run.read_json(stage, "tables.json"), source))
    true_rows = normalise_rows(pd.concat(frames, ignore_index=True), "tables.parquet")
    report = audit_published_tables(
        true_rows,
        published,
        metadata,
        threshold=int(settings["threshold"]),
        protection=int(protection if protection is not None else settings["protection_interval"]),
        rounding_base=int(settings.get("rounding_base", 1)),
        integer=integer,
        exact=exact,
        published_meta=table_metadata(raw_meta, str(published_dir / "tables.json")),
        percent_decimals=int(settings.get("percent_decimals", 1)),
    )
    if run.has_table("disclosure", "statistics"):
        minimum = int(settings.get("statistic_threshold") or settings["threshold"])
        check_statistics(_frame(run, "disclosure", "statistics"), metadata, minimum, report)
    return report
