"""Production settings: HTTPS only, HSTS, secure cookies; secrets and hosts from the environment.

Required: ``GBO_REVIEW_SECRET_KEY`` (50+ random characters) and ``GBO_REVIEW_ALLOWED_HOSTS``
(comma-separated host names). Optional: ``DATABASE_URL``, ``GBO_REVIEW_DATA_DIR``,
``GBO_REVIEW_BEHIND_PROXY=1`` when a TLS-terminating proxy sets ``X-Forwarded-Proto``.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from gbo.review.project.settings.base import *  # noqa: F403


def required_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"set {name} in the environment for production settings")
    return value


SECRET_KEY = required_env("GBO_REVIEW_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required_env("GBO_REVIEW_ALLOWED_HOSTS").split(",")]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
DEBUG = False

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-gbo_review_session"
CSRF_COOKIE_NAME = "__Host-gbo_review_csrftoken"
if os.environ.get("GBO_REVIEW_BEHIND_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_PROXY_COUNT = 1
