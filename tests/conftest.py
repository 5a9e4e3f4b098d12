"""Shared fixtures: a throwaway vault key for every test session."""

from __future__ import annotations

import base64
import os
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

# The files that fit the lessons classifier take the longest (minutes of CPU each). They are
# collected first, so that pytest-xdist (`--dist loadfile --no-loadscope-reorder`, Makefile)
# starts them at once on different workers rather than leaving one to run last. The files
# that only read the default classifier's fit are collected last: by the time a worker
# reaches them the fit is in the cache, so whichever worker is free loads it and runs them
# while the other finishes (stop 53: the fit took 823 s of the tests' 1,283 s; 1,198 s after).
LONGEST_FIRST = ("tests/lessons/test_classifier.py", "tests/lessons/test_classifier_minilm.py")
LAST = ("tests/lessons/test_classifier_outside.py",)


def pytest_configure(config: pytest.Config) -> None:
    """One thread of matrix arithmetic per pytest-xdist worker: the workers already keep both
    cores busy, and two workers of two threads each (torch's and the BLAS library's default
    here) slow each other's sentence embeddings down by about a third."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import torch
        from threadpoolctl import threadpool_limits

        torch.set_num_threads(1)
        threadpool_limits(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        if path in LONGEST_FIRST:
            return LONGEST_FIRST.index(path)
        if path in LAST:
            return len(LONGEST_FIRST) + 1 + LAST.index(path)
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: every other test keeps its order


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
