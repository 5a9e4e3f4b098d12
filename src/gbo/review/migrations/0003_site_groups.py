"""The site groups, and exactly the Django permissions the administrator group holds.

Administrators may view, add and change accounts and view groups: accounts are deactivated,
never deleted, so the audit trail keeps its authors. Nothing on the review's own models (the
admin shows those read-only to superusers). The permission list is copied here, not imported,
so this migration keeps meaning what it meant when it was written.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "administrator"
ANALYST = "analyst"
ADMINISTRATOR_PERMISSIONS = ["view_user", "add_user", "change_user", "view_group"]


def _permissions(apps: Any, using: str) -> list[Any]:
    # On a new database the auth permissions are made only after every migration has run
    # (post_migrate); make them now so that they can be granted here.
    create_permissions(global_apps.get_app_config("auth"), verbosity=0, using=using, apps=apps)
    permission = apps.get_model("auth", "Permission")
    found = list(
        permission.objects.using(using).filter(
            content_type__app_label="auth", codename__in=ADMINISTRATOR_PERMISSIONS
        )
    )
    if len(found) != len(ADMINISTRATOR_PERMISSIONS):
        raise RuntimeError("the auth permissions for the administrator group are missing")
    return found


def grant(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    group = apps.get_model("auth", "Group")
    for name in (ADMINISTRATOR, ANALYST):
        group.objects.using(using).get_or_create(name=name)
    administrators = group.objects.using(using).get(name=ADMINISTRATOR)
    administrators.permissions.set(_permissions(apps, using))


def revoke(apps: Any, schema_editor: Any) -> None:
    """Take the permissions back; the groups stay (accounts may be in them)."""
    using = schema_editor.connection.alias
    group = apps.get_model("auth", "Group")
    administrators = group.objects.using(using).filter(name=ADMINISTRATOR).first()
    if administrators is not None:
        administrators.permissions.remove(
            *administrators.permissions.filter(
                content_type__app_label="auth", codename__in=ADMINISTRATOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_audit_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
