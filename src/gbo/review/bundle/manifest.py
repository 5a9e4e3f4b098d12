"""``bundle.json``, the manifest of a release bundle (see docs/run-folder.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gbo.bundle_format import (
    BUNDLE_FORMAT,
    BUNDLE_FORMAT_VERSION,
    REPORT_PATH,
    SHA256_PATTERN,
    compute_content_hash,
)
from gbo.bundle_format import BUNDLE_JSON as MANIFEST_NAME

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_FORMAT_VERSION",
    "MANIFEST_NAME",
    "REPORT_PATH",
    "SHA256_PATTERN",
    "BundleFile",
    "BundleManifest",
    "compute_content_hash",
]


class BundleFile(BaseModel):
    """One file of the bundle, with its digest and size."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(min_length=1, max_length=255)
    sha256: str = Field(pattern=SHA256_PATTERN)
    bytes: int = Field(ge=0)


class BundleManifest(BaseModel):
    """The fields of ``bundle.json`` that the review app relies on (others are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    format: Literal["gbo-release-bundle"]
    format_version: Literal[1]
    run_id: str = Field(min_length=1, max_length=200)
    code_version: str = Field(min_length=1, max_length=200)
    created: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=300)
    is_synthetic: bool
    files: list[BundleFile] = Field(min_length=1)
    content_hash: str = Field(pattern=SHA256_PATTERN)
