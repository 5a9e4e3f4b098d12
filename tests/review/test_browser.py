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
from tests.browser_support import ARTIFACTS, AXE, CHROMIUM
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


@pytest.fixture(scope="session")
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


def comment_on(s: Session, pub: str, section: str, anchor_label: str, text: str) -> None:
    page = s.go(pub + "versions/1/")
    page.locator(f"#report-{section}").get_by_role(
        "link", name=re.compile("Comment on this section")
    ).click()
    page.get_by_label("Section or table").select_option(label=anchor_label)
    page.get_by_label("Comment").fill(text)
    page.get_by_role("button", name="Add comment").click()
    page.get_by_text("Your comment was added.").wait_for()


def open_thread_on(s: Session, pub: str, version: int, anchor_title: str) -> Any:
    page = s.go(f"{pub}versions/{version}/")
    page.get_by_role("link", name=f"Open the thread on {anchor_title}").first.click()
    return page


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
    page.get_by_label("Username of the account to invite").fill("demo-chair")
    page.get_by_label("Chair").check()
    page.get_by_role("button", name="Invite").click()
    admin.close()
    chair = Session(browser, app, "demo-chair")
    page = chair.go(pub + "members/")
    for reviewer in ("demo-reviewer-1", "demo-reviewer-2"):
        page.get_by_label("Username of the account to invite").fill(reviewer)
        page.get_by_label("Reviewer").check()
        page.get_by_role("button", name="Invite").click()
        page.get_by_text(f"{reviewer} was added.").wait_for()
    chair.shot("03-chair-invites-reviewers")

    r1 = Session(browser, app, "demo-reviewer-1")
    r1.go(pub + "versions/1/")
    r1.shot("04-reviewer-reads-version-1")
    comment_on(
        r1,
        pub,
        "offenders",
        "Table: Offenders by age band at first offence",
        "The age bands should say where ages were estimated.",
    )
    r1.shot("05-reviewer-1-comment")
    r2 = Session(browser, app, "demo-reviewer-2")
    comment_on(
        r2,
        pub,
        "victims",
        "Section: Victims",
        "Please add the completeness of age at identification.",
    )

    page = open_thread_on(analyst, pub, 1, "Offenders by age band at first offence")
    page.get_by_label("Reply").fill("Added a note on estimated ages in version 2.")
    page.get_by_role("button", name="Reply").click()
    page.get_by_role("button", name="Mark as addressed").click()
    page.get_by_text("The thread is marked addressed").wait_for()
    analyst.shot("06-analyst-answers")
    page = open_thread_on(analyst, pub, 1, "Victims")
    page.get_by_label("Reply").fill("Completeness added under the table.")
    page.get_by_role("button", name="Reply").click()
    page.get_by_role("button", name="Mark as addressed").click()
    page = analyst.go(pub + "versions/new/")
    page.get_by_label("Release bundle").set_input_files(str(bundles[1]))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Version 2 was uploaded.").wait_for()
    assert page.get_by_text("Revision 1: age bands recounted after review.").is_visible()
    analyst.shot("07-version-2-with-threads-carried-over")

    for session, title in ((r1, "Offenders by age band at first offence"), (r2, "Victims")):
        page = open_thread_on(session, pub, 2, title)
        page.get_by_role("button", name="Resolve").click()
        page.get_by_text("The thread is resolved.").wait_for()
        page = session.go(pub + "versions/2/decision/")
        page.get_by_label("Approve", exact=True).check()
        page.get_by_role("button", name="Record decision").click()
        page.get_by_text("Your decision on version 2").wait_for()
    r2.shot("08-reviewer-approves")

    page = chair.go(pub + "release/")
    chair.shot("09-release-ready")
    page.get_by_role("button", name="Release version 2").click()
    page.get_by_text("The publication is released and frozen.").wait_for()
    chair.shot("10-released")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the released bundle").click()
    final = Path(download_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(final)) as zf:
        record = json.loads(zf.read("review-record.json"))
    assert record["version"] == 2
    assert {d["reviewer"] for d in record["decisions"]} == {"demo-reviewer-1", "demo-reviewer-2"}

    page = chair.go(pub + "audit/")
    chair.shot("11-audit-log")
    assert page.get_by_text("Publication released").is_visible()
    for session in (analyst, chair, r1, r2):
        session.close()


AXE_PAGES = [
    ("demo-analyst", "/", "home"),
    ("demo-analyst", "/publications/new/", "upload form"),
    ("demo-analyst", "{pub}", "publication"),
    ("demo-analyst", "{pub}versions/new/", "revision form"),
    ("demo-reviewer-1", "{pub}versions/1/", "report"),
    ("demo-reviewer-1", "{pub}versions/1/comment/", "comment form"),
    ("demo-reviewer-1", "{pub}versions/1/decision/", "decision form"),
    ("demo-reviewer-1", "{pub}threads/{thread}/", "thread"),
    ("demo-chair", "{pub}members/", "members"),
    ("demo-chair", "{pub}quorum/", "quorum"),
    ("demo-chair", "{pub}release/", "release"),
    ("demo-chair", "{pub}audit/", "audit log"),
    ("demo-chair", "/publications/999999/", "not found"),
    ("demo-reviewer-1", "{pub}members/", "forbidden"),
]


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_type_passes_axe(app: LiveApp, browser: Any) -> None:
    sessions: dict[str, Session] = {}
    problems: list[str] = []
    login = browser.new_context(bypass_csp=True)
    login_page = login.new_page()
    login_page.goto(f"{app.url}/accounts/login/")
    problems += [f"sign in: {v}" for v in axe_violations(login_page)]
    login_page.get_by_role("button", name="Sign in").click()  # empty form: error state
    problems += [f"sign in with error: {v}" for v in axe_violations(login_page)]
    login.close()
    r1 = Session(browser, app, "demo-reviewer-1", bypass_csp=True)
    sessions["demo-reviewer-1"] = r1
    page = r1.go("/")
    page.get_by_role("link", name="Demo publication (synthetic data)").click()
    pub = publication_path(page)
    comment_on(
        r1,
        pub,
        "scale",
        "Section: Scale of recorded group-based exploitation",
        "A comment for the accessibility scan.",
    )
    thread = re.search(r"/threads/(\d+)/", page.url)
    assert thread
    for username, path, name in AXE_PAGES:
        if username not in sessions:
            sessions[username] = Session(browser, app, username, bypass_csp=True)
        page = sessions[username].go(path.format(pub=pub, thread=thread.group(1)))
        problems += [f"{name}: {v}" for v in axe_violations(page)]
        if name in ("comment form", "decision form", "upload form"):
            page.locator("main button[type=submit]").last.click()
            page.wait_for_load_state()
            problems += [f"{name} with errors: {v}" for v in axe_violations(page)]
            sessions[username].shot(f"axe-{name.replace(' ', '-')}-errors")
    for session in sessions.values():
        session.close()
    assert not problems, "\n".join(problems)
