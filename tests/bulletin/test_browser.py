"""The bulletin in Debian's Chromium: axe-core finds no serious issue, and a reader gets
from a main point to its table in one click."""

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
def bulletin_url(publish_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(publish_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/report/bulletin.html"
    finally:
        server.shutdown()
        server.server_close()


def _serious(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_bulletin_reads_main_points_first_and_passes_axe(bulletin_url: str, chromium: Any) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(bulletin_url, wait_until="load")
        points = page.locator("#main-points [data-main-points] li")
        assert points.count() >= 1
        first = points.first
        assert first.is_visible() and first.bounding_box()["y"] < 900 * 2
        assert "%" in first.inner_text() or any(c.isdigit() for c in first.inner_text())
        assert _serious(page) == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "bulletin.png"), full_page=True)
        first.get_by_role("link").click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0].endswith("/report/index.html")
        anchor = page.url.split("#")[1]
        assert page.locator(f"#{anchor}").is_visible()
        assert errors == []
    finally:
        page.close()
