"""Upload checks: a good bundle passes; every crafted bundle is refused with a clear message."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.errors import ReviewError
from gbo.review.bundle.upload import check_bundle
from gbo.review.sample_bundle import build_sample_bundle, sample_files, write_bundle
from gbo.review.settings import ReviewSettings

LIMITS = ReviewSettings()


def check(data: bytes, limits: ReviewSettings = LIMITS) -> None:
    check_bundle(io.BytesIO(data), len(data), limits)


def refused(data: bytes, limits: ReviewSettings = LIMITS) -> str:
    with pytest.raises(ReviewError) as info:
        check(data, limits)
    return info.value.render()


def test_good_bundle_passes_and_reports_its_hash() -> None:
    data = build_sample_bundle()
    checked = check_bundle(io.BytesIO(data), len(data), LIMITS)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("bundle.json"))
    assert checked.manifest.content_hash == manifest["content_hash"]
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert "data-table-id" in checked.report_html


def test_revisions_have_different_content_hashes() -> None:
    hashes = {
        json.loads(zipfile.ZipFile(io.BytesIO(build_sample_bundle(r))).read("bundle.json"))[
            "content_hash"
        ]
        for r in range(3)
    }
    assert len(hashes) == 3


def test_oversized_file_is_refused_before_opening() -> None:
    small = ReviewSettings(max_upload_mb=1)
    data = b"PK" + b"\0" * (1024 * 1024 + 1)
    assert "larger than the limit of 1 MB" in refused(data, small)


def test_not_a_zip_is_refused() -> None:
    assert "not a zip archive" in refused(b"this is not a zip file at all")


def test_zip_bomb_by_ratio_is_refused() -> None:
    files = sample_files()
    files["csv/zeros.csv"] = b"0" * (20 * 1024 * 1024)
    assert "zip bomb" in refused(write_bundle(files))


def test_zip_bomb_by_total_size_is_refused() -> None:
    files = sample_files()
    files["csv/big.csv"] = b"1," * (1024 * 1024)
    assert "zip bomb" in refused(write_bundle(files), ReviewSettings(max_unpacked_mb=1))


def test_member_that_unpacks_beyond_its_header_is_refused() -> None:
    data = bytearray(build_sample_bundle())
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("csv/offenders_sex.csv")
    # Shrink the stated size in both headers: reading must stop there, not trust it.
    fake = info.file_size - 5
    for header, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (pos := bytes(data).find(header, start)) != -1:
            name_len_at = 28 if header == b"PK\x01\x02" else 26
            n = int.from_bytes(data[pos + name_len_at : pos + name_len_at + 2], "little")
            name_at = pos + (46 if header == b"PK\x01\x02" else 30)
            if bytes(data[name_at : name_at + n]) == b"csv/offenders_sex.csv":
                data[pos + offset : pos + offset + 4] = fake.to_bytes(4, "little")
            start = pos + 4
    message = refused(bytes(data))
    assert "unpacks to more than its stated size" in message or "damaged" in message


@pytest.mark.parametrize(
    "name", ["../escape.txt", "/etc/passwd", "csv/../../x", "a\\b.csv", "C:/x"]
)
def test_path_traversal_is_refused(name: str) -> None:
    data = write_bundle(sample_files(), extra_members={name: b"x"})
    message = refused(data)
    assert "path" in message or "backslash" in message


def test_symbolic_link_is_refused() -> None:
    out = io.BytesIO(write_bundle(sample_files()))
    with zipfile.ZipFile(out, "a") as zf:
        info = zipfile.ZipInfo("report/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    assert "symbolic link" in refused(out.getvalue())


def test_duplicate_member_names_are_refused() -> None:
    out = io.BytesIO(write_bundle(sample_files()))
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "a") as zf:
        zf.writestr("csv/offenders_sex.csv", b"category,count\nMale,1\n")
    assert "same file name twice" in refused(out.getvalue())


def test_too_many_files_are_refused() -> None:
    files = {**sample_files(), **{f"csv/t{i}.csv": b"a\n" for i in range(20)}}
    assert "more than the limit" in refused(write_bundle(files), ReviewSettings(max_files=10))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"format": "something-else"}, "format"),
        ({"format_version": 2}, "format_version"),
        ({"run_id": ""}, "run_id"),
        ({"is_synthetic": "maybe"}, "is_synthetic"),
        ({"content_hash": "0" * 64}, "content hash"),
        ({"files": []}, "files"),
    ],
)
def test_wrong_manifest_is_refused(overrides: dict[str, object], expected: str) -> None:
    message = refused(write_bundle(sample_files(), manifest_overrides=overrides))
    assert expected in message


def test_manifest_that_is_not_json_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("bundle.json", b"{not json")
        zf.writestr("report/index.html", b"<section id='a'></section>")
    assert "not valid JSON" in refused(out.getvalue())


def test_missing_manifest_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("report/index.html", b"<section id='a'></section>")
    assert "no bundle.json" in refused(out.getvalue())


def test_unlisted_file_is_refused() -> None:
    data = write_bundle(sample_files(), extra_members={"csv/extra.csv": b"a,b\n"})
    assert "not listed" in refused(data)


def test_missing_listed_file_is_refused() -> None:
    files = sample_files()
    data = write_bundle(files)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "csv/victims_age.csv":
                dst.writestr(info.filename, src.read(info))
    assert "missing" in refused(out.getvalue())


def test_changed_file_is_refused() -> None:
    data = write_bundle(sample_files())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "csv/victims_age.csv":
                body = body.replace(b"64", b"65")
            dst.writestr(info.filename, body)
    assert "does not match its size or SHA-256" in refused(out.getvalue())


def test_bundle_without_report_is_refused() -> None:
    files = sample_files()
    del files["report/index.html"]
    assert "report/index.html" in refused(write_bundle(files))


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("per_0123456789abcdef", "record-level pseudonym"),
        ("LS1 4AP", "full postcode"),
        ("943 476 5919", "NHS number"),
    ],
)
def test_identifier_shaped_values_are_refused(planted: str, kind: str) -> None:
    files = sample_files()
    files["csv/offenders_sex.csv"] += f"{planted},1\n".encode()
    message = refused(write_bundle(files))
    assert kind in message and "csv/offenders_sex.csv line" in message
    assert planted not in message


def test_postcode_district_alone_is_accepted() -> None:
    files = sample_files()
    files["csv/area.csv"] = b"district,count\nLS1,12\nM60,9\n"
    check(write_bundle(files))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_refused_cleanly(data: bytes) -> None:
    with pytest.raises(ReviewError):
        check(data)


SAMPLE = build_sample_bundle()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=255))
def test_single_corrupted_byte_is_refused_or_harmless(position: int, value: int) -> None:
    """A changed byte is either refused with the bundle message, or changes nothing the app
    reads: every file's hash, the manifest and the report are those of the intact bundle."""
    data = bytearray(SAMPLE)
    data[position % len(data)] = value
    try:
        checked = check_bundle(io.BytesIO(bytes(data)), len(data), LIMITS)
    except ReviewError as error:
        assert error.message.startswith("This file is not an acceptable release bundle: ")
        return
    intact = check_bundle(io.BytesIO(SAMPLE), len(SAMPLE), LIMITS)
    assert checked.manifest == intact.manifest
    assert checked.report_html == intact.report_html


