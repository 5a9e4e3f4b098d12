"""Decisions and the release rule.

A reviewer's decision is bound to the content hash of the version it was made on. The chair
may release the latest version only when

* at least ``quorum`` reviewers' latest decisions on that version are *approve* with that
  version's hash (the quorum is never below ``min_quorum``);
* no reviewer's *do not approve* stands: a reviewer's latest decision on the publication (on
  any version) that is *do not approve* blocks release until they record another decision or
  the chair overrides it with a recorded reason;
* no thread is open or addressed (every thread resolved by its commenter).

Administrators manage accounts and do not decide: their decisions are refused and never
counted, even if they hold a reviewer's membership. Before releasing, the stored bundle is
checked again so that a file changed on disk cannot be released under an approval of other
content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gbo.bundle.format import REVIEW_RECORD_FORMAT, REVIEW_RECORD_FORMAT_VERSION
from gbo.errors import ReviewError
from gbo.review.access import ADMINISTRATOR_GROUP, is_administrator
from gbo.review.audit_log import record_event
from gbo.review.bundle.final import write_final_bundle
from gbo.review.bundle.upload import check_bundle
from gbo.review.models import (
    Decision,
    Membership,
    Outcome,
    Override,
    Publication,
    Release,
    Role,
    Thread,
    ThreadStatus,
    Version,
)
from gbo.review.settings import REVIEW_SETTINGS, review_settings


@dataclass
class Readiness:
    """Whether the latest version can be released, and every reason why not."""

    version: Version | None
    quorum: int
    approvals: list[Decision] = field(default_factory=list)
    current: list[Decision] = field(default_factory=list)
    objections: list[Decision] = field(default_factory=list)
    overridden: list[Decision] = field(default_factory=list)
    n_unresolved_threads: int = 0
    decision_reasons: list[str] = field(default_factory=list)
    other_reasons: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Every reason why not, those about decisions first."""
        return self.other_reasons[:1] + self.decision_reasons + self.other_reasons[1:]

    @property
    def is_ready(self) -> bool:
        return not self.decision_reasons and not self.other_reasons


def effective_quorum(publication: Publication) -> int:
    """The publication's quorum, never below the configured minimum."""
    return max(publication.quorum, review_settings().min_quorum)


def counted_reviewers(publication_id: int) -> set[int]:
    """Current reviewers whose decisions count: members as reviewer, not administrators."""
    return set(
        Membership.objects.filter(publication_id=publication_id, role=Role.REVIEWER)
        .exclude(user__is_superuser=True)
        .exclude(user__groups__name=ADMINISTRATOR_GROUP)
        .values_list("user_id", flat=True)
    )


def current_decisions(version: Version) -> list[Decision]:
    """Each current reviewer's latest decision on this version, if any."""
    reviewers = counted_reviewers(version.publication_id)
    latest: dict[int, Decision] = {}
    for decision in version.decisions.select_related("reviewer").order_by("created_at", "pk"):
        if decision.reviewer_id in reviewers:
            latest[decision.reviewer_id] = decision
    return sorted(latest.values(), key=lambda d: d.created_at)


def latest_on_publication(publication: Publication) -> list[Decision]:
    """Each current reviewer's latest decision on any version of the publication."""
    reviewers = counted_reviewers(publication.pk)
    latest: dict[int, Decision] = {}
    decisions = (
        Decision.objects.filter(version__publication=publication)
        .select_related("reviewer", "version", "override")
        .order_by("created_at", "pk")
    )
    for decision in decisions:
        if decision.reviewer_id in reviewers:
            latest[decision.reviewer_id] = decision
    return sorted(latest.values(), key=lambda d: d.created_at)


def objections(publication: Publication) -> tuple[list[Decision], list[Decision]]:
    """Standing *do not approve* decisions, and those the chair has overridden."""
    standing: list[Decision] = []
    overridden: list[Decision] = []
    for decision in latest_on_publication(publication):
        if decision.outcome != Outcome.DO_NOT_APPROVE:
            continue
        (overridden if hasattr(decision, "override") else standing).append(decision)
    return standing, overridden


