"""The report in Debian's Chromium (driven by Playwright): axe-core scan and a screenshot."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import ARTIFACTS, AXE, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make npm)"),
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return None


@pytest.fixture(scope="module")
def served(publish_dir: Path) -> Iterator[str]:
    """The publish folder over HTTP on localhost, as the review app would serve it."""
    handler = functools.partial(_QuietHandler, directory=str(publish_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/report/index.html"
    finally:
        server.shutdown()
        server.server_close()


def test_report_passes_axe_and_is_screenshotted(served: str, chromium: Any) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    mobile = chromium.new_page(viewport={"width": 375, "height": 800})
    try:
        failures: list[str] = []
        page.on("requestfailed", lambda r: failures.append(r.url))
        page.on("pageerror", lambda e: failures.append(str(e)))
        page.goto(served, wait_until="load")
        assert page.title().startswith("Group-based child sexual exploitation")
        # GOV.UK Frontend's script ran, and its stylesheet and font loaded
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
        font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        assert "GDS Transport" in font
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document)")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], "\n".join(serious)
        assert failures == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "publish-report.png"), full_page=True)
        page.locator("#table-offenders-sex").screenshot(
            path=str(ARTIFACTS / "publish-table-offenders-sex.png")
        )
        mobile.goto(served, wait_until="load")
        mobile.screenshot(path=str(ARTIFACTS / "publish-report-mobile.png"))
    finally:
        page.close()
        mobile.close()
    assert (ARTIFACTS / "publish-report.png").stat().st_size > 10_000
