"""Building the release bundle: one zip archive of the publication with a content hash.

The format (names, ``bundle.json``, content hash, member-name rule) and its checks live in
:mod:`gbo.bundle`; this module only writes ``release-bundle.zip`` and ``release.json``.
Members are stored with a fixed timestamp, so the archive depends only on its files.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from pydantic import ValidationError

from gbo.bundle.bundle_json import BundleFile, BundleManifest, invalid_fields
from gbo.bundle.format import BUNDLE_JSON, BUNDLE_NAME, RELEASE_JSON, unsafe_member_name
from gbo.errors import PublishError

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_bundle(
    folder: Path,
    paths: list[str],
    *,
    run_id: str,
    code_version: str,
    created: str,
    title: str,
    is_synthetic: bool,
) -> BundleManifest:
    """Zip ``paths`` (relative to ``folder``) with ``bundle.json`` into ``release-bundle.zip``."""
    files = []
    for rel in sorted(set(paths)):
        problem = unsafe_member_name(rel)
        if problem:
            raise PublishError(f"{rel!r} cannot go into the release bundle: it is {problem}")
        data = (folder / rel).read_bytes()
        files.append(BundleFile(path=rel, sha256=_sha256(data), bytes=len(data)))
    try:
        manifest = BundleManifest.describe(
            files,
            run_id=run_id,
            code_version=code_version,
            created=created,
            title=title,
            is_synthetic=is_synthetic,
        )
    except ValidationError as exc:
        raise PublishError(
            f"the release bundle's {BUNDLE_JSON} would be wrong in: {invalid_fields(exc)}",
            hint="the run needs a title (run.title) and at least one published file",
        ) from None
    target = folder / BUNDLE_NAME
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(zipfile.ZipInfo(BUNDLE_JSON, ZIP_TIMESTAMP), manifest.dumps())
        for f in files:
            entry = zipfile.ZipInfo(f.path, ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, (folder / f.path).read_bytes())
    tmp.replace(target)
    return manifest


def write_release_json(folder: Path, manifest: BundleManifest) -> Path:
    """``release.json``: the bundle's description plus the archive's own hash and size."""
    archive = folder / BUNDLE_NAME
    data = manifest.to_json() | {
        "bundle": {
            "path": BUNDLE_NAME,
            "sha256": _sha256(archive.read_bytes()),
            "bytes": archive.stat().st_size,
        }
    }
    target = folder / RELEASE_JSON
    target.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target
