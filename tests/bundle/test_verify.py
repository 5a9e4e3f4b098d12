"""Checking an archive against the bundle format, on bundles the publish stage's writer builds."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from gbo.bundle import (
    BUNDLE_JSON,
    BUNDLE_NAME,
    REVIEW_RECORD_FORMAT,
    REVIEW_RECORD_JSON,
    BundleError,
    BundleFile,
    BundleManifest,
    extract_bundle,
    verify_bundle,
)
from gbo.publish.bundle import build_bundle
from gbo.review.bundle.final import write_final_bundle

FILES = {
    "report/index.html": b"<section id='scale'><table data-table-id='t'></table></section>",
    "csv/offenders_sex.csv": b"category,count\nMale,118\nFemale,9\nNot recorded,6\n",
    "tables.json": b'{"offenders_sex": {"title": "Offenders by sex"}}\n',
}


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "publish"
    for name, data in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    build_bundle(
        folder,
        sorted(FILES),
        run_id="run-1",
        code_version="0.1.0",
        created="2026-01-01T00:00:00+00:00",
        title="Synthetic statistics",
        is_synthetic=True,
    )
    return folder / BUNDLE_NAME


def _rewrite(source: Path, change: dict[str, bytes | None], **extra: zipfile.ZipInfo) -> Path:
    """A copy of the bundle with members replaced (bytes), dropped (None) or added."""
    target = source.with_name("changed.zip")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = change.get(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)
        for name, data in change.items():
            if name not in zin.namelist() and data is not None:
                zout.writestr(name, data)
        for info in extra.values():
            zout.writestr(info, b"x")
    return target


def _refused(path: Path) -> BundleError:
    with pytest.raises(BundleError) as info:
        verify_bundle(path)
    assert info.value.path == path
    return info.value


def test_a_built_bundle_verifies_and_extracts(bundle: Path, tmp_path: Path) -> None:
    manifest = verify_bundle(bundle)
    assert manifest.paths == sorted(FILES) and manifest.run_id == "run-1"
    with zipfile.ZipFile(bundle) as zf:
        assert zf.read(BUNDLE_JSON).decode() == manifest.dumps()
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
    assert extract_bundle(bundle, tmp_path / "out") == manifest
    for name, data in FILES.items():
        assert (tmp_path / "out" / name).read_bytes() == data


def test_a_changed_file_of_the_same_size_is_refused(bundle: Path) -> None:
    changed = FILES["csv/offenders_sex.csv"].replace(b"118", b"119")
    error = _refused(_rewrite(bundle, {"csv/offenders_sex.csv": changed}))
    assert "csv/offenders_sex.csv does not match its size or SHA-256" in error.message


def test_unlisted_missing_and_relisted_files_are_refused(bundle: Path) -> None:
    assert "not listed" in _refused(_rewrite(bundle, {"csv/extra.csv": b"a\n"})).message
    assert "missing: tables.json" in _refused(_rewrite(bundle, {"tables.json": None})).message
    manifest = json.loads(zipfile.ZipFile(bundle).read(BUNDLE_JSON))
    manifest["files"].append(manifest["files"][0])
    relisted = _rewrite(bundle, {BUNDLE_JSON: json.dumps(manifest).encode()})
    assert "lists a file twice" in _refused(relisted).message


def test_a_forged_content_hash_is_refused(bundle: Path) -> None:
    manifest = json.loads(zipfile.ZipFile(bundle).read(BUNDLE_JSON)) | {"content_hash": "0" * 64}
    forged = _rewrite(bundle, {BUNDLE_JSON: json.dumps(manifest).encode()})
    assert "content hash" in _refused(forged).message


def test_member_headers_gbo_never_writes_are_refused(bundle: Path) -> None:
    link = zipfile.ZipInfo("report/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert "symbolic link" in _refused(_rewrite(bundle, {}, link=link)).message
    unsafe = zipfile.ZipInfo("../escape.txt")
    assert "path traversal" in _refused(_rewrite(bundle, {}, unsafe=unsafe)).message
    bzip = zipfile.ZipInfo("csv/b.csv")
    bzip.compress_type = zipfile.ZIP_BZIP2
    assert "compression method" in _refused(_rewrite(bundle, {}, bzip=bzip)).message


def test_not_a_bundle_is_refused_with_its_file_named(bundle: Path, tmp_path: Path) -> None:
    assert "no such file" in _refused(tmp_path / "absent.zip").message
    text = tmp_path / "text.zip"
    text.write_text("not a zip", encoding="utf-8")
    assert "not a zip archive" in _refused(text).message
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "no bundle.json" in _refused(plain).message
    truncated = tmp_path / "truncated.zip"
    data = bundle.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    assert "zip archive" in _refused(truncated).message


def test_a_damaged_member_is_refused_not_raised(bundle: Path, tmp_path: Path) -> None:
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("csv/offenders_sex.csv")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 8] = b"\xff" * 8
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    message = _refused(damaged).message
    assert "damaged" in message or "does not match its size or SHA-256" in message


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/passwd", "a/../../b", "c:\\x", "bundle.json"]
)
def test_a_manifest_listing_an_unsafe_path_is_refused(tmp_path: Path, name: str) -> None:
    data = b"hello"
    entry: dict[str, Any] = {
        "path": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
    manifest = BundleManifest.describe(
        [BundleFile(path="innocent.txt", sha256=entry["sha256"], bytes=len(data))],
        run_id="r",
        code_version="v",
        created="c",
        title="t",
        is_synthetic=True,
    ).to_json() | {"files": [entry]}
    bundle = tmp_path / "unsafe.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr(BUNDLE_JSON, json.dumps(manifest))
        zf.writestr("innocent.txt", data)
    message = _refused(bundle).message
    assert message.startswith("bundle.json lists ")
    assert ("itself" in message) == (name == BUNDLE_JSON)


def _released(bundle: Path, content_hash: str) -> Path:
    """The bundle as the review app releases it: unchanged, plus its review record."""
    record = {"format": REVIEW_RECORD_FORMAT, "content_hash": content_hash, "decisions": []}
    with bundle.open("rb") as approved:
        final = write_final_bundle(approved, record)
    target = bundle.with_name("released.zip")
    target.write_bytes(final)
    return target


def test_a_released_bundle_verifies_with_its_review_record(bundle: Path, tmp_path: Path) -> None:
    manifest = verify_bundle(bundle)
    released = _released(bundle, manifest.content_hash)
    assert verify_bundle(released) == manifest
    extract_bundle(released, tmp_path / "out")
    record = json.loads((tmp_path / "out" / REVIEW_RECORD_JSON).read_bytes())
    assert record["content_hash"] == manifest.content_hash


def test_a_review_record_for_other_files_is_refused(bundle: Path) -> None:
    error = _refused(_released(bundle, "0" * 64))
    assert f"{REVIEW_RECORD_JSON} names a different content hash" in error.message
    not_a_record = _rewrite(bundle, {REVIEW_RECORD_JSON: b'{"format": "something else"}'})
    assert "is not a gbo review record" in _refused(not_a_record).message
