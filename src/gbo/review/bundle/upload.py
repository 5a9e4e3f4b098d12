"""The one entry point for an uploaded bundle: every check, then the identifier scan."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO

from gbo.bundle.bundle_json import BundleManifest
from gbo.bundle.format import REPORT_PATH
from gbo.bundle.verify import ZIP_DAMAGED, ZIP_UNSUPPORTED
from gbo.review.bundle.archive import CHUNK, MB, check_archive, read_member, refuse
from gbo.review.bundle.identifier_scan import refuse_identifiers, scan_bundle
from gbo.review.settings import ReviewSettings


@dataclass(frozen=True)
class CheckedBundle:
    """A bundle whose every check passed: its manifest, its report's HTML, the zip's digest."""

    manifest: BundleManifest
    report_html: str
    sha256: str


def sha256_of(source: IO[bytes]) -> str:
    source.seek(0)
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


def check_bundle(source: IO[bytes], size: int, limits: ReviewSettings) -> CheckedBundle:
    """Run every check on an uploaded bundle; raise :class:`ReviewError` at the first failure.

    The size is checked before the archive is opened, the archive's directory before any
    member is read, and each member's actual size while it is read, so nothing large is ever
    unpacked. Finally the text files and spreadsheets are scanned for identifiers.
    """
    if size > limits.max_upload_mb * MB:
        raise refuse(
            f"it is {size / MB:.1f} MB, larger than the limit of {limits.max_upload_mb} MB",
            hint="ask an administrator to raise max_upload_mb if the bundle is genuine",
        )
    digest = sha256_of(source)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse("it is not a zip archive") from None
    with zf:
        try:
            manifest, by_name = check_archive(zf, limits)
            report = read_member(zf, by_name[REPORT_PATH], limits.max_unpacked_mb * MB)
            findings = scan_bundle(zf, [f.path for f in manifest.files])
        except ZIP_DAMAGED:
            raise refuse("the zip archive is damaged") from None
        except ZIP_UNSUPPORTED:
            raise refuse("it uses a zip feature gbo never writes") from None
    if findings:
        raise refuse_identifiers(findings)
    try:
        report_html = report.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse(f"{REPORT_PATH} is not UTF-8 text") from None
    return CheckedBundle(manifest=manifest, report_html=report_html, sha256=digest)
