"""The release bundle: one zip archive of the publication with a content hash.

``release-bundle.zip`` holds ``bundle.json`` and the published files. ``bundle.json`` lists
every file with its SHA-256 and size, and ``content_hash`` is the SHA-256 of the lines
``<sha256>  <path>`` of every file, sorted by path and joined with newlines (the format's
names, version and hash are declared in :mod:`gbo.bundle_format`). The review app imports
:func:`verify_bundle` to check an uploaded bundle before it stores it, and
:func:`extract_bundle` to unpack one it has verified.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gbo.bundle_format import (
    BUNDLE_FORMAT,
    BUNDLE_FORMAT_VERSION,
    BUNDLE_JSON,
    compute_content_hash,
)
from gbo.bundle_format import BUNDLE_NAME as BUNDLE_NAME
from gbo.bundle_format import RELEASE_JSON as RELEASE_JSON
from gbo.errors import PublishError

MAX_FILES = 20_000
MAX_TOTAL_BYTES = 2 * 1024**3
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


class BundleError(PublishError):
    """A release bundle is damaged, tampered with or not a gbo release bundle."""


@dataclass(frozen=True)
class BundleFile:
    path: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class BundleInfo:
    """What ``bundle.json`` says, once every file has been checked against it."""

    run_id: str
    code_version: str
    created: str
    title: str
    is_synthetic: bool
    files: tuple[BundleFile, ...]
    content_hash: str
    format_version: int = BUNDLE_FORMAT_VERSION

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": BUNDLE_FORMAT,
            "format_version": self.format_version,
            "run_id": self.run_id,
            "code_version": self.code_version,
            "created": self.created,
            "title": self.title,
            "is_synthetic": self.is_synthetic,
            "files": [{"path": f.path, "sha256": f.sha256, "bytes": f.bytes} for f in self.files],
            "content_hash": self.content_hash,
        }


def content_hash(files: list[BundleFile] | tuple[BundleFile, ...]) -> str:
    """The bundle's content hash (:func:`gbo.bundle_format.compute_content_hash`)."""
    return compute_content_hash((f.path, f.sha256) for f in files)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_member_path(name: str) -> str:
    """Refuse absolute paths, parent references, backslashes and empty parts."""
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
        or ":" in path.parts[0]
    ):
        raise BundleError(f"the bundle holds an unsafe file name {name!r}")
    return name


def build_bundle(
    folder: Path,
    paths: list[str],
    *,
    run_id: str,
    code_version: str,
    created: str,
    title: str,
    is_synthetic: bool,
) -> BundleInfo:
    """Zip ``paths`` (relative to ``folder``) with ``bundle.json`` into ``release-bundle.zip``."""
    files = []
    for rel in sorted(set(paths)):
        check_member_path(rel)
        data = (folder / rel).read_bytes()
        files.append(BundleFile(rel, _sha256(data), len(data)))
    info = BundleInfo(
        run_id=run_id,
        code_version=code_version,
        created=created,
        title=title,
        is_synthetic=is_synthetic,
        files=tuple(files),
        content_hash=content_hash(files),
    )
    target = folder / BUNDLE_NAME
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        manifest = json.dumps(info.to_json(), indent=2, sort_keys=True) + "\n"
        zf.writestr(zipfile.ZipInfo(BUNDLE_JSON, ZIP_TIMESTAMP), manifest)
        for f in files:
            entry = zipfile.ZipInfo(f.path, ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, (folder / f.path).read_bytes())
    tmp.replace(target)
    return info


