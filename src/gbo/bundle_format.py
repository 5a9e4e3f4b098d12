"""The release bundle's format: its names, version and content hash, written once.

``release-bundle.zip`` holds ``bundle.json`` and the published files. ``bundle.json`` lists
every file with its SHA-256 and size, and ``content_hash`` is the SHA-256 of the lines
``<sha256>  <path>`` of every file, sorted by path and joined with newlines (see
docs/run-folder.md). The publish stage writes bundles (:mod:`gbo.publish.bundle`) and the
review app checks uploaded ones (:mod:`gbo.review.bundle`); both take the format from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

BUNDLE_FORMAT = "gbo-release-bundle"
BUNDLE_FORMAT_VERSION = 1
BUNDLE_JSON = "bundle.json"  # the bundle's manifest, at the top of the archive
BUNDLE_NAME = "release-bundle.zip"  # the archive, in the publish stage's folder
RELEASE_JSON = "release.json"  # beside the archive: bundle.json plus the archive's own hash
REPORT_PATH = "report/index.html"  # the report, inside the bundle
SHA256_PATTERN = r"^[0-9a-f]{64}$"


def compute_content_hash(files: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of the lines ``<sha256>  <path>`` of ``(path, sha256)`` pairs, sorted by path
    and joined with newlines."""
    lines = [f"{sha}  {path}" for path, sha in sorted(files)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
