"""The base class for every declared setting: unknown keys are errors, all reported at once."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    """A section of the run configuration. Every field has a default and a description."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
