"""``bundle.json``, the manifest of a release bundle: one model for writing and reading it."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gbo.bundle.format import (
    BUNDLE_FORMAT,
    BUNDLE_FORMAT_VERSION,
    BUNDLE_JSON,
    MAX_NAME_LENGTH,
    SHA256_PATTERN,
    BundleError,
    compute_content_hash,
)


class BundleFile(BaseModel):
    """One file of the bundle, with its SHA-256 and size in bytes."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    path: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    sha256: str = Field(pattern=SHA256_PATTERN)
    bytes: int = Field(ge=0)


class BundleManifest(BaseModel):
    """What ``bundle.json`` holds. Fields gbo does not know are ignored when it is read."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    format: Literal["gbo-release-bundle"]
    format_version: Literal[1]
    run_id: str = Field(min_length=1)
    code_version: str = Field(min_length=1)
    created: str = Field(min_length=1)
    title: str = Field(min_length=1)
    is_synthetic: bool
    files: list[BundleFile] = Field(min_length=1)
    content_hash: str = Field(pattern=SHA256_PATTERN)

    @classmethod
    def describe(
        cls,
        files: list[BundleFile],
        *,
        run_id: str,
        code_version: str,
        created: str,
        title: str,
        is_synthetic: bool,
    ) -> BundleManifest:
        """The manifest of ``files`` in this version of the format, with their content hash."""
        return cls(
            format=BUNDLE_FORMAT,
            format_version=BUNDLE_FORMAT_VERSION,
            run_id=run_id,
            code_version=code_version,
            created=created,
            title=title,
            is_synthetic=is_synthetic,
            files=files,
            content_hash=compute_content_hash((f.path, f.sha256) for f in files),
        )

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

    def recomputed_hash(self) -> str:
        """The content hash of the files as listed (equal to ``content_hash`` if untouched)."""
        return compute_content_hash((f.path, f.sha256) for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def dumps(self) -> str:
        """``bundle.json`` as gbo writes it: sorted keys, two-space indent, final newline."""
        return json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n"


def invalid_fields(error: ValidationError) -> str:
    """The fields a validation error is about, e.g. ``files.0.sha256, title``."""
    fields = {".".join(str(p) for p in e["loc"]) or "(top)" for e in error.errors()}
    return ", ".join(sorted(fields))[:300]


def parse_manifest(raw: bytes) -> BundleManifest:
    """Read ``bundle.json``; raise :class:`BundleError` unless it is a manifest of this format."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(f"{BUNDLE_JSON} is not valid JSON") from None
    try:
        return BundleManifest.model_validate(data)
    except ValidationError as exc:
        raise BundleError(
            f"{BUNDLE_JSON} is wrong or incomplete in: {invalid_fields(exc)}",
            hint=f"it must be a {BUNDLE_FORMAT} manifest, format version {BUNDLE_FORMAT_VERSION}",
        ) from None
