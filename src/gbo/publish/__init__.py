"""The publish stage: report, spreadsheets, CSV files, charts and the release bundle.

The review app imports the bundle functions from here (or from :mod:`gbo.publish.bundle`).
"""

from gbo.publish.bundle import (
    BundleError,
    BundleFile,
    BundleInfo,
    build_bundle,
    content_hash,
    extract_bundle,
    verify_bundle,
)

__all__ = [
    "BundleError",
    "BundleFile",
    "BundleInfo",
    "build_bundle",
    "content_hash",
    "extract_bundle",
    "verify_bundle",
]
