"""Settings of the disclosure stage."""

from __future__ import annotations

from gbo.settings_base import Settings


class DisclosureSettings(Settings):
    """Settings of the disclosure stage."""
