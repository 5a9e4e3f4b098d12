"""Settings of the vault stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from gbo.settings_base import Settings


class VaultSettings(Settings):
    """Where the vault key comes from. The key itself is never part of the configuration."""

    key_file: Path | None = Field(
        None,
        description="Key file outside the run folder; GBO_VAULT_KEY takes precedence if set.",
    )
