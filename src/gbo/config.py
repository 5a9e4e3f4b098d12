"""The run configuration: one TOML file, validated by pydantic, all problems reported at once.

Relative paths in the file are taken relative to the file's own folder: every setting typed
``Path`` is one (see :mod:`gbo.config_paths`).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import to_jsonable_python

from gbo.config_paths import resolve_config_paths
from gbo.disclosure.settings import DisclosureSettings
from gbo.errors import ConfigError
from gbo.groups.settings import GroupsSettings
from gbo.ingest.settings import IngestSettings, SourceSettings
from gbo.lessons.settings import LessonsSettings
from gbo.link.settings import LinkSettings
from gbo.profile.settings import ProfileSettings
from gbo.publish.settings import PublishSettings
from gbo.settings_base import Settings
from gbo.vault.settings import VaultSettings


class RunSettings(Settings):
    """Naming and placing runs."""

    name: str = Field("gbo", description="A short name for runs made from this configuration.")
    runs_dir: Path = Field(Path("runs"), description="Folder that holds run folders.")
    title: str = Field(
        "Group-based child sexual exploitation: characteristics of offending",
        description="Title of the publication.",
    )
    is_synthetic: bool = Field(
        False, description="True when the inputs are gbo's synthetic data (shown on every output)."
    )


class RunConfig(Settings):
    """A whole run: the inputs and the settings of every stage."""

    run: RunSettings = Field(default_factory=RunSettings)
    sources: list[SourceSettings] = Field(default_factory=list, description="Agency exports.")
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    vault: VaultSettings = Field(default_factory=VaultSettings)
    link: LinkSettings = Field(default_factory=LinkSettings)
    groups: GroupsSettings = Field(default_factory=GroupsSettings)
    profile: ProfileSettings = Field(default_factory=ProfileSettings)
    lessons: LessonsSettings = Field(default_factory=LessonsSettings)
    disclosure: DisclosureSettings = Field(default_factory=DisclosureSettings)
    publish: PublishSettings = Field(default_factory=PublishSettings)

    def section_hash(self, section: str) -> str:
        """A stable hash of one section (or ``sources``, or one ``section.setting``)."""
        value: Any = self
        for part in section.split("."):
            value = getattr(value, part)
        if isinstance(value, list):
            data: Any = [v.model_dump(mode="json") for v in value]
        elif isinstance(value, BaseModel):
            data = value.model_dump(mode="json")
        else:
            data = to_jsonable_python(value)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def config_hash(self) -> str:
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def format_validation_error(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def load_config(path: Path | str) -> RunConfig:
    """Read and validate a run configuration file (TOML); all problems reported at once."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("configuration file not found", path=path) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from exc
    return config_from_dict(raw, base=path.resolve().parent, source=path)


def config_from_dict(raw: dict[str, Any], base: Path, source: Path | None = None) -> RunConfig:
    try:
        return RunConfig.model_validate(resolve_config_paths(raw, RunConfig, base))
    except ValidationError as exc:
        raise ConfigError(
            "invalid configuration:\n" + format_validation_error(exc),
            hint="see docs/configuration.md for every setting",
            path=source,
        ) from exc
