"""Settings of the ingest stage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field

from gbo.duckdb_spill import SIZE_PATTERN
from gbo.settings_base import Settings


class SourceSettings(Settings):
    """One agency export and the mapping file that translates it to the canonical model."""

    agency: str = Field(description="Short agency name, e.g. police, social_care, health.")
    path: Path = Field(description="The export file (CSV, XLSX, ODS, Parquet, JSON or NDJSON).")
    mapping: Path = Field(description="The mapping file (TOML or YAML) for this export.")


class IngestSettings(Settings):
    """How agency exports are read and validated."""

    max_future_days: int = Field(
        0, ge=0, description="Dates this many days after the run date are still accepted."
    )
    reference_date: date | None = Field(
        None,
        description="The date that 'in the future' is measured from (default: the day of the "
        "run). Set it to make a rerun on the same inputs give the same result on any day.",
    )
    earliest_year: int = Field(
        1900, ge=1800, description="Dates before this year are rejected as implausible."
    )
    threads: int | None = Field(
        None, ge=1, description="DuckDB worker threads (default: one per CPU core)."
    )
    duckdb_memory_limit: str = Field(
        "4GB",
        pattern=SIZE_PATTERN,
        description="Memory the translation's DuckDB database may hold (like '4GB' or "
        "'800MB'); above it the candidate tables spill to a private temporary folder.",
    )
