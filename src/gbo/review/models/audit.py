"""The audit log: every action, append-only (enforced here and by database triggers)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(f"the audit log is append-only: {what} is not allowed")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        _refuse("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse("delete")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        _refuse("bulk update")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update or create")


class AuditEvent(models.Model):
    """One action: who, when, what, on which publication and object."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    publication = models.ForeignKey(
        "review.Publication", on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changing an event")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("deleting an event")
