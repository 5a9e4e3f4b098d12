"""Checks on an uploaded release bundle, made before anything in it is trusted or unpacked.

Refused, each with a message that says what is wrong and what to do: a file too large, not a
zip, too many members, unsafe member names (absolute, ``..``, backslashes, links), encrypted or
oddly compressed members, a zip bomb (declared or actual unpacked size, or compression ratio
over the limits), a missing or wrong ``bundle.json``, files missing from or not listed in the
manifest, a digest, size or content hash that does not match. Nothing is written to disk here.
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile

from pydantic import ValidationError

from gbo.errors import ReviewError
from gbo.review.bundle.manifest import (
    MANIFEST_NAME,
    REPORT_PATH,
    BundleManifest,
    compute_content_hash,
)
from gbo.review.settings import ReviewSettings
from gbo.stages import stage_folder_name

MB = 1024 * 1024
MAX_MANIFEST_BYTES = 4 * MB
RATIO_CHECK_ABOVE_BYTES = MB
CHUNK = 64 * 1024
ALLOWED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
HINT = f"upload the release-bundle.zip that gbo writes in {stage_folder_name('publish')}, unchanged"


def refuse(message: str, hint: str = HINT) -> ReviewError:
    return ReviewError(f"This file is not an acceptable release bundle: {message}.", hint=hint)


def check_member_name(name: str) -> str | None:
    """Why a member name is unsafe, or None. Names are relative POSIX paths inside the bundle."""
    if not name or len(name) > 255:
        return "a file name that is empty or longer than 255 characters"
    if any(ord(c) < 32 or c in "\\:" for c in name):
        return "a file name with a backslash, colon or control character"
    if name.startswith("/"):
        return "an absolute file path (path traversal)"
    parts = name.rstrip("/").split("/") if name.endswith("/") else name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "a file path with an empty, '.' or '..' part (path traversal)"
    return None


def _is_directory(info: zipfile.ZipInfo) -> bool:
    return info.filename.endswith("/") and info.file_size == 0


def _check_members(infos: list[zipfile.ZipInfo], limits: ReviewSettings) -> None:
    if len(infos) > limits.max_files:
        raise refuse(f"it holds {len(infos)} files, more than the limit of {limits.max_files}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        problem = check_member_name(info.filename)
        if problem:
            raise refuse(f"it contains {problem}", hint="the archive was not made by gbo")
        if info.filename in seen:
            raise refuse("it contains the same file name twice", hint="the archive was altered")
        seen.add(info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise refuse("it contains a symbolic link", hint="the archive was not made by gbo")
        if info.flag_bits & 0x1:
            raise refuse("it contains an encrypted file", hint="bundles are never encrypted")
        if info.compress_type not in ALLOWED_COMPRESSION:
            raise refuse("it uses a compression method gbo never writes")
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


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """A member's bytes, stopping as soon as more come out than the header or cap allow."""
    limit = min(info.file_size, cap)
    chunks: list[bytes] = []
    n = 0
    with zf.open(info) as member:
        while chunk := member.read(CHUNK):
            n += len(chunk)
            if n > limit:
                raise refuse(
                    f"{info.filename} unpacks to more than its stated size (zip bomb)",
                    hint="the archive was altered",
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _digest_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest = hashlib.sha256()
    n = 0
    with zf.open(info) as member:
        while chunk := member.read(CHUNK):
            n += len(chunk)
            if n > info.file_size:
                raise refuse(
                    f"{info.filename} unpacks to more than its stated size (zip bomb)",
                    hint="the archive was altered",
                )
            digest.update(chunk)
    return digest.hexdigest(), n


def read_manifest(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> BundleManifest:
    info = infos.get(MANIFEST_NAME)
    if info is None:
        raise refuse(f"it has no {MANIFEST_NAME} at its top level")
    raw = read_member(zf, info, MAX_MANIFEST_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise refuse(f"{MANIFEST_NAME} is not valid JSON") from None
    try:
        return BundleManifest.model_validate(data)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "(top)" for e in exc.errors()})
        raise refuse(
            f"{MANIFEST_NAME} is wrong or incomplete in: {', '.join(fields)[:300]}",
            hint="it must be a gbo-release-bundle manifest, format version 1",
        ) from None


def _check_manifest_files(
    zf: zipfile.ZipFile, manifest: BundleManifest, infos: dict[str, zipfile.ZipInfo]
) -> None:
    listed = [f.path for f in manifest.files]
    if len(set(listed)) != len(listed):
        raise refuse(f"{MANIFEST_NAME} lists a file twice")
    for path in listed:
        problem = check_member_name(path)
        if problem or path == MANIFEST_NAME:
            raise refuse(f"{MANIFEST_NAME} lists {problem or 'itself'}")
    members = {name for name, info in infos.items() if not _is_directory(info)}
    members.discard(MANIFEST_NAME)
    missing = sorted(set(listed) - members)
    extra = sorted(members - set(listed))
    if missing:
        raise refuse(f"{len(missing)} file(s) listed in {MANIFEST_NAME} are missing: {missing[0]}")
    if extra:
        raise refuse(f"{len(extra)} file(s) are not listed in {MANIFEST_NAME}: {extra[0]}")
    for entry in manifest.files:
        sha, n = _digest_member(zf, infos[entry.path])
        if n != entry.bytes or sha != entry.sha256:
            raise refuse(
                f"{entry.path} does not match its size or SHA-256 in {MANIFEST_NAME}",
                hint="the file was changed after the bundle was made",
            )
    content_hash = compute_content_hash((f.path, f.sha256) for f in manifest.files)
    if content_hash != manifest.content_hash:
        raise refuse(
            f"the content hash in {MANIFEST_NAME} does not match its files",
            hint="the manifest was changed after the bundle was made",
        )
    if REPORT_PATH not in members:
        raise refuse(f"it has no {REPORT_PATH}", hint="the review app reads the report from it")


def check_archive(
    zf: zipfile.ZipFile, limits: ReviewSettings
) -> tuple[BundleManifest, dict[str, zipfile.ZipInfo]]:
    """Check the members, the manifest and every file's digest; raise at the first failure."""
    infos = zf.infolist()
    _check_members(infos, limits)
    by_name = {info.filename: info for info in infos}
    manifest = read_manifest(zf, by_name)
    _check_manifest_files(zf, manifest, by_name)
    return manifest, by_name