def _parse_manifest(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError("bundle.json is not valid JSON") from exc
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise BundleError("this is not a gbo release bundle (bundle.json has the wrong format)")
    if data.get("format_version") != BUNDLE_FORMAT_VERSION:
        raise BundleError(
            f"bundle format version {data.get('format_version')!r} is not supported",
            hint=f"this version of gbo reads format version {BUNDLE_FORMAT_VERSION}",
        )
    expected: dict[str, type] = {"run_id": str, "code_version": str, "created": str}
    expected |= {"title": str, "is_synthetic": bool, "files": list, "content_hash": str}
    wrong = [k for k, kind in expected.items() if not isinstance(data.get(k), kind)]
    if wrong:
        raise BundleError(f"bundle.json is missing or has the wrong type for {', '.join(wrong)}")
    return data


def _listed_files(data: dict[str, Any]) -> list[BundleFile]:
    files = []
    for item in data["files"]:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("path"), str)
            and isinstance(item.get("sha256"), str)
            and isinstance(item.get("bytes"), int)
            and item["bytes"] >= 0
        ):
            raise BundleError("bundle.json has a file entry without a path, sha256 and size")
        files.append(BundleFile(check_member_path(item["path"]), item["sha256"], item["bytes"]))
    if len(files) > MAX_FILES:
        raise BundleError(f"the bundle lists more than {MAX_FILES} files")
    if len({f.path for f in files}) != len(files):
        raise BundleError("bundle.json lists the same file twice")
    if sum(f.bytes for f in files) > MAX_TOTAL_BYTES:
        raise BundleError("the bundle is larger than gbo accepts")
    return files


def verify_bundle(path: Path) -> BundleInfo:
    """Check every file of a bundle against ``bundle.json`` and the content hash.

    Raises :class:`BundleError` if the archive is unreadable, has a file that is not listed
    or a listed file that is missing, any size or hash differs, or the content hash does not
    match the files.
    """
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise BundleError("not a zip archive", path=path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: i for i in zf.infolist() if not i.is_dir()}
        if len(members) != len([i for i in zf.infolist() if not i.is_dir()]):
            raise BundleError("the archive holds the same name twice", path=path)
        if BUNDLE_JSON not in members:
            raise BundleError("the archive has no bundle.json", path=path)
        data = _parse_manifest(zf.read(BUNDLE_JSON))
        files = _listed_files(data)
        listed = {f.path for f in files}
        unlisted = sorted(set(members) - listed - {BUNDLE_JSON})
        if unlisted:
            raise BundleError(f"the archive holds files bundle.json does not list: {unlisted[:5]}")
        for f in files:
            info = members.get(f.path)
            if info is None:
                raise BundleError(f"{f.path} is listed in bundle.json but missing", path=path)
            if info.file_size != f.bytes:
                raise BundleError(f"{f.path} has a different size from bundle.json", path=path)
            digest = hashlib.sha256()
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
            if digest.hexdigest() != f.sha256:
                raise BundleError(f"{f.path} does not match its hash in bundle.json", path=path)
    if content_hash(files) != data["content_hash"]:
        raise BundleError("the content hash does not match the files", path=path)
    return BundleInfo(
        run_id=data["run_id"],
        code_version=data["code_version"],
        created=data["created"],
        title=data["title"],
        is_synthetic=data["is_synthetic"],
        files=tuple(files),
        content_hash=data["content_hash"],
        format_version=data["format_version"],
    )


def extract_bundle(path: Path, destination: Path) -> BundleInfo:
    """Verify a bundle, then unpack its files (and ``bundle.json``) into ``destination``."""
    info = verify_bundle(path)
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    root = destination.resolve()
    with zipfile.ZipFile(path) as zf:
        for name in [BUNDLE_JSON, *info.paths]:
            target = (destination / name).resolve()
            if root not in target.parents:
                raise BundleError(f"{name} would be written outside the destination")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(name))
    return info


def write_release_json(folder: Path, info: BundleInfo) -> Path:
    """``release.json``: the bundle's description plus the archive's own hash and size."""
    archive = folder / BUNDLE_NAME
    data = info.to_json() | {
        "bundle": {
            "path": BUNDLE_NAME,
            "sha256": _sha256(archive.read_bytes()),
            "bytes": archive.stat().st_size,
        }
    }
    target = folder / RELEASE_JSON
    target.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target
