"""``bundle.json``, the manifest of a release bundle (see docs/run-folder.md)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BUNDLE_FORMAT = "gbo-release-bundle"
BUNDLE_FORMAT_VERSION = 1
MANIFEST_NAME = "bundle.json"
REPORT_PATH = "report/index.html"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


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


def compute_content_hash(files: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of the lines ``<sha256>  <path>``, sorted by path, joined with newlines."""
    lines = [f"{sha}  {path}" for path, sha in sorted(files)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