def test_a_corrupted_byte_in_a_file_is_refused_and_one_in_a_timestamp_is_harmless() -> None:
    archive = zipfile.ZipFile(io.BytesIO(SAMPLE))
    info = archive.getinfo("csv/offenders_sex.csv")
    content = bytearray(SAMPLE)
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    content[data_start] ^= 0xFF
    assert "This file is not an acceptable release bundle" in refused(bytes(content))
    timestamp = bytearray(SAMPLE)
    timestamp[info.header_offset + 10] ^= 0x01  # the local header's modification time
    checked = check_bundle(io.BytesIO(bytes(timestamp)), len(timestamp), LIMITS)
    assert checked.manifest == check_bundle(io.BytesIO(SAMPLE), len(SAMPLE), LIMITS).manifest


def test_a_hex_digest_holding_nhs_shaped_digits_is_not_an_nhs_number() -> None:
    from gbo.review.bundle.identifier_scan import scan_text

    digest = '"name": "data-ce0481100369f5b7a616c45715ac4763"'  # a chart's dataset name
    assert list(scan_text("charts/c.vl.json", digest)) == []
    assert [f.kind for f in scan_text("c.csv", "x,0481100369\n")] == ["NHS number"]
    kinds = [f.kind for f in scan_text("c.csv", "per_0123456789abcdef\n")]
    assert "record-level pseudonym" in kinds
