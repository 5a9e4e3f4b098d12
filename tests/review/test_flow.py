"""The review journey through the library: comment, answer, revise, approve, release.

These tests run on SQLite and, through test_postgres.py, on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from gbo.bundle import REVIEW_RECORD_JSON
from gbo.bundle.format import compute_content_hash
from gbo.errors import ReviewError
from gbo.review.bundle.upload import check_bundle
from gbo.review.discussion import mark_addressed, open_thread, reopen, reply, resolve
from gbo.review.models import AuditEvent, Outcome, Thread, ThreadStatus, Version
from gbo.review.release import assess_release, record_decision, release_publication
from gbo.review.sample_bundle import build_sample_bundle
from gbo.review.settings import REVIEW_SETTINGS
from gbo.review.uploads import add_version
from tests.review.conftest import Cast


def revise(cast: Cast, revision: int) -> Version:
    data = build_sample_bundle(revision)
    return add_version(cast.users["analyst"], cast.publication, io.BytesIO(data), len(data))


def comment(cast: Cast, who: str, version: Version, anchor_id: str, kind: str = "table") -> Thread:
    anchor = version.anchors.get(kind=kind, anchor_id=anchor_id)
    return open_thread(cast.users[who], "reviewer", version, anchor, f"A point from {who}.")


def approve(cast: Cast, who: str, version: Version, outcome: str = Outcome.APPROVE) -> None:
    record_decision(cast.users[who], "reviewer", version, outcome, "")


def test_upload_stores_version_and_anchors(cast: Cast) -> None:
    version = cast.publication.latest_version()
    assert version is not None and version.number == 1
    assert version.anchors.filter(kind="section", is_top_level=True).count() == 3
    assert version.anchors.filter(kind="table").count() == 6
    assert version.anchors.filter(kind="figure").count() == 1
    scale = version.anchors.get(anchor_id="scale")
    assert f"/publications/{cast.publication.pk}/versions/1/files/charts/offences_year.svg" in (
        scale.html
    )


def test_whole_journey_ends_in_a_release_with_a_review_record(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    t1 = comment(cast, "reviewer", v1, "offenders_age")
    t2 = comment(cast, "reviewer2", v1, "victims", kind="section")
    reply(cast.users["analyst"], "analyst", t1, "Recounted in the next version.")
    mark_addressed(cast.users["analyst"], "analyst", t1)
    approve(cast, "reviewer", v1)
    approve(cast, "reviewer2", v1)

    v2 = revise(cast, 1)
    assert v2.number == 2
    readiness = assess_release(cast.publication)
    assert not readiness.is_ready and len(readiness.approvals) == 0  # decisions stay on v1
    threads = {t.anchor_key for t in Thread.objects.filter(publication=cast.publication)}
    assert {a.key for a in v2.anchors.all()} >= threads  # threads carry over by anchor

    resolve(cast.users["reviewer"], t1)
    approve(cast, "reviewer", v2)
    approve(cast, "reviewer2", v2)
    readiness = assess_release(cast.publication)
    assert not readiness.is_ready and readiness.n_unresolved_threads == 1
    with pytest.raises(ReviewError, match="not yet resolved"):
        release_publication(cast.users["chair"], "chair", cast.publication)

    resolve(cast.users["reviewer2"], t2)
    assert assess_release(cast.publication).is_ready
    release = release_publication(cast.users["chair"], "chair", cast.publication)

    assert release.version == v2 and release.content_hash == v2.content_hash
    with release.bundle.open("rb") as stored:
        final = stored.read()
    with zipfile.ZipFile(io.BytesIO(final)) as zf:
        record = json.loads(zf.read(REVIEW_RECORD_JSON))
        manifest = json.loads(zf.read("bundle.json"))
        digests = [
            (f["path"], hashlib.sha256(zf.read(f["path"])).hexdigest()) for f in manifest["files"]
        ]
    assert compute_content_hash(digests) == v2.content_hash  # files unchanged since approval
    assert record["content_hash"] == manifest["content_hash"] == v2.content_hash
    assert {d["reviewer"] for d in record["decisions"]} == {"rev1", "rev2"}
    assert all(d["content_hash"] == v2.content_hash for d in record["decisions"])
    assert record["released_by"] == "chair"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "thread_opened",
        "comment_added",
        "thread_addressed",
        "thread_resolved",
        "decision_recorded",
        "version_uploaded",
        "publication_released",
    } <= actions


def test_release_needs_the_quorum_on_the_exact_version(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    approve(cast, "reviewer", v1)
    approve(cast, "reviewer2", v1, Outcome.APPROVE_WITH_CHANGES)
    readiness = assess_release(cast.publication)
    assert len(readiness.approvals) == 1 and not readiness.is_ready
    approve(cast, "reviewer2", v1)  # a later decision replaces the earlier one
    assert assess_release(cast.publication).is_ready
    approve(cast, "reviewer2", v1, Outcome.DO_NOT_APPROVE)
    assert not assess_release(cast.publication).is_ready


def test_only_the_chair_releases(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    approve(cast, "reviewer", v1)
    approve(cast, "reviewer2", v1)
    for role in ("analyst", "reviewer", "administrator"):
        with pytest.raises(PermissionDenied):
            release_publication(cast.users[role], role, cast.publication)


def test_changed_stored_bundle_voids_the_approvals(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    approve(cast, "reviewer", v1)
    approve(cast, "reviewer2", v1)
    other = build_sample_bundle(5)
    with open(v1.bundle.path, "wb") as stored:
        stored.write(other)
    with pytest.raises(ReviewError, match="no longer matches the approved content hash"):
        release_publication(cast.users["chair"], "chair", cast.publication)
    assert not cast.publication.is_released


def test_release_freezes_the_publication(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    thread = comment(cast, "reviewer", v1, "offenders_sex")
    resolve(cast.users["reviewer"], thread)
    approve(cast, "reviewer", v1)
    approve(cast, "reviewer2", v1)
    release_publication(cast.users["chair"], "chair", cast.publication)
    cast.publication.refresh_from_db()
    with pytest.raises(PermissionDenied):
        comment(cast, "reviewer", v1, "offenders_sex")
    with pytest.raises(PermissionDenied):
        approve(cast, "reviewer", v1)
    with pytest.raises(PermissionDenied):
        reopen(cast.users["reviewer"], thread)
    with pytest.raises(ReviewError, match="released"):
        revise(cast, 1)


def test_thread_status_rules(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    thread = comment(cast, "reviewer", v1, "offenders_sex")
    with pytest.raises(PermissionDenied):
        mark_addressed(cast.users["reviewer"], "reviewer", thread)
    with pytest.raises(PermissionDenied):
        resolve(cast.users["reviewer2"], thread)  # not the commenter
    mark_addressed(cast.users["analyst"], "analyst", thread)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.ADDRESSED
    reopen(cast.users["reviewer"], thread)
    resolve(cast.users["reviewer"], thread)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.RESOLVED
    with pytest.raises(PermissionDenied):
        open_thread(cast.users["analyst"], "analyst", v1, v1.anchors.first(), "x")  # type: ignore[arg-type]


def test_comments_only_on_the_latest_version(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    revise(cast, 1)
    with pytest.raises(PermissionDenied):
        comment(cast, "reviewer", v1, "offenders_sex")
    with pytest.raises(PermissionDenied):
        approve(cast, "reviewer", v1)


def test_identical_revision_is_refused(cast: Cast) -> None:
    with pytest.raises(ReviewError, match="identical"):
        revise(cast, 0)


def test_stored_bundle_is_the_uploaded_one(cast: Cast) -> None:
    v1 = cast.publication.latest_version()
    assert v1 is not None
    with v1.bundle.open("rb") as stored:
        checked = check_bundle(stored, v1.bundle.size, REVIEW_SETTINGS)
    assert checked.manifest.content_hash == v1.content_hash
    assert checked.sha256 == v1.bundle_sha256
