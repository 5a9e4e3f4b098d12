"""Security settings and behaviour: hashing, throttling, CSRF, sessions, headers, deploy checks."""

from __future__ import annotations

import importlib
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gbo.review.project.settings import base
from tests.review.conftest import Cast, make_user

PASSWORD = "a-long-throwaway-passphrase"


def prod_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gbo.review.project.settings.prod",
        "GBO_REVIEW_SECRET_KEY": secrets.token_urlsafe(50),
        "GBO_REVIEW_ALLOWED_HOSTS": "review.example.org",
        "GBO_REVIEW_DATA_DIR": str(tmp_path),
    }


def test_argon2_is_the_hasher_outside_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBO_REVIEW_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("GBO_REVIEW_ALLOWED_HOSTS", "review.example.org")
    for name in ("base", "dev", "prod"):
        module = importlib.import_module(f"gbo.review.project.settings.{name}")
        assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher"), name


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_sign_in_with_an_argon2_hash(db: None) -> None:
    user = make_user("argon")
    user.set_password(PASSWORD)
    user.save()
    assert user.password.startswith("argon2$")
    response = Client().post(reverse("login"), {"username": "argon", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("review:home")


def test_repeated_failed_sign_ins_lock_the_account(db: None) -> None:
    user = make_user("target")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "target", "password": "wrong-guess"})
    response = client.post(reverse("login"), {"username": "target", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "Too many failed sign-ins" in response.content.decode()


def test_post_without_csrf_token_is_refused(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users["reviewer"])
    url = reverse("review:decision", args=[cast.publication.pk, 1])
    assert client.post(url, {"outcome": "approve"}).status_code == 403


def test_expired_session_sends_the_user_back_to_sign_in(cast: Cast) -> None:
    client = cast.client("reviewer")
    home = reverse("review:home")
    assert client.get(home).status_code == 200
    Session.objects.all().update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_session_settings() -> None:
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY


def test_pages_carry_security_headers(cast: Cast) -> None:
    response = cast.client("reviewer").get(reverse("review:home"))
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.slow
def test_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "DEBUG"],
        env=prod_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_settings_need_a_secret_key(tmp_path: Path) -> None:
    env = prod_env(tmp_path)
    del env["GBO_REVIEW_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "GBO_REVIEW_SECRET_KEY" in result.stderr


def test_production_settings_turn_on_https_protections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GBO_REVIEW_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("GBO_REVIEW_ALLOWED_HOSTS", "review.example.org")
    prod = importlib.import_module("gbo.review.project.settings.prod")
    assert prod.SECURE_HSTS_SECONDS >= 31_536_000 and prod.SECURE_SSL_REDIRECT
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and not prod.DEBUG
