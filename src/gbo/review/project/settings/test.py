"""Settings for the test suite: a throwaway secret, data in a temporary folder."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from gbo.review.project.settings.base import *  # noqa: F403

SECRET_KEY = os.environ.get("GBO_REVIEW_SECRET_KEY", "test-only-" + "x" * 50)
DEBUG = False
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="gbo-review-files-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
# A fast hasher keeps fixtures quick; tests/review/test_security.py checks that every other
# settings module hashes with argon2 and that an argon2 sign-in works.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
