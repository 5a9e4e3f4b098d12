"""Locust users for the review app's load test: reviewers reading and commenting.

Run by ``benchmarks/bench_review_load.py``, which starts the server, signs every reviewer in
(through the real sign-in form, before the timed run) and writes the file named by
``GBO_REVIEW_LOAD_ACCOUNTS`` (JSON: ``publication``, ``version``, ``anchors`` and
``sessions``, each reviewer's cookies). The figures are reading and commenting only.

Each reviewer reads the report a page at a time as a browser does: the first read of a page
is a plain GET, a later one sends the page's ``ETag`` in ``If-None-Match`` (the app answers
304 while nothing on the page has changed). The two are reported apart.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

with open(os.environ["GBO_REVIEW_LOAD_ACCOUNTS"], encoding="utf-8") as setup_file:
    SETUP = json.load(setup_file)
SESSIONS = itertools.cycle(SETUP["sessions"])
CSRF_COOKIE = "gbo_review_csrftoken"
THREAD_LINK = re.compile(r'href="(/publications/\d+/threads/\d+/)"')
PAGE_LINK = re.compile(r'href="(/publications/\d+/versions/\d+/sections/[^"/]+/)"')


class Reviewer(HttpUser):
    """Reads the report, the publication and threads; now and then comments or replies."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        for cookie in next(SESSIONS):
            self.client.cookies.set(**cookie)
        self.publication = f"/publications/{SETUP['publication']}/"
        self.version = f"{self.publication}versions/{SETUP['version']}/"
        self.threads: list[str] = []
        self.pages: list[str] = []
        self.etags: dict[str, str] = {}

    def csrf(self) -> dict[str, str | None]:
        return {"X-CSRFToken": self.client.cookies.get(CSRF_COOKIE, ""), "Referer": self.host}

    @task(2)
    def read_overview(self) -> None:
        response = self.client.get(self.version, name="version overview")
        self.pages = sorted(set(PAGE_LINK.findall(response.text))) or self.pages

    @task(10)
    def read_report(self) -> None:
        if not self.pages:
            self.read_overview()
            return
        url = random.choice(self.pages)
        etag = self.etags.get(url)
        headers = {"If-None-Match": etag} if etag else {}
        name = "report page, revalidated" if etag else "report page, first read"
        response = self.client.get(url, headers=headers, name=name)
        if response.status_code == 200:
            self.threads = THREAD_LINK.findall(response.text)[-20:] or self.threads
        if response.headers.get("ETag"):
            self.etags[url] = response.headers["ETag"]

    @task(4)
    def read_publication(self) -> None:
        self.client.get(self.publication, name="read publication")

    @task(4)
    def read_thread(self) -> None:
        if self.threads:
            self.client.get(random.choice(self.threads), name="read thread")

    @task(1)
    def comment(self) -> None:
        self.client.post(
            f"{self.version}comment/",
            data={"anchor": random.choice(SETUP["anchors"]), "body": "Load test comment."},
            headers=self.csrf(),
            name="comment",
        )

    @task(1)
    def reply(self) -> None:
        if self.threads:
            self.client.post(
                random.choice(self.threads),
                data={"body": "Load test reply."},
                headers=self.csrf(),
                name="reply",
            )
