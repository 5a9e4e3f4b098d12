"""Settings of the lessons stage."""

from __future__ import annotations

from gbo.settings_base import Settings


class LessonsSettings(Settings):
    """Settings of the lessons stage."""
