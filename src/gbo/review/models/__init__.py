"""The review app's tables: publications and their versions, threads, decisions, audit."""

from gbo.review.models.audit import AppendOnlyError, AuditEvent
from gbo.review.models.decisions import Decision, Outcome, Override, Release
from gbo.review.models.notices import Notice
from gbo.review.models.publications import (
    Anchor,
    AnchorKind,
    Membership,
    Publication,
    Role,
    Version,
)
from gbo.review.models.threads import Comment, Thread, ThreadStatus

__all__ = [
    "Anchor",
    "AnchorKind",
    "AppendOnlyError",
    "AuditEvent",
    "Comment",
    "Decision",
    "Membership",
    "Notice",
    "Outcome",
    "Override",
    "Publication",
    "Release",
    "Role",
    "Thread",
    "ThreadStatus",
    "Version",
]
