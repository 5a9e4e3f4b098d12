"""Local settings: the app on a workstation or in a demo, over plain HTTP on loopback.

The secret key comes from ``GBO_REVIEW_SECRET_KEY``, or from a file in the data folder made
on first use (mode 600), so sessions survive a restart.
"""

from __future__ import annotations

import os
import secrets

from gbo.review.project.settings.base import *  # noqa: F403
from gbo.review.project.settings.base import DATA_DIR


def read_or_make_secret_key() -> str:
    from_env = os.environ.get("GBO_REVIEW_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret-key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key, encoding="ascii")
    return key


SECRET_KEY = read_or_make_secret_key()
DEBUG = os.environ.get("GBO_REVIEW_DEBUG", "") == "1"
