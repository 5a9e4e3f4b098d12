"""Decisions and the release rule.

A reviewer's decision is bound to the content hash of the version it was made on. The chair
may release the latest version only when at least ``quorum`` reviewers' latest decisions on
that version are *approve* with that version's hash, and no thread is open or addressed
(every thread resolved by its commenter). Before releasing, the stored bundle is checked again
so that a file changed on disk cannot be released under an approval of other content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gbo.errors import ReviewError
from gbo.review.audit_log import record_event
from gbo.review.bundle.final import RECORD_FORMAT, RECORD_FORMAT_VERSION, write_final_bundle
from gbo.review.bundle.upload import check_bundle
from gbo.review.models import (
    Decision,
    Membership,
    Outcome,
    Publication,
    Release,
    Role,
    Thread,
    ThreadStatus,
    Version,
)
from gbo.review.settings import REVIEW_SETTINGS


@dataclass
class Readiness:
    """Whether the latest version can be released, and every reason why not."""

    version: Version | None
    quorum: int
    approvals: list[Decision] = field(default_factory=list)
    current: list[Decision] = field(default_factory=list)
    n_unresolved_threads: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def is_ready(self) -> bool:
        return not self.reasons


def current_decisions(version: Version) -> list[Decision]:
    """Each current reviewer's latest decision on this version, if any."""
    reviewers = set(
        Membership.objects.filter(
            publication_id=version.publication_id, role=Role.REVIEWER
        ).values_list("user_id", flat=True)
    )
    latest: dict[int, Decision] = {}
    for decision in version.decisions.select_related("reviewer").order_by("created_at", "pk"):
        if decision.reviewer_id in reviewers:
            latest[decision.reviewer_id] = decision
    return sorted(latest.values(), key=lambda d: d.created_at)


def assess_release(publication: Publication) -> Readiness:
    version = publication.latest_version()
    readiness = Readiness(version=version, quorum=publication.quorum)
    if publication.is_released:
        readiness.reasons.append("This publication has already been released.")
    if version is None:
        readiness.reasons.append("There is no version to release.")
        return readiness
    readiness.current = current_decisions(version)
    readiness.approvals = [
        d
        for d in readiness.current
        if d.outcome == Outcome.APPROVE and d.content_hash == version.content_hash
    ]
    if len(readiness.approvals) < publication.quorum:
        readiness.reasons.append(
            f"{len(readiness.approvals)} of the {publication.quorum} approvals needed have been "
            f"given on version {version.number}."
        )
    readiness.n_unresolved_threads = (
        Thread.objects.filter(publication=publication).exclude(status=ThreadStatus.RESOLVED).count()
    )
    if readiness.n_unresolved_threads:
        readiness.reasons.append(
            f"{readiness.n_unresolved_threads} comment thread(s) are not yet resolved."
        )
    return readiness


def record_decision(
    user: User, role: str | None, version: Version, outcome: str, note: str
) -> Decision:
    if role != Role.REVIEWER:
        raise PermissionDenied("Only reviewers record decisions")
    publication = version.publication
    if publication.is_released:
        raise PermissionDenied("This publication has been released and is frozen")
    latest = publication.latest_version()
    if latest is None or latest.pk != version.pk:
        raise PermissionDenied("Decisions can only be recorded on the latest version")
    with transaction.atomic():
        decision = Decision.objects.create(
            version=version,
            reviewer=user,
            outcome=outcome,
            content_hash=version.content_hash,
            note=note,
        )
        record_event(
            user,
            "decision_recorded",
            publication,
            decision,
            outcome=outcome,
            version=version.number,
            content_hash=version.content_hash,
        )
    return decision


def _review_record(
    publication: Publication, readiness: Readiness, user: User, when: str
) -> dict[str, object]:
    version = readiness.version
    assert version is not None
    return {
        "format": RECORD_FORMAT,
        "format_version": RECORD_FORMAT_VERSION,
        "publication": publication.title,
        "version": version.number,
        "run_id": version.run_id,
        "content_hash": version.content_hash,
        "quorum": publication.quorum,
        "released_by": user.get_username(),
        "released_at": when,
        "decisions": [
            {
                "reviewer": d.reviewer.get_username(),
                "outcome": d.outcome,
                "content_hash": d.content_hash,
                "decided_at": d.created_at.isoformat(),
            }
            for d in readiness.current
        ],
        "n_threads": Thread.objects.filter(publication=publication).count(),
    }


def release_publication(user: User, role: str | None, publication: Publication) -> Release:
    """Release the latest version if the rule allows; freeze it and write the final bundle."""
    if role != Role.CHAIR:
        raise PermissionDenied("Only the chair releases a publication")
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        readiness = assess_release(locked)
        if not readiness.is_ready or readiness.version is None:
            raise ReviewError("This version cannot be released yet: " + " ".join(readiness.reasons))
        version = readiness.version
        with version.bundle.open("rb") as stored:
            checked = check_bundle(stored, version.bundle.size, REVIEW_SETTINGS)
            if checked.manifest.content_hash != version.content_hash:
                raise ReviewError(
                    "The stored bundle no longer matches the approved content hash.",
                    hint="the file was changed on the server; approvals do not carry over",
                )
            now = timezone.now()
            record = _review_record(locked, readiness, user, now.isoformat())
            stored.seek(0)
            final = write_final_bundle(stored, record)
        release = Release(
            publication=locked,
            version=version,
            content_hash=version.content_hash,
            released_by=user,
            released_at=now,
            bundle_sha256=hashlib.sha256(final).hexdigest(),
            record=record,
        )
        release.bundle.save(f"{version.content_hash}-released.zip", ContentFile(final), save=False)
        release.save()
        record_event(
            user,
            "publication_released",
            locked,
            release,
            version=version.number,
            content_hash=version.content_hash,
            approvals=[d.reviewer.get_username() for d in readiness.approvals],
        )
    return release
