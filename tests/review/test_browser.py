"""The whole review in Debian's Chromium (through Playwright) against a live gunicorn server.

Analyst uploads, two reviewers comment, the analyst answers and uploads a revision, the
reviewers resolve and approve, the chair releases. Screenshots go to test-artifacts/review/.
Then every page type is scanned with axe-core: no serious or critical violations.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gbo.review.sample_bundle import build_sample_bundle
from tests.browser_support import ARTIFACTS, AXE, CHROMIUM, serious_axe_violations
from tests.review.live_server import LiveApp, live_app

SHOTS = ARTIFACTS / "review"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group(name="review-browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="node_modules/axe-core is not installed (npm)"),
]


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with live_app(tmp_path_factory.mktemp("review-live") / "data") as running:
        yield running


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    return chromium


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("bundles")
    paths = {}
    for revision in (0, 1):
        paths[revision] = folder / f"release-bundle-r{revision}.zip"
        paths[revision].write_bytes(build_sample_bundle(revision, run_id="browser-run"))
    return paths


class Session:
    """One person's browser context, signed in."""

    def __init__(self, browser: Any, app: LiveApp, username: str, **context: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **context)
        self.page = self.context.new_page()
        self.app = app
        self.page.goto(f"{app.url}/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(app.passwords[username])
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(f"{app.url}/")

    def go(self, path: str) -> Any:
        self.page.goto(self.app.url + path)
        return self.page

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def publication_path(page: Any) -> str:
    match = re.search(r"(/publications/\d+/)", page.url)
    assert match, page.url
    return match.group(1)


def comment_on(
    s: Session, pub: str, part: str, link: str | re.Pattern[str], text: str, version: int = 1
) -> None:
    """Follow a comment link on one page of the report (a table's, a figure's or the section's)."""
    page = s.go(f"{pub}versions/{version}/sections/{part}/")
    page.get_by_role("link", name=link).click()
    page.get_by_label("Comment").fill(text)
    page.get_by_role("button", name="Add comment").click()
    page.get_by_text("Your comment was added.").wait_for()


def open_thread_on(s: Session, pub: str, version: int, part: str, anchor_title: str) -> Any:
    page = s.go(f"{pub}versions/{version}/sections/{part}/")
    page.get_by_role("link", name=f"Open the thread on {anchor_title}").first.click()
    return page


OVERRIDE_REASON = "The chair's reason: the wording was agreed with the whole group."


def test_whole_review_in_the_browser(app: LiveApp, browser: Any, bundles: dict[int, Path]) -> None:
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    analyst = Session(browser, app, "demo-analyst")
    page = analyst.page
    page.get_by_role("button", name="Upload a new publication").click()
    page.get_by_label("Title of the publication").fill("Browser test publication")
    page.get_by_label("Release bundle").set_input_files(str(bundles[0]))
    analyst.shot("01-analyst-upload-form")
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The publication and its first version were uploaded.").wait_for()
    pub = publication_path(page)
    analyst.shot("02-publication-uploaded")

    admin = Session(browser, app, "demo-admin")
    page = admin.go(pub + "members/")
    page.get_by_label("Username of the account to invite").fill("demo-admin")
    page.get_by_label("Reviewer").check()
    page.get_by_role("button", name="Invite").click()
    assert page.get_by_text("Administrators manage accounts").first.is_visible()
    page.get_by_label("Username of the account to invite").fill("demo-chair")
    page.get_by_label("Chair").check()
    page.get_by_role("button", name="Invite").click()
    page.get_by_text("demo-chair was added.").wait_for()
    page = admin.go(pub + "quorum/")
    assert page.get_by_role("heading", name="You cannot do that").is_visible()
    admin.close()
    chair = Session(browser, app, "demo-chair")
    assert chair.page.get_by_text(
        "demo-admin added you to 'Browser test publication' as chair"
    ).is_visible()
    page = chair.go(pub + "members/")
    assert page.get_by_text("added you to").count() == 0  # told once
    for reviewer in ("demo-reviewer-1", "demo-reviewer-2"):
        page.get_by_label("Username of the account to invite").fill(reviewer)
        page.get_by_label("Reviewer").check()
        page.get_by_role("button", name="Invite").click()
        page.get_by_text(f"{reviewer} was added.").wait_for()
    page = chair.go(pub + "quorum/")
    page.get_by_label("Approvals needed").fill("1")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("The quorum cannot be less than 2").first.is_visible()
    chair.shot("03-chair-invites-reviewers")

    r1 = Session(browser, app, "demo-reviewer-1")
    page = r1.go(pub + "versions/1/sections/scale/")
    r1.shot("04-reviewer-reads-a-page")
    assert page.get_by_role("navigation", name="Contents").is_visible()
    region = page.get_by_role("region", name=re.compile("Table: Recorded offences by year, 2006"))
    for _ in range(40):  # the keyboard reaches the wide table's scrolling region
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "region" and (
            "2006" in (page.evaluate("document.activeElement.getAttribute('aria-label')") or "")
        ):
            break
    else:
        raise AssertionError("Tab never reached the wide table's region")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=5000)
    comment_on(
        r1,
        pub,
        "offenders",
        re.compile("Comment on this table.*Offenders by age band at first offence"),
        "The age bands should say where ages were estimated.",
    )
    r1.shot("05-reviewer-1-comment")
    r2 = Session(browser, app, "demo-reviewer-2")
    comment_on(
        r2,
        pub,
        "victims",
        re.compile("Comment on this section.*Victims"),
        "Please add the completeness of age at identification.",
    )

    page = open_thread_on(analyst, pub, 1, "offenders", "Offenders by age band at first offence")
    page.get_by_label("Reply").fill("Added a note on estimated ages in version 2.")
    page.get_by_role("button", name="Reply").click()
    page.get_by_role("button", name="Mark as addressed").click()
    page.get_by_text("The thread is marked addressed").wait_for()
    analyst.shot("06-analyst-answers")
    page = open_thread_on(analyst, pub, 1, "victims", "Victims")
    page.get_by_label("Reply").fill("Completeness added under the table.")
    page.get_by_role("button", name="Reply").click()
    page.get_by_role("button", name="Mark as addressed").click()
    page = analyst.go(pub + "versions/new/")
    page.get_by_label("Release bundle").set_input_files(str(bundles[1]))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Version 2 was uploaded.").wait_for()
    page = analyst.go(pub + "versions/2/sections/offenders/")
    assert page.get_by_text("Revision 1: age bands recounted after review.").is_visible()
    analyst.shot("07-version-2-with-threads-carried-over")

    for session, part, title in (
        (r1, "offenders", "Offenders by age band at first offence"),
        (r2, "victims", "Victims"),
    ):
        page = open_thread_on(session, pub, 2, part, title)
        page.get_by_role("button", name="Resolve").click()
        page.get_by_text("The thread is resolved.").wait_for()

    decide(r2, pub, "Do not approve")
    page = r1.go(pub)
    assert page.get_by_text("hidden until you have recorded yours").first.is_visible()
    assert page.get_by_text("Do not approve").count() == 0
    decide(r1, pub, "Approve")
    page = r1.go(pub)
    assert page.get_by_role("cell", name="Do not approve").is_visible()
    r1.shot("08-decisions-shown-after-deciding")

    page = chair.go(pub + "release/")
    assert page.get_by_text("demo-reviewer-2's decision 'Do not approve'").is_visible()
    page.get_by_label("Reason for overriding this decision").fill(OVERRIDE_REASON)
    page.get_by_role("button", name="Override").click()
    page.get_by_text("is overridden").wait_for()
    assert page.get_by_text(OVERRIDE_REASON).is_visible()
    chair.shot("09-objection-overridden")
    decide(r2, pub, "Approve")
    page = chair.go(pub + "release/")
    chair.shot("10-release-ready")
    page.get_by_role("button", name="Release version 2").click()
    page.get_by_text("The publication is released and frozen.").wait_for()
    assert page.get_by_text("demo-reviewer-1: Approve").is_visible()
    chair.shot("11-released")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the released bundle").click()
    final = Path(download_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(final)) as zf:
        record = json.loads(zf.read("review-record.json"))
    assert record["version"] == 2
    assert {d["reviewer"] for d in record["decisions"]} == {"demo-reviewer-1", "demo-reviewer-2"}

    page = chair.go(pub + "audit/")
    chair.shot("12-audit-log")
    assert page.get_by_text("Publication released").is_visible()
    assert page.get_by_text("'Do not approve' overridden by the chair").is_visible()
    for session in (analyst, chair, r1, r2):
        session.close()


