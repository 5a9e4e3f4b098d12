"""Auditing the disclosure control of a finished run folder (``gbo audit disclosure``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from gbo.disclosure.audit import AuditReport, audit_published_tables, check_statistics
from gbo.disclosure.control import normalise_rows
from gbo.disclosure.stage import INPUT_STAGES, table_metadata
from gbo.errors import RunFolderError
from gbo.runfolder import stage_folder_name


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise RunFolderError(
            f"{path.name} is missing", hint="run the pipeline up to disclosure", path=path
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise RunFolderError(
            f"{path.name} is missing", hint="run the pipeline up to disclosure", path=path
        )
    frame: pd.DataFrame = pq.read_table(path).to_pandas()
    return frame


def audit_run(
    run_dir: Path, *, protection: int | None = None, integer: bool = True, exact: bool = True
) -> AuditReport:
    """Audit ``08_disclosure`` of a run against the tables it was made from."""
    if not run_dir.is_dir():
        raise RunFolderError("no such run folder", path=run_dir)
    published_dir = run_dir / stage_folder_name("disclosure")
    raw_meta = _read_json(published_dir / "tables.json")
    settings = raw_meta.get("disclosure") if isinstance(raw_meta, dict) else None
    if not isinstance(settings, dict):
        raise RunFolderError(
            "tables.json has no disclosure settings block",
            hint="rerun the disclosure stage",
            path=published_dir / "tables.json",
        )
    published = _read_table(published_dir / "tables.parquet")
    frames: list[pd.DataFrame] = []
    metadata: dict[str, dict[str, Any]] = {}
    for stage in INPUT_STAGES:
        folder = run_dir / stage_folder_name(stage)
        if stage == "lessons" and not (folder / "tables.parquet").is_file():
            continue
        frames.append(_read_table(folder / "tables.parquet"))
        if (folder / "tables.json").is_file():
            metadata.update(table_metadata(_read_json(folder / "tables.json"), str(folder)))
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
    statistics_path = published_dir / "statistics.parquet"
    if statistics_path.is_file():
        minimum = int(settings.get("statistic_threshold") or settings["threshold"])
        check_statistics(_read_table(statistics_path), metadata, minimum, report)
    return report
