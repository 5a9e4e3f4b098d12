"""Debian's Chromium driven by Playwright, shared by every browser test.

One Playwright session per test process: Playwright's sync API runs an event loop, and a
second session started while the first is open fails, so every browser test asks for the
session-wide ``chromium`` fixture (``tests/conftest.py``) instead of starting its own.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
# The flags the machine needs: no sandbox as root, and no background network calls.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
