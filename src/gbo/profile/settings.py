"""Settings of the profile stage."""

from __future__ import annotations

from gbo.settings_base import Settings


class ProfileSettings(Settings):
    """Settings of the profile stage."""
