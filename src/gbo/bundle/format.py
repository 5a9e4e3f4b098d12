"""The release bundle's names, version, content hash and member-name rule, and its error.

``release-bundle.zip`` holds ``bundle.json`` and the published files; a released bundle also
holds ``review-record.json``, which names the content hash it released. ``bundle.json`` lists
every file with its SHA-256 and size, and ``content_hash`` is the SHA-256 of the lines
``<sha256>  <path>`` of every file, sorted by path and joined with newlines (see
docs/run-folder.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Final

from gbo.errors import GboError

BUNDLE_FORMAT: Final = "gbo-release-bundle"
BUNDLE_FORMAT_VERSION: Final = 1
BUNDLE_JSON = "bundle.json"  # the bundle's manifest, at the top of the archive
BUNDLE_NAME = "release-bundle.zip"  # the archive, in the publish stage's folder
RELEASE_JSON = "release.json"  # beside the archive: bundle.json plus the archive's own hash
REPORT_PATH = "report/index.html"  # the report, inside the bundle (when HTML is written)
# Added by the review app when a version is released: beside bundle.json, not listed in it.
REVIEW_RECORD_JSON = "review-record.json"
REVIEW_RECORD_FORMAT: Final = "gbo-review-record"
REVIEW_RECORD_FORMAT_VERSION: Final = 1
SHA256_PATTERN = r"^[0-9a-f]{64}$"
MAX_NAME_LENGTH = 255
NOT_MADE_BY_GBO = "the archive was not made by gbo"
ALTERED = "the archive was altered"


class BundleError(GboError):
    """A release bundle is damaged, altered or not a gbo release bundle.

    Messages are phrases that say what is wrong (the review app puts them after its own
    opening words); the hint, when there is one, says what that means or what to do.
    """


def compute_content_hash(files: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of the lines ``<sha256>  <path>`` of ``(path, sha256)`` pairs, sorted by path
    and joined with newlines."""
    lines = [f"{sha}  {path}" for path, sha in sorted(files)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def unsafe_member_name(name: str) -> str | None:
    """Why a name cannot be a member of a bundle, or None if it can.

    Names are relative POSIX paths inside the bundle (a trailing ``/`` marks a directory):
    nothing empty or longer than 255 characters, no backslash, colon or control character, no
    leading ``/`` and no empty, ``.`` or ``..`` part, so no name can point outside the bundle.
    """
    if not name or len(name) > MAX_NAME_LENGTH:
        return f"a file name that is empty or longer than {MAX_NAME_LENGTH} characters"
    if any(ord(c) < 32 or c in "\\:" for c in name):
        return "a file name with a backslash, colon or control character"
    if name.startswith("/"):
        return "an absolute file path (path traversal)"
    parts = name.removesuffix("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "a file path with an empty, '.' or '..' part (path traversal)"
    return None
