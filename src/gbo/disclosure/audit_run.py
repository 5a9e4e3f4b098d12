"""Auditing the disclosure control of a finished run folder (``gbo audit disclosure``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from gbo.disclosure.audit import AuditReport, audit_published_tables, check_statistics
from gbo.disclosure.control import (
    normalise_statistics,
    with_quoted_figures,
    with_statistic_figures,
)
from gbo.disclosure.stage import (
    INPUT_STAGES,
    OTHER_FIGURES,
    page_figures,
    table_metadata,
    with_page,
)
from gbo.errors import RunFolderError
from gbo.runfolder import RunFolder


def _frame(run: RunFolder, stage: str, table: str) -> pd.DataFrame:
    frame: pd.DataFrame = run.table(stage, table).to_pandas()
    return frame


def audit_run(
    run_dir: Path, *, protection: int | None = None, integer: bool = True, exact: bool = True
) -> AuditReport:
    """Audit ``08_disclosure`` of a run against the figures it was made from: the tables of
    ``06_profile`` and ``07_lessons``, the data quality page's figures and the linkage facts,
    and the figures the notes quote, as one system (as the stage controlled them)."""
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
    if not run.has_table("disclosure", OTHER_FIGURES):
        raise RunFolderError(
            f"{OTHER_FIGURES}.parquet is missing: the run was made by an earlier gbo, whose "
            "disclosure stage did not write the figures it published outside the tables",
            hint="rerun the disclosure stage (gbo run reruns it and what follows)",
            path=published_dir,
        )
    frames: list[pd.DataFrame] = []
    metadata: dict[str, dict[str, Any]] = {}
    statistics: list[pd.DataFrame] = []
    for stage in INPUT_STAGES:
        if stage == "lessons" and not run.has_table(stage, "tables"):
            continue
        frames.append(_frame(run, stage, "tables"))
        if run.has_file(stage, "tables.json"):
            source = str(run.file(stage, "tables.json"))
            metadata.update(table_metadata(run.read_json(stage, "tables.json"), source))
        if run.has_file(stage, "statistics.parquet"):
            statistics.append(pd.read_parquet(run.file(stage, "statistics.parquet")))
    rows, metadata, _ = with_page(
        pd.concat(frames, ignore_index=True), metadata, page_figures(run.has_file, run.read_json)
    )
    true_rows, metadata = with_quoted_figures(rows, metadata)
    true_rows, metadata, _ = with_statistic_figures(
        true_rows,
        metadata,
        normalise_statistics(pd.concat(statistics, ignore_index=True) if statistics else None),
    )
    report = audit_published_tables(
        true_rows,
        pd.concat(
            [_frame(run, "disclosure", "tables"), _frame(run, "disclosure", OTHER_FIGURES)],
            ignore_index=True,
        ),
        metadata,
        threshold=int(settings["threshold"]),
        protection=int(protection if protection is not None else settings["protection_interval"]),
        rounding_base=int(settings.get("rounding_base", 1)),
        integer=integer,
        exact=exact,
        published_meta={
            **table_metadata(raw_meta, str(published_dir / "tables.json")),
            **table_metadata(
                run.read_json("disclosure", f"{OTHER_FIGURES}.json"),
                str(published_dir / f"{OTHER_FIGURES}.json"),
            ),
        },
        percent_decimals=int(settings.get("percent_decimals", 1)),
    )
    if run.has_table("disclosure", "statistics"):
        minimum = int(settings.get("statistic_threshold") or settings["threshold"])
        check_statistics(_frame(run, "disclosure", "statistics"), metadata, minimum, report)
    return report
