"""Django admin: accounts are managed here; the review's own records are read-only.

Every change to a publication goes through the app, so that it is checked and audited; the
admin only shows those records (to superusers).

Administrators who are not superusers (the ``administrator`` group, see ``access``) hold only
``view_user``, ``add_user``, ``change_user`` and ``view_group``, and ``SiteUserAdmin`` narrows
what those allow: they cannot make anyone a superuser or grant raw permissions, can put people
only in the site groups, cannot touch a superuser's account, cannot change their own groups or
deactivate themselves, and cannot delete accounts (accounts are deactivated instead, so the
audit trail keeps its authors). ``is_staff`` follows the administrator group. Superusers keep
Django's stock behaviour. Every account change is also written to the review's audit log.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Model, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest

from gbo.review.access import ADMINISTRATOR_GROUP, SITE_GROUPS
from gbo.review.audit_log import record_account_event, record_event
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


def _is_superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _change_text(message: Any) -> str:
    """The admin's change message (a JSON list or text) as the sentence its history shows."""
    text = json.dumps(message) if isinstance(message, list) else str(message)
    return LogEntry(change_message=text).get_change_message() or "No fields changed."


# Fields a non-superuser administrator sees on an account, and those they may not edit.
LIMITED_ADD_FIELDSETS = (
    (
        None,
        {
            "classes": ("wide",),
            "fields": ("username", "usable_password", "password1", "password2"),
        },
    ),
    ("Site groups", {"fields": ("groups",)}),
)
LIMITED_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    ("Access", {"fields": ("is_active", "groups", "is_staff")}),
    ("Important dates", {"fields": ("last_login", "date_joined")}),
)
LIMITED_READ_ONLY = ["is_superuser", "user_permissions", "is_staff", "last_login", "date_joined"]
OWN_READ_ONLY = ["is_active", "groups"]


class SiteUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Accounts: Django's UserAdmin, narrowed for administrators who are not superusers."""

    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if _is_superuser(request):
            return super().get_fieldsets(request, obj)
        return LIMITED_ADD_FIELDSETS if obj is None else LIMITED_FIELDSETS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if _is_superuser(request):
            return super().get_readonly_fields(request, obj)
        fields = list(LIMITED_READ_ONLY)
        if obj is not None and obj.pk == request.user.pk:
            fields += OWN_READ_ONLY  # no self-promotion, no self-lockout
        return fields

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if db_field.name == "groups" and not _is_superuser(request):
            kwargs["queryset"] = Group.objects.filter(name__in=SITE_GROUPS).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _may_open(self, request: HttpRequest, obj: Any) -> bool:
        """Only a superuser may open a superuser's account (view, change, password, history)."""
        return _is_superuser(request) or obj is None or not obj.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and self._may_open(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and self._may_open(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request) and super().has_delete_permission(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        user = form.instance
        if _is_superuser(request):
            super().save_related(request, form, formsets, change)
            return
        # The groups field offers only the site groups: keep any other group a superuser gave.
        others = list(user.groups.exclude(name__in=SITE_GROUPS)) if change else []
        super().save_related(request, form, formsets, change)
        if others:
            user.groups.add(*others)
        is_staff = user.groups.filter(name=ADMINISTRATOR_GROUP).exists()
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        record_account_event(_actor(request), "account_added", obj, _change_text(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        record_account_event(_actor(request), "account_changed", obj, _change_text(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for user in queryset:
            record_account_event(_actor(request), "account_deleted", user, "Deleted.")
        return super().log_deletions(request, queryset)


class SiteGroupAdmin(GroupAdmin):
    """Groups: administrators who are not superusers may look, not change."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request) and super().has_delete_permission(request, obj)

    def _record(self, request: HttpRequest, action: str, group: Model, change: str) -> None:
        record_event(_actor(request), action, None, group, group=str(group), change=change)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        self._record(request, "group_added", obj, _change_text(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        self._record(request, "group_changed", obj, _change_text(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for group in queryset:
            self._record(request, "group_deleted", group, "Deleted.")
        return super().log_deletions(request, queryset)


for model, model_admin in ((User, SiteUserAdmin), (Group, SiteGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


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
