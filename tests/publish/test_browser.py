"""The report in Debian's Chromium (driven by Playwright): axe-core scan and a screenshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import ARTIFACTS, AXE_PAGE_MARKS, serious_axe_violations, serve_folder

pytestmark = AXE_PAGE_MARKS


@pytest.fixture(scope="module")
def served(publish_dir: Path) -> Iterator[str]:
    """The publish folder over HTTP on localhost, as the review app would serve it."""
    with serve_folder(publish_dir) as base:
        yield f"{base}/report/index.html"


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
        serious = serious_axe_violations(page)
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
