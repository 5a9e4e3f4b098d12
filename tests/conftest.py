"""Shared fixtures: a throwaway vault key for every test session."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

from gbo.security import KeyRing
from gbo.security.keys import KEY_ENV_VAR, key_ring_from_master, make_throwaway_key

# Tests check correctness, not timings: no per-example deadline (the shared CI machine's load
# would otherwise fail a property at random).
settings.register_profile("gbo", deadline=None)
settings.load_profile("gbo")


@pytest.fixture(autouse=True)
def vault_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every test runs with its own throwaway vault key in GBO_VAULT_KEY."""
    key = make_throwaway_key()
    monkeypatch.setenv(KEY_ENV_VAR, key)
    yield key


@pytest.fixture
def keys(vault_key: str) -> KeyRing:
    return key_ring_from_master(base64.urlsafe_b64decode(vault_key))


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, launched once per test module (never downloaded).

    Not once per process: Playwright's sync API runs an event loop in the main thread while
    it is open, and Django then refuses every database call in that process as coming from
    an async context, so a test file that uses the database and runs after a browser test in
    the same pytest-xdist worker would fail."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, LAUNCH_ARGS

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make system-packages)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()
