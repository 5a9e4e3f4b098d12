"""Writing to and reading from the audit log (the model refuses changes and deletes)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User

from gbo.review.models import AuditEvent, Publication

CSV_COLUMNS = [
    "event_id",
    "at",
    "actor",
    "action",
    "publication_id",
    "object_type",
    "object_id",
    "detail",
]


def record_event(
    actor: User | None,
    action: str,
    publication: Publication | None = None,
    target: Any = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event; call it inside the same transaction as the action it records."""
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor is not None else None,
        actor_username=actor.get_username() if actor is not None else "(system)",
        action=action,
        publication=publication,
        object_type=type(target).__name__.lower() if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        detail=detail,
    )


def record_account_event(actor: User | None, action: str, account: User, change: str) -> AuditEvent:
    """An account added, changed or deleted, with what changed and the account's access after.

    Never a password: ``change`` names the fields that changed (Django admin's summary).
    """
    groups = sorted(account.groups.values_list("name", flat=True)) if account.pk else []
    return record_event(
        actor,
        action,
        None,
        account,
        account=account.get_username(),
        change=change,
        groups=", ".join(groups),
        active=account.is_active,
        staff=account.is_staff,
        superuser=account.is_superuser,
    )


def describe(event: AuditEvent) -> str:
    """The event's details in a line: labels for codes, content hashes shortened to 12."""
    from gbo.review.labels import value_label

    parts = []
    for key, value in sorted(event.detail.items()):
        text = value_label(value)
        if key.endswith("hash") and len(text) == 64:
            text = text[:12]
        parts.append(f"{key.replace('_', ' ')}: {text}")
    return "; ".join(parts)


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in exported text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def events_as_csv(events: Iterable[AuditEvent]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            [
                e.pk,
                e.at.isoformat(),
                _cell(e.actor_username),
                e.action,
                e.publication_id or "",
                e.object_type,
                e.object_id,
                _cell(json.dumps(e.detail, sort_keys=True)),
            ]
        )
    return buffer.getvalue()
