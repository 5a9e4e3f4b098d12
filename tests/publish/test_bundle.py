"""The publish stage's release bundle: it verifies, matches release.json, and any changed byte
is refused. (The format's checks on crafted archives are tested in tests/bundle.)"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.bundle import BUNDLE_JSON, BundleError, extract_bundle, verify_bundle


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """Copy a zip, replacing (bytes) or dropping (None) members and adding new ones."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            if info.filename in change:
                data = change[info.filename]
                if data is not None:
                    zout.writestr(info.filename, data)
            else:
                zout.writestr(info, zin.read(info.filename))
        for name, data in change.items():
            if name not in zin.namelist() and data is not None:
                zout.writestr(name, data)


def test_bundle_verifies_and_matches_release_json(publish_dir: Path) -> None:
    bundle = publish_dir / "release-bundle.zip"
    info = verify_bundle(bundle)
    release = json.loads((publish_dir / "release.json").read_text(encoding="utf-8"))
    assert info.content_hash == release["content_hash"]
    assert release["bundle"]["sha256"] == hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert info.run_id == "run-fixture" and info.is_synthetic
    assert "report/index.html" in info.paths and "tables.xlsx" in info.paths
    assert "csv/offenders_sex.csv" in info.paths and "manifest.json" in info.paths
    # every file of the publication is in the bundle with its own hash
    for f in info.files:
        data = (publish_dir / f.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f.sha256 and len(data) == f.bytes
    lines = [f"{f.sha256}  {f.path}" for f in sorted(info.files, key=lambda f: f.path)]
    expected = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    assert info.content_hash == expected


def test_same_size_tampering_is_refused(publish_dir: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(publish_dir / "release-bundle.zip") as zf:
        original = zf.read("csv/offenders_sex.csv")
    changed = original.replace(b"181", b"182")
    assert changed != original and len(changed) == len(original)
    tampered = tmp_path / "tampered.zip"
    _rewrite(publish_dir / "release-bundle.zip", tampered, {"csv/offenders_sex.csv": changed})
    with pytest.raises(BundleError, match="does not match its size or SHA-256"):
        verify_bundle(tampered)


def test_extract_bundle_unpacks_verified_files(publish_dir: Path, tmp_path: Path) -> None:
    info = extract_bundle(publish_dir / "release-bundle.zip", tmp_path / "out")
    assert (tmp_path / "out" / "report" / "index.html").is_file()
    assert (tmp_path / "out" / BUNDLE_JSON).is_file()
    assert len(info.files) == len(list(p for p in (tmp_path / "out").rglob("*") if p.is_file())) - 1


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_any_changed_byte_is_refused(
    publish_dir: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    bundle = publish_dir / "release-bundle.zip"
    with zipfile.ZipFile(bundle) as zf:
        names = sorted(n for n in zf.namelist() if n != BUNDLE_JSON)
        name = data.draw(st.sampled_from(names))
        original = zf.read(name)
    if not original:
        return
    position = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
    flip = data.draw(st.integers(min_value=1, max_value=255))
    changed = bytearray(original)
    changed[position] ^= flip
    tampered = tmp_path_factory.mktemp("tamper") / "bundle.zip"
    _rewrite(bundle, tampered, {name: bytes(changed)})
    with pytest.raises(BundleError, match="does not match its size or SHA-256"):
        verify_bundle(tampered)
