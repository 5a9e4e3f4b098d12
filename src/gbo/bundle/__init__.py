"""The release bundle's format, written once: its names and content hash (``format``), the
model of ``bundle.json`` (``bundle_json``) and the checks of an archive against it
(``verify``).

The publish stage builds bundles with it (:mod:`gbo.publish.bundle`); the review app checks
uploads with it and adds only its upload limits and its own error type
(:mod:`gbo.review.bundle`). Anyone can check a bundle with :func:`verify_bundle`.
"""

from gbo.bundle.bundle_json import BundleFile, BundleManifest, parse_manifest
from gbo.bundle.format import (
    BUNDLE_FORMAT,
    BUNDLE_FORMAT_VERSION,
    BUNDLE_JSON,
    BUNDLE_NAME,
    RELEASE_JSON,
    REPORT_PATH,
    REVIEW_RECORD_FORMAT,
    REVIEW_RECORD_FORMAT_VERSION,
    REVIEW_RECORD_JSON,
    BundleError,
    compute_content_hash,
    unsafe_member_name,
)
from gbo.bundle.verify import extract_bundle, verify_bundle

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_FORMAT_VERSION",
    "BUNDLE_JSON",
    "BUNDLE_NAME",
    "RELEASE_JSON",
    "REPORT_PATH",
    "REVIEW_RECORD_FORMAT",
    "REVIEW_RECORD_FORMAT_VERSION",
    "REVIEW_RECORD_JSON",
    "BundleError",
    "BundleFile",
    "BundleManifest",
    "compute_content_hash",
    "extract_bundle",
    "parse_manifest",
    "unsafe_member_name",
    "verify_bundle",
]
