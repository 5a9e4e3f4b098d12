"""Settings shared by every environment: apps, middleware, security defaults, database, assets.

Environment variables read here:

* ``GBO_REVIEW_DATA_DIR``: folder for the SQLite database and stored bundles
  (default ``review-data`` in the working directory).
* ``DATABASE_URL``: a database URL (``postgres://...``); SQLite in the data folder if unset.
* ``GBO_REVIEW_NODE_MODULES``: the npm ``node_modules`` folder holding ``govuk-frontend``
  (default: the repository's own).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

from gbo.review.settings import REVIEW_SETTINGS

PACKAGE_DIR = Path(__file__).resolve().parents[2]
REPO_DIR = PACKAGE_DIR.parents[2]
DATA_DIR = Path(os.environ.get("GBO_REVIEW_DATA_DIR", "review-data")).resolve()
NODE_MODULES = Path(os.environ.get("GBO_REVIEW_NODE_MODULES", REPO_DIR / "node_modules"))
GOVUK_DIST = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"

DEBUG = False
ALLOWED_HOSTS: list[str] = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "gbo.review.apps.ReviewConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gbo.review.project.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses an over-long body before the CSRF check (a view middleware) would read it.
    "gbo.review.project.limits.RequestBodyLimitMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gbo.review.notices.NoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-axes must be last: it turns a locked-out sign-in into its own answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gbo.review.project.urls"
WSGI_APPLICATION = "gbo.review.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gbo.review.context_processors.navigation",
            ],
        },
    },
]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"


def database_from_environment() -> dict[str, Any]:
    """``DATABASE_URL`` if set, else SQLite in the data folder (WAL mode for concurrent readers)."""
    default = f"sqlite:///{DATA_DIR / 'review.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.config(default=default, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 60  # one connection per worker thread, kept between requests
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: argon2 first; the others only verify (and upgrade) hashes made elsewhere.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "review:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock the account from that address after repeated failures.
AXES_FAILURE_LIMIT = REVIEW_SETTINGS.login_failure_limit
AXES_COOLOFF_TIME = REVIEW_SETTINGS.lockout_minutes / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "review/locked_out.html"
AXES_VERBOSE = False

# Sessions: expire after inactivity and when the browser closes; cookies not readable by JS.
SESSION_COOKIE_AGE = REVIEW_SETTINGS.session_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "gbo_review_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "gbo_review_csrftoken"

# Security headers (HSTS and HTTPS-only cookies are switched on in prod settings).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The review app's own settings (gbo.review.settings.ReviewSettings); tests override them here.
REVIEW = REVIEW_SETTINGS

# Request bodies: gbo.review.project.limits refuses one longer than its page takes (sign-in,
# form, upload) before it is read. Django's own limits below it: a form's fields (not files)
# at most max_form_kb, one file per request, files above 2.5 MB spooled to disk while read,
# and the bundle's size checked again by the form and by the bundle checks.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = REVIEW_SETTINGS.max_form_bytes
DATA_UPLOAD_MAX_NUMBER_FILES = 1
MAX_UPLOAD_BYTES = REVIEW_SETTINGS.max_upload_mb * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Assets: GOV.UK Frontend is served from the npm package as it is, never copied. Its CSS
# asks for fonts and images under /assets/, so that is the static URL.
STATIC_URL = "/assets/"
STATIC_ROOT = None  # assets are served from the npm package by WhiteNoise finders
STATICFILES_DIRS = [GOVUK_DIST / "assets", ("govuk", GOVUK_DIST)]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}
