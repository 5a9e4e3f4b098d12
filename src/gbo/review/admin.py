"""Django admin: accounts and groups are managed here; the review's own records are read-only.

Every change to a publication goes through the app, so that it is checked and audited; the
admin only shows those records.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gbo.review.models import (
    AuditEvent,
    Comment,
    Decision,
    Membership,
    Publication,
    Release,
    Thread,
    Version,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "quorum", "created_by", "created_at"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["publication", "user", "role", "created_at"]
    list_filter = ["role"]


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["publication", "number", "content_hash", "uploaded_by", "uploaded_at"]
    exclude = ["files"]


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["publication", "anchor_kind", "anchor_id", "status", "opened_by"]
    list_filter = ["status"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["thread", "author", "version", "created_at"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["version", "reviewer", "outcome", "content_hash", "created_at"]


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["publication", "version", "content_hash", "released_by", "released_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_username", "action", "publication", "object_type", "object_id"]
    list_filter = ["action"]
