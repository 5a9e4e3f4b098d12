"""Settings of the link stage."""

from __future__ import annotations

from gbo.settings_base import Settings


class LinkSettings(Settings):
    """Settings of the link stage."""
