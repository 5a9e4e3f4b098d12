"""The bundle format's content hash and member-name rule."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.bundle.format import compute_content_hash, unsafe_member_name

DIGESTS = st.text("0123456789abcdef", min_size=64, max_size=64)


@given(st.lists(st.tuples(st.text(min_size=1, max_size=20), DIGESTS), unique_by=lambda t: t[0]))
def test_content_hash_does_not_depend_on_listing_order(files: list[tuple[str, str]]) -> None:
    assert compute_content_hash(files) == compute_content_hash(list(reversed(files)))


def test_content_hash_is_the_documented_digest_of_sorted_lines() -> None:
    a, b = "a" * 64, "b" * 64
    expected = hashlib.sha256(f"{a}  csv/x.csv\n{b}  report/index.html".encode()).hexdigest()
    assert compute_content_hash([("report/index.html", b), ("csv/x.csv", a)]) == expected
    assert compute_content_hash([("report/index.html", a), ("csv/x.csv", b)]) != expected


@given(st.text(max_size=60))
def test_accepted_member_names_stay_inside_the_bundle(name: str) -> None:
    if unsafe_member_name(name) is None:
        parts = name.removesuffix("/").split("/")
        assert ".." not in parts and "." not in parts and "" not in parts
        assert not name.startswith("/") and "\\" not in name and ":" not in name
        assert all(ord(c) >= 32 for c in name)


@pytest.mark.parametrize(
    "name",
    ["", "../evil.txt", "/etc/passwd", "a/../../b", "c:\\x", "C:/x", "a\\b.csv", "./a", "a//b"]
    + ["a\x00b", "x" * 256],
)
def test_unsafe_names_are_refused_with_a_reason(name: str) -> None:
    reason = unsafe_member_name(name)
    assert reason is not None and ("file name" in reason or "file path" in reason)


@pytest.mark.parametrize("name", ["report/index.html", "csv/offenders_sex.csv", "charts/", "a.b"])
def test_names_gbo_writes_are_accepted(name: str) -> None:
    assert unsafe_member_name(name) is None
