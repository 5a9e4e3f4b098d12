"""The bulletin in Debian's Chromium: axe-core finds no serious issue, and a reader gets
from a main point to its table in one click."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import ARTIFACTS, AXE_PAGE_MARKS, serious_axe_violations, serve_folder

pytestmark = AXE_PAGE_MARKS


@pytest.fixture(scope="module")
def bulletin_url(publish_dir: Path) -> Iterator[str]:
    with serve_folder(publish_dir) as base:
        yield f"{base}/report/bulletin.html"


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
        assert serious_axe_violations(page) == []
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
