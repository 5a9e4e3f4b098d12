"""The review app's checks on an uploaded release bundle, made before anything in it is
trusted or unpacked.

The format's own checks are :mod:`gbo.bundle.verify` (member names and headers,
``bundle.json``, every listed file's size and SHA-256, the content hash); this module runs them
and adds the app's upload limits: how many members, zip bombs (declared unpacked size or
compression ratio over the limits), field lengths that fit the app's database, and the report
the app reads. Every refusal is a :class:`ReviewError` that says what is wrong and what to do.
Nothing is written to disk here.
"""

from __future__ import annotations

import zipfile

from gbo.bundle import verify
from gbo.bundle.bundle_json import BundleManifest
from gbo.bundle.format import BUNDLE_JSON, REPORT_PATH, BundleError
from gbo.errors import ReviewError
from gbo.review.settings import ReviewSettings
from gbo.stages import stage_folder_name

MB = verify.MB
CHUNK = verify.CHUNK
RATIO_CHECK_ABOVE_BYTES = MB
HINT = f"upload the release-bundle.zip that gbo writes in {stage_folder_name('publish')}, unchanged"
# The longest value of each field that the app's database stores (review/models/publications.py).
FIELD_LENGTHS = {"run_id": 200, "code_version": 200, "title": 300, "created": 64}


def refuse(message: str, hint: str = HINT) -> ReviewError:
    return ReviewError(f"This file is not an acceptable release bundle: {message}.", hint=hint)


def refused(error: BundleError) -> ReviewError:
    """A format check's failure, as the review app words it."""
    return refuse(error.message, error.hint or HINT)


def _check_limits(infos: list[zipfile.ZipInfo], limits: ReviewSettings) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_ABOVE_BYTES and ratio > limits.max_compression_ratio:
            raise refuse(
                f"a file expands {ratio:.0f} times when unpacked (zip bomb)",
                hint="the archive is refused before anything is unpacked",
            )
    if total > limits.max_unpacked_mb * MB:
        raise refuse(
            f"its files would unpack to {total / MB:.0f} MB, more than the limit of "
            f"{limits.max_unpacked_mb} MB (zip bomb)",
            hint="the archive is refused before anything is unpacked",
        )


def _check_field_lengths(manifest: BundleManifest) -> None:
    for field, longest in FIELD_LENGTHS.items():
        if len(getattr(manifest, field)) > longest:
            raise refuse(f"{BUNDLE_JSON} has a {field} longer than {longest} characters")


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """A member's bytes, stopping as soon as more come out than the header or cap allow."""
    try:
        return verify.read_member(zf, info, cap)
    except BundleError as exc:
        raise refused(exc) from None


def check_archive(
    zf: zipfile.ZipFile, limits: ReviewSettings
) -> tuple[BundleManifest, dict[str, zipfile.ZipInfo]]:
    """Check the members, the manifest and every file's digest; raise at the first failure.

    Every header is checked (the format's rules and the app's limits) before any member is
    read.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_files:
        raise refuse(f"it holds {len(infos)} files, more than the limit of {limits.max_files}")
    try:
        by_name = verify.check_members(infos)
        _check_limits(infos, limits)
        manifest = verify.read_manifest(zf, by_name)
        verify.check_listed_files(zf, manifest, by_name)
    except BundleError as exc:
        raise refused(exc) from None
    _check_field_lengths(manifest)
    if REPORT_PATH not in by_name or verify.is_directory(by_name[REPORT_PATH]):
        raise refuse(f"it has no {REPORT_PATH}", hint="the review app reads the report from it")
    return manifest, by_name
