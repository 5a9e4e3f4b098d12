"""Settings of the groups stage."""

from __future__ import annotations

from gbo.settings_base import Settings


class GroupsSettings(Settings):
    """Settings of the groups stage."""
