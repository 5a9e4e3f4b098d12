"""Settings of the ingest stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

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
