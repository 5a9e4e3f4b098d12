"""Checking a release bundle against its format: member headers, ``bundle.json``, and every
listed file's size and SHA-256 and the content hash.

These checks are the format's own; the review app adds its upload limits on top
(:mod:`gbo.review.bundle.archive`). Members are read in chunks and never beyond the size their
header states, so nothing larger than declared is unpacked.
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from gbo.bundle.bundle_json import BundleManifest, parse_manifest
from gbo.bundle.format import (
    ALTERED,
    BUNDLE_JSON,
    NOT_MADE_BY_GBO,
    REVIEW_RECORD_FORMAT,
    REVIEW_RECORD_JSON,
    BundleError,
    unsafe_member_name,
)

MB = 1024 * 1024
CHUNK = 64 * 1024
MAX_MANIFEST_BYTES = 4 * MB
UNLISTED = {BUNDLE_JSON, REVIEW_RECORD_JSON}  # the members bundle.json does not list
ALLOWED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# What zipfile raises on a damaged archive, and on a zip feature gbo never writes.
ZIP_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error)
ZIP_UNSUPPORTED = (NotImplementedError, RuntimeError)
# Limits of verify_bundle on its own (the review app has its own, smaller ones).
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 2 * 1024**3


def is_directory(info: zipfile.ZipInfo) -> bool:
    return info.filename.endswith("/") and info.file_size == 0


def check_members(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The members by name, once every header passes: safe and unique names, no symbolic
    links, no encryption, no compression other than stored or deflated."""
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        problem = unsafe_member_name(info.filename)
        if problem:
            raise BundleError(f"the archive contains {problem}", hint=NOT_MADE_BY_GBO)
        if info.filename in by_name:
            raise BundleError("the archive contains the same file name twice", hint=ALTERED)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BundleError("the archive contains a symbolic link", hint=NOT_MADE_BY_GBO)
        if info.flag_bits & 0x1:
            raise BundleError(
                "the archive contains an encrypted file", hint="bundles are never encrypted"
            )
        if info.compress_type not in ALLOWED_COMPRESSION:
            raise BundleError("the archive uses a compression method gbo never writes")
        by_name[info.filename] = info
    return by_name


def iter_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> Iterator[bytes]:
    """A member's bytes in chunks, stopping as soon as more come out than its header (or
    ``cap``) allows."""
    limit = min(info.file_size, cap)
    n = 0
    with zf.open(info) as member:
        while chunk := member.read(CHUNK):
            n += len(chunk)
            if n > limit:
                raise BundleError(
                    f"{info.filename} unpacks to more than its stated size (zip bomb)",
                    hint=ALTERED,
                )
            yield chunk


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    return b"".join(iter_member(zf, info, cap))


def read_manifest(zf: zipfile.ZipFile, members: Mapping[str, zipfile.ZipInfo]) -> BundleManifest:
    info = members.get(BUNDLE_JSON)
    if info is None:
        raise BundleError(f"the archive has no {BUNDLE_JSON} at its top level")
    return parse_manifest(read_member(zf, info, MAX_MANIFEST_BYTES))


def check_listed_files(
    zf: zipfile.ZipFile, manifest: BundleManifest, members: Mapping[str, zipfile.ZipInfo]
) -> None:
    """The archive holds exactly the files ``bundle.json`` lists, each with its listed size
    and SHA-256, and the content hash recomputes from the list."""
    listed = manifest.paths
    if len(set(listed)) != len(listed):
        raise BundleError(f"{BUNDLE_JSON} lists a file twice")
    for path in listed:
        problem = unsafe_member_name(path)
        if path in UNLISTED:
            problem = "itself" if path == BUNDLE_JSON else f"{path}, which it never lists"
        if problem:
            raise BundleError(f"{BUNDLE_JSON} lists {problem}")
    files = {name for name, info in members.items() if not is_directory(info)} - UNLISTED
    missing = sorted(set(listed) - files)
    extra = sorted(files - set(listed))
    if missing:
        raise BundleError(
            f"{len(missing)} file(s) listed in {BUNDLE_JSON} are missing: {missing[0]}"
        )
    if extra:
        raise BundleError(f"{len(extra)} file(s) are not listed in {BUNDLE_JSON}: {extra[0]}")
    for entry in manifest.files:
        info = members[entry.path]
        digest = hashlib.sha256()
        n = 0
        for chunk in iter_member(zf, info, info.file_size):
            digest.update(chunk)
            n += len(chunk)
        if n != entry.bytes or digest.hexdigest() != entry.sha256:
            raise BundleError(
                f"{entry.path} does not match its size or SHA-256 in {BUNDLE_JSON}",
                hint="the file was changed after the bundle was made",
            )
    if manifest.recomputed_hash() != manifest.content_hash:
        raise BundleError(
            f"the content hash in {BUNDLE_JSON} does not match its files",
            hint="the manifest was changed after the bundle was made",
        )


