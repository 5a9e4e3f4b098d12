"""Bounded requests: bodies refused by declared length before they are read; private files."""

from __future__ import annotations

import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from gbo.review.project import gunicorn_conf
from gbo.review.project.private_files import create_private_file, prepare_sqlite_file, tighten
from gbo.review.settings import MB, ReviewSettings, review_settings
from tests.review.conftest import Cast
from tests.review.live_server import load_demo, serve

HUGE = 500 * MB


def declared_post(client: Client, url: str, length: int, **extra: Any) -> int:
    """POST an empty body that claims ``length`` bytes: reading it would fail the test client."""
    response = client.generic(
        "POST",
        url,
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
        **extra,
    )
    return response.status_code


def test_anonymous_post_above_sign_in_size_is_refused_unread(db: None) -> None:
    limit = review_settings().max_sign_in_bytes
    client = Client()
    assert declared_post(client, reverse("login"), HUGE) == 413
    assert declared_post(client, reverse("login"), limit + 1) == 413
    assert declared_post(client, reverse("review:publication_new"), limit + 1) == 413


def test_signed_in_form_pages_take_forms_not_uploads(cast: Cast) -> None:
    limits = review_settings()
    reviewer = cast.client("reviewer")
    comment = reverse("review:comment_new", args=[cast.publication.pk, 1])
    assert declared_post(reviewer, comment, limits.max_form_bytes + 1) == 413
    assert declared_post(reviewer, reverse("admin:index"), limits.max_form_bytes + 1) == 413
    analyst = cast.client("analyst")
    upload = reverse("review:publication_new")
    assert declared_post(analyst, upload, limits.max_upload_body_bytes + 1) == 413
    assert declared_post(analyst, upload, HUGE) == 413


def test_chunked_and_malformed_lengths_are_refused(cast: Cast) -> None:
    client = cast.client("analyst")
    url = reverse("review:publication_new")
    assert declared_post(client, url, 10, HTTP_TRANSFER_ENCODING="chunked") == 411
    response = client.generic("POST", url, b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_a_comment_within_the_limit_is_accepted(cast: Cast) -> None:
    response = cast.client("reviewer").post(
        reverse("review:comment_new", args=[cast.publication.pk, 1]),
        {"anchor": "table:offenders_age", "body": "x" * review_settings().max_comment_chars},
    )
    assert response.status_code == 302


def test_django_upload_limits_follow_the_review_settings() -> None:
    from django.conf import settings

    assert review_settings().max_form_bytes == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 1
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 4 * MB


@override_settings(REVIEW=ReviewSettings(max_upload_mb=1))
def test_an_upload_over_max_upload_mb_is_a_form_error(cast: Cast) -> None:
    big = SimpleUploadedFile("release-bundle.zip", b"0" * (MB + 10), "application/zip")
    response = cast.client("analyst").post(
        reverse("review:publication_new"), {"title": "Too big", "bundle": big}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "larger than 1 MB" in page


def test_quorum_settings_are_consistent() -> None:
    with pytest.raises(ValueError, match="below min_quorum"):
        ReviewSettings(min_quorum=3, default_quorum=2)
    assert ReviewSettings().min_quorum == 2


def test_gunicorn_bounds_request_lines_and_headers() -> None:
    assert gunicorn_conf.limit_request_line <= 4094
    assert gunicorn_conf.limit_request_fields <= 100
    assert gunicorn_conf.limit_request_field_size <= 8190


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_file_is_created_private(tmp_path: Path) -> None:
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "d" / "r.sqlite3")}
    prepare_sqlite_file(database)
    assert mode(tmp_path / "d" / "r.sqlite3") == 0o600
    assert mode(tmp_path / "d") == 0o700
    loose = tmp_path / "old.sqlite3"
    loose.write_bytes(b"")
    loose.chmod(0o644)
    tighten(loose)
    assert mode(loose) == 0o600
    create_private_file(loose)  # exists: tightened, not replaced
    assert mode(loose) == 0o600


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("review-limits") / "data"
    data_dir.mkdir()
    load_demo(data_dir)
    with serve(data_dir, workers=1, threads=2) as url:
        yield url


def raw_request(url: str, head: str) -> tuple[str, str]:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as s:
        s.sendall(head.encode("latin-1"))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0].decode()
    return status_line, answer.decode("latin-1")


@pytest.mark.slow
def test_live_server_refuses_a_huge_anonymous_post_without_reading_it(live_url: str) -> None:
    head = (
        "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {HUGE}\r\n\r\n"
    )
    status, _ = raw_request(live_url, head)  # the body is never sent: the answer comes first
    assert " 413 " in status


@pytest.mark.slow
def test_live_server_refuses_an_over_long_request_line(live_url: str) -> None:
    status, _ = raw_request(live_url, f"GET /{'a' * 9000} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert " 400 " in status or " 414 " in status


@pytest.mark.slow
def test_live_database_is_private(live_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    data_dirs = list(tmp_path_factory.getbasetemp().glob("review-limits*/data"))
    assert data_dirs
    assert mode(data_dirs[0] / "review.sqlite3") == 0o600
    assert mode(data_dirs[0] / "secret-key") == 0o600
