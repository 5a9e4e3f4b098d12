"""What the app shows for stored values: labels, never raw codes such as ``do_not_approve``."""

from __future__ import annotations

from gbo.review.models import AnchorKind, Outcome, Role, ThreadStatus

ACTION_LABELS = {
    "publication_created": "Publication created",
    "version_uploaded": "Version uploaded",
    "member_added": "Member added",
    "member_removed": "Member removed",
    "quorum_set": "Quorum set",
    "thread_opened": "Thread opened",
    "comment_added": "Comment added",
    "thread_addressed": "Thread marked addressed",
    "thread_resolved": "Thread resolved",
    "thread_reopened": "Thread reopened",
    "decision_recorded": "Decision recorded",
    "objection_overridden": "'Do not approve' overridden by the chair",
    "publication_released": "Publication released",
    "account_added": "Account added",
    "account_changed": "Account changed",
    "account_deleted": "Account deleted",
    "group_added": "Group added",
    "group_changed": "Group changed",
    "group_deleted": "Group deleted",
}
# Every stored choice the app keeps, by its code: outcomes, roles, thread statuses, anchors.
VALUE_LABELS: dict[str, str] = {
    **{c.value: str(c.label) for c in Outcome},
    **{c.value: str(c.label) for c in Role},
    **{c.value: str(c.label) for c in ThreadStatus},
    **{c.value: str(c.label) for c in AnchorKind},
}


def outcome_label(code: str) -> str:
    return str(Outcome(code).label) if code in Outcome.values else code


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code.replace("_", " ").capitalize())


def value_label(value: object) -> str:
    """A detail's value as shown: a known code's label, anything else as it is."""
    text = str(value)
    return VALUE_LABELS.get(text, text)