def check_review_record(
    zf: zipfile.ZipFile, manifest: BundleManifest, members: Mapping[str, zipfile.ZipInfo]
) -> None:
    """A released bundle's ``review-record.json``, when there is one, is the review app's
    record and names this bundle's content hash."""
    info = members.get(REVIEW_RECORD_JSON)
    if info is None:
        return
    try:
        record = json.loads(read_member(zf, info, MAX_MANIFEST_BYTES))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(f"{REVIEW_RECORD_JSON} is not JSON", hint=ALTERED) from None
    if not isinstance(record, dict) or record.get("format") != REVIEW_RECORD_FORMAT:
        raise BundleError(f"{REVIEW_RECORD_JSON} is not a gbo review record", hint=ALTERED)
    if record.get("content_hash") != manifest.content_hash:
        raise BundleError(
            f"{REVIEW_RECORD_JSON} names a different content hash from {BUNDLE_JSON}",
            hint="the record was released for other files; the archive was altered",
        )


def _check(zf: zipfile.ZipFile) -> BundleManifest:
    infos = zf.infolist()
    if len(infos) > MAX_FILES:
        raise BundleError(f"the archive holds more than {MAX_FILES} files")
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise BundleError("the archive would unpack to more than gbo accepts")
    members = check_members(infos)
    manifest = read_manifest(zf, members)
    check_listed_files(zf, manifest, members)
    check_review_record(zf, manifest, members)
    return manifest


def verify_bundle(path: Path) -> BundleManifest:
    """The manifest of a release bundle, once every check of the format has passed.

    Raises :class:`BundleError`, naming the file, if it is not a zip archive or is damaged,
    a member's header breaks the format's rules, ``bundle.json`` is missing or wrong, a file
    is missing or not listed, any size or SHA-256 differs, the content hash does not match,
    or a released bundle's ``review-record.json`` names another content hash.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BundleError("there is no such file", path=path) from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BundleError("the file is not a zip archive", path=path) from None
    with zf:
        try:
            return _check(zf)
        except BundleError as exc:
            raise BundleError(exc.message, hint=exc.hint, path=path) from None
        except ZIP_DAMAGED:
            raise BundleError("the zip archive is damaged", path=path) from None
        except ZIP_UNSUPPORTED:
            raise BundleError(
                "the archive uses a zip feature gbo never writes", path=path
            ) from None


def extract_bundle(path: Path, destination: Path) -> BundleManifest:
    """Verify a bundle, then unpack ``bundle.json``, its files and any review record into
    ``destination``."""
    manifest = verify_bundle(path)
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    root = destination.resolve()
    with zipfile.ZipFile(path) as zf:
        record = [REVIEW_RECORD_JSON] if REVIEW_RECORD_JSON in zf.namelist() else []
        for name in [BUNDLE_JSON, *record, *manifest.paths]:
            target = (destination / name).resolve()
            if root not in target.parents:
                raise BundleError(f"{name} would be written outside the destination", path=path)
            target.parent.mkdir(parents=True, exist_ok=True)
            info = zf.getinfo(name)
            target.write_bytes(read_member(zf, info, info.file_size))
    return manifest
