"""Settings of the publish stage."""

from __future__ import annotations

from gbo.settings_base import Settings


class PublishSettings(Settings):
    """Settings of the publish stage."""