def decide(s: Session, pub: str, outcome: str) -> None:
    page = s.go(pub + "versions/2/decision/")
    page.get_by_label(outcome, exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Your decision on version 2").wait_for()


AXE_PAGES = [
    ("demo-analyst", "/", "home"),
    ("demo-analyst", "/publications/new/", "upload form"),
    ("demo-analyst", "{pub}", "publication"),
    ("demo-analyst", "{pub}versions/new/", "revision form"),
    ("demo-reviewer-1", "{pub}", "publication, decisions hidden"),
    ("demo-reviewer-1", "{pub}versions/1/", "version overview"),
    ("demo-reviewer-1", "{pub}versions/1/sections/scale/", "report page with wide table"),
    ("demo-reviewer-1", "{pub}versions/1/sections/offenders/", "report page"),
    ("demo-reviewer-1", "{pub}versions/1/comment/?anchor=table:offenders_age", "comment form"),
    ("demo-reviewer-1", "{pub}versions/1/comment/?choose=1", "comment form with a choice"),
    ("demo-reviewer-1", "{pub}versions/1/decision/", "decision form"),
    ("demo-reviewer-1", "{pub}threads/{thread}/", "thread"),
    ("demo-reviewer-1", "{pub}release/", "release, decisions hidden"),
    ("demo-chair", "{pub}members/", "members"),
    ("demo-chair", "{pub}quorum/", "quorum"),
    ("demo-chair", "{pub}release/", "release with an override form"),
    ("demo-chair", "{pub}audit/", "audit log"),
    ("demo-chair", "/publications/999999/", "not found"),
    ("demo-reviewer-1", "{pub}members/", "forbidden"),
    ("demo-admin", "/audit/", "whole audit log"),
]
FORMS_WITH_ERRORS = (
    "comment form",
    "decision form",
    "upload form",
    "release with an override form",
)


def submit(page: Any, button: Any) -> None:
    """Click a form's submit button and wait until the page it posts to has loaded, so that
    nothing reads the old document while the new one is being committed (axe's script tag
    would find no ``<head>``)."""
    with page.expect_navigation():
        button.click()


def test_every_page_type_passes_axe(app: LiveApp, browser: Any) -> None:
    sessions: dict[str, Session] = {}
    problems: list[str] = []
    login = browser.new_context(bypass_csp=True)
    login_page = login.new_page()
    login_page.goto(f"{app.url}/accounts/login/")
    problems += [f"sign in: {v}" for v in serious_axe_violations(login_page)]
    submit(login_page, login_page.get_by_role("button", name="Sign in"))  # empty: error state
    problems += [f"sign in with error: {v}" for v in serious_axe_violations(login_page)]
    login.close()
    r1 = Session(browser, app, "demo-reviewer-1", bypass_csp=True)
    sessions["demo-reviewer-1"] = r1
    page = r1.go("/")
    page.get_by_role("link", name="Demo publication (synthetic data)").click()
    pub = publication_path(page)
    comment_on(r1, pub, "scale", re.compile("Comment on this section"), "A comment for the scan.")
    thread = re.search(r"/threads/(\d+)/", r1.page.url)
    assert thread
    r2 = Session(browser, app, "demo-reviewer-2", bypass_csp=True)
    page = r2.go(pub + "versions/1/decision/")
    page.get_by_label("Do not approve", exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Your decision on version 1").wait_for()
    r2.close()
    for username, path, name in AXE_PAGES:
        if username not in sessions:
            sessions[username] = Session(browser, app, username, bypass_csp=True)
        page = sessions[username].go(path.format(pub=pub, thread=thread.group(1)))
        problems += [f"{name}: {v}" for v in serious_axe_violations(page)]
        if name in FORMS_WITH_ERRORS:
            submit(page, page.locator("main form button[type=submit]").last)
            problems += [f"{name} with errors: {v}" for v in serious_axe_violations(page)]
            sessions[username].shot(f"axe-{name.replace(' ', '-')}-errors")
    for session in sessions.values():
        session.close()
    assert not problems, "\n".join(problems)
