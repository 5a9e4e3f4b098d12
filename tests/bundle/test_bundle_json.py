"""``bundle.json``: what gbo writes reads back the same; anything else is refused by field."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.bundle.bundle_json import BundleFile, BundleManifest, parse_manifest
from gbo.bundle.format import BundleError, compute_content_hash

NAMES = st.from_regex(r"[a-z]{1,8}(/[a-z_]{1,8}){0,2}\.[a-z]{2,4}", fullmatch=True)


def _file(path: str, data: bytes) -> BundleFile:
    return BundleFile(path=path, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))


def _manifest(**fields: Any) -> BundleManifest:
    values: dict[str, Any] = {
        "run_id": "run-1",
        "code_version": "0.1.0",
        "created": "2026-01-01T00:00:00+00:00",
        "title": "Synthetic statistics",
        "is_synthetic": True,
    } | fields
    return BundleManifest.describe([_file("report/index.html", b"<section id='a'>")], **values)


@given(
    st.dictionaries(NAMES, st.binary(max_size=64), min_size=1, max_size=8),
    st.text(min_size=1, max_size=40),
    st.booleans(),
)
def test_a_written_manifest_reads_back_the_same(
    files: dict[str, bytes], title: str, synthetic: bool
) -> None:
    listed = [_file(path, data) for path, data in sorted(files.items())]
    manifest = BundleManifest.describe(
        listed, run_id="r", code_version="v", created="c", title=title, is_synthetic=synthetic
    )
    assert manifest.content_hash == compute_content_hash((f.path, f.sha256) for f in listed)
    assert manifest.recomputed_hash() == manifest.content_hash
    text = manifest.dumps()
    assert text.endswith("\n") and list(json.loads(text)) == sorted(json.loads(text))
    assert parse_manifest(text.encode()) == manifest


def _refusal(data: object) -> str:
    with pytest.raises(BundleError) as info:
        parse_manifest(json.dumps(data).encode())
    return info.value.message


GOOD = _manifest().to_json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"format": "something-else"}, "format"),
        ({"format_version": 2}, "format_version"),
        ({"run_id": ""}, "run_id"),
        ({"title": 5}, "title"),
        ({"is_synthetic": "true"}, "is_synthetic"),
        ({"files": []}, "files"),
        ({"files": [GOOD["files"][0] | {"bytes": "16"}]}, "files.0.bytes"),
        ({"files": [GOOD["files"][0] | {"sha256": "A" * 64}]}, "files.0.sha256"),
        ({"files": [GOOD["files"][0] | {"mode": 420}]}, "files.0.mode"),
        ({"content_hash": "not a hash"}, "content_hash"),
    ],
)
def test_a_wrong_field_is_refused_by_name(change: dict[str, object], field: str) -> None:
    message = _refusal(GOOD | change)
    assert message.startswith("bundle.json is wrong or incomplete in: ") and field in message


def test_a_missing_field_or_no_object_is_refused() -> None:
    assert "created" in _refusal({k: v for k, v in GOOD.items() if k != "created"})
    assert "(top)" in _refusal([GOOD])


def test_not_json_is_refused_and_unknown_fields_are_ignored() -> None:
    with pytest.raises(BundleError, match="not valid JSON"):
        parse_manifest(b"\xff{")
    assert parse_manifest(json.dumps(GOOD | {"added_later": 1}).encode()) == _manifest()
