"""Settings of the bulletin (a part of the publish stage)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from gbo.settings_base import Settings


class BulletinSettings(Settings):
    """The short bulletin, its drafted main points and the analyst's commentary."""

    enabled: bool = Field(True, description="Write report/bulletin.html beside the full report.")
    commentary_dir: Path | None = Field(
        None,
        description="Folder of the analyst's Markdown commentary: one <section id>.md per "
        "bulletin section and main-points.md to replace the drafted main points. Every number "
        "in it must be a published figure.",
    )
    plan_file: Path | None = Field(
        None,
        description="TOML plan of the bulletin's sections and drafted sentences; empty uses "
        "the plan shipped with gbo.",
    )
    max_main_points: int = Field(
        6, ge=1, le=10, description="At most this many drafted main points."
    )
