"""Comment threads: open one on an anchor, reply, mark addressed, resolve and reopen.

Threads belong to the publication, not to a version, so they carry over to every later
version with the anchor they were opened on. Only the latest version can take new comments.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gbo.review.audit_log import record_event
from gbo.review.models import Anchor, Comment, Publication, Role, Thread, ThreadStatus, Version

COMMENTERS = (Role.REVIEWER, Role.CHAIR, Role.ANALYST)


def _require_latest_open(publication: Publication, version: Version) -> None:
    if publication.is_released:
        raise PermissionDenied("This publication has been released and is frozen")
    latest = publication.latest_version()
    if latest is None or latest.pk != version.pk:
        raise PermissionDenied("Comments can only be made on the latest version")


def open_thread(
    user: User, role: str | None, version: Version, anchor: Anchor, body: str
) -> Thread:
    if role not in (Role.REVIEWER, Role.CHAIR):
        raise PermissionDenied("Only reviewers and the chair open comment threads")
    publication = version.publication
    _require_latest_open(publication, version)
    with transaction.atomic():
        thread = Thread.objects.create(
            publication=publication,
            anchor_kind=anchor.kind,
            anchor_id=anchor.anchor_id,
            anchor_title=anchor.title,
            opened_on=version,
            opened_by=user,
        )
        comment = Comment.objects.create(thread=thread, author=user, version=version, body=body)
        record_event(
            user,
            "thread_opened",
            publication,
            thread,
            anchor=anchor.key,
            version=version.number,
            comment_id=comment.pk,
        )
    return thread


def reply(user: User, role: str | None, thread: Thread, body: str) -> Comment:
    if role not in COMMENTERS:
        raise PermissionDenied("Only members of this publication reply to comments")
    publication = thread.publication
    version = publication.latest_version()
    if version is None:
        raise PermissionDenied("This publication has no version")
    _require_latest_open(publication, version)
    with transaction.atomic():
        comment = Comment.objects.create(thread=thread, author=user, version=version, body=body)
        record_event(user, "comment_added", publication, comment, thread_id=thread.pk)
    return comment


def _set_status(
    user: User,
    thread: Thread,
    status: ThreadStatus,
    action: str,
    allowed_from: set[str],
) -> Thread:
    publication = thread.publication
    if publication.is_released:
        raise PermissionDenied("This publication has been released and is frozen")
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.status not in allowed_from:
            raise PermissionDenied(f"This thread is {locked.status}; it cannot be {status} now")
        before = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        record_event(user, action, publication, locked, before=before, after=str(status))
    return locked


def mark_addressed(user: User, role: str | None, thread: Thread) -> Thread:
    if role != Role.ANALYST:
        raise PermissionDenied("Only the analyst marks a thread addressed")
    return _set_status(user, thread, ThreadStatus.ADDRESSED, "thread_addressed", {"open"})


def resolve(user: User, thread: Thread) -> Thread:
    if thread.opened_by_id != user.pk:
        raise PermissionDenied("Only the person who opened a thread resolves it")
    return _set_status(
        user, thread, ThreadStatus.RESOLVED, "thread_resolved", {"open", "addressed"}
    )


def reopen(user: User, thread: Thread) -> Thread:
    if thread.opened_by_id != user.pk:
        raise PermissionDenied("Only the person who opened a thread reopens it")
    return _set_status(
        user, thread, ThreadStatus.OPEN, "thread_reopened", {"addressed", "resolved"}
    )