def assess_release(publication: Publication) -> Readiness:
    version = publication.latest_version()
    readiness = Readiness(version=version, quorum=effective_quorum(publication))
    if publication.is_released:
        readiness.other_reasons.append("This publication has already been released.")
    if version is None:
        readiness.other_reasons.append("There is no version to release.")
        return readiness
    readiness.current = current_decisions(version)
    readiness.approvals = [
        d
        for d in readiness.current
        if d.outcome == Outcome.APPROVE and d.content_hash == version.content_hash
    ]
    if len(readiness.approvals) < readiness.quorum:
        readiness.decision_reasons.append(
            f"{len(readiness.approvals)} of the {readiness.quorum} approvals needed have been "
            f"given on version {version.number}."
        )
    readiness.objections, readiness.overridden = objections(publication)
    for d in readiness.objections:
        readiness.decision_reasons.append(
            f"{d.reviewer.get_username()}'s decision 'Do not approve' (on version "
            f"{d.version.number}) stands until they record another decision or the chair "
            "overrides it with a reason."
        )
    readiness.n_unresolved_threads = (
        Thread.objects.filter(publication=publication).exclude(status=ThreadStatus.RESOLVED).count()
    )
    if readiness.n_unresolved_threads:
        readiness.other_reasons.append(
            f"{readiness.n_unresolved_threads} comment thread(s) are not yet resolved."
        )
    return readiness


def decisions_hidden(
    user: User, role: str | None, publication: Publication, version: Version
) -> bool:
    """Blind decisions: a reviewer sees others' decisions on a version once they have made theirs.

    With ``blind_decisions`` on (the default) and the publication not yet released.
    """
    if not review_settings().blind_decisions or role != Role.REVIEWER or publication.is_released:
        return False
    return not Decision.objects.filter(version=version, reviewer=user).exists()


def override_objection(
    user: User, role: str | None, publication: Publication, decision_pk: int, reason: str
) -> Override:
    """The chair overrides a standing *do not approve*, with a reason (audit-logged)."""
    if role != Role.CHAIR or is_administrator(user):
        raise PermissionDenied("Only the chair overrides a decision")
    if publication.is_released:
        raise PermissionDenied("This publication has been released and is frozen")
    reason = reason.strip()
    if not reason:
        raise ReviewError("Give the reason for overriding the decision.")
    with transaction.atomic():
        Publication.objects.select_for_update().get(pk=publication.pk)
        standing, _ = objections(publication)
        decision = next((d for d in standing if d.pk == decision_pk), None)
        if decision is None:
            raise ReviewError(
                "That decision is not a standing 'Do not approve'.",
                hint="it may have been withdrawn or overridden already",
            )
        override = Override.objects.create(decision=decision, overridden_by=user, reason=reason)
        record_event(
            user,
            "objection_overridden",
            publication,
            override,
            reviewer=decision.reviewer.get_username(),
            decision_id=decision.pk,
            version=decision.version.number,
            content_hash=decision.content_hash,
            reason=reason,
        )
    return override


def record_decision(
    user: User, role: str | None, version: Version, outcome: str, note: str
) -> Decision:
    if role != Role.REVIEWER:
        raise PermissionDenied("Only reviewers record decisions")
    if is_administrator(user):
        raise PermissionDenied("Administrators manage accounts; they do not decide")
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
        "format": REVIEW_RECORD_FORMAT,
        "format_version": REVIEW_RECORD_FORMAT_VERSION,
        "publication": publication.title,
        "version": version.number,
        "run_id": version.run_id,
        "content_hash": version.content_hash,
        "quorum": readiness.quorum,
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
        "overridden": [
            {
                "reviewer": d.reviewer.get_username(),
                "outcome": d.outcome,
                "version": d.version.number,
                "content_hash": d.content_hash,
                "decided_at": d.created_at.isoformat(),
                "overridden_by": d.override.overridden_by.get_username(),
                "overridden_at": d.override.created_at.isoformat(),
                "reason": d.override.reason,
            }
            for d in readiness.overridden
        ],
        "n_threads": Thread.objects.filter(publication=publication).count(),
    }


def release_publication(user: User, role: str | None, publication: Publication) -> Release:
    """Release the latest version if the rule allows; freeze it and write the final bundle."""
    if role != Role.CHAIR or is_administrator(user):
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
            overridden=[d.reviewer.get_username() for d in readiness.overridden],
        )
    return release
