"""Account management in the Django admin by administrators who are not superusers.

Administrators (the ``administrator`` group, ``is_staff``) may list, add and change accounts
and read groups; they cannot make anyone a superuser, grant raw permissions, put anyone in a
group other than the site groups, open a superuser's account, change their own groups or
active flag, or delete accounts. Superusers keep Django's stock admin. Every account change
is written to the review's audit log too. Real test client, real database, no mocks.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.urls import reverse

from gbo.review.access import ADMINISTRATOR_PERMISSIONS, SITE_GROUPS
from gbo.review.accounts import add_user
from gbo.review.models import AuditEvent
from tests.review.conftest import make_user

PASSWORD = "a-long-throwaway-passphrase-42"
USERS = "/admin/auth/user/"


def change_url(user: User) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def group(name: str) -> Group:
    return Group.objects.get(name=name)


def refreshed(user: User) -> User:
    return User.objects.get(pk=user.pk)


def group_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def change_form(user: User, **override: Any) -> dict[str, Any]:
    """What the change form posts for this account as it stands, with some values replaced."""
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "groups": [g.pk for g in user.groups.all()],
        "_save": "Save",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(override)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def administrator(db: None) -> User:
    """An administrator made as ``gbo review adduser --administrator`` makes one."""
    add_user("acc-admin", is_administrator=True)
    user = User.objects.get(username="acc-admin")
    assert user.is_staff and not user.is_superuser
    return user


@pytest.fixture
def admin_client(administrator: User) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def reviewer(db: None) -> User:
    user = make_user("plain-reviewer")
    assert isinstance(user, User)
    return user


@pytest.fixture
def superuser(db: None) -> User:
    user = make_user("root", administrator=True)
    assert isinstance(user, User) and user.is_superuser
    return user


# --- The permissions the migration grants -----------------------------------------------------


def administrator_codenames() -> set[tuple[str, str]]:
    return set(
        group("administrator").permissions.values_list("content_type__app_label", "codename")
    )


def test_the_migrated_database_gives_administrators_exactly_their_permissions(db: None) -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(SITE_GROUPS)
    assert administrator_codenames() == {
        ("auth", "view_user"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_group"),
    }
    assert not group("analyst").permissions.exists()


def test_the_migration_makes_the_groups_and_takes_back_extra_permissions(db: None) -> None:
    migration = importlib.import_module("gbo.review.migrations.0003_site_groups")
    Group.objects.filter(name="analyst").delete()
    group("administrator").permissions.add(
        Permission.objects.get(content_type__app_label="auth", codename="delete_user"),
        Permission.objects.get(content_type__app_label="review", codename="change_publication"),
    )
    # RunPython's schema editor is used only for its connection.
    migration.grant(apps, SimpleNamespace(connection=connection))
    assert group("analyst")
    assert {codename for _, codename in administrator_codenames()} == set(ADMINISTRATOR_PERMISSIONS)


# --- What an administrator can do ---------------------------------------------------------------


def test_an_administrator_sees_accounts_but_not_the_review_records(admin_client: Client) -> None:
    index = admin_client.get("/admin/")
    assert index.status_code == 200
    assert USERS.encode() in index.content and b"/admin/auth/group/" in index.content
    assert b"/admin/review/" not in index.content
    assert admin_client.get(USERS).status_code == 200
    assert admin_client.get("/admin/auth/group/").status_code == 200
    assert admin_client.get("/admin/review/publication/").status_code == 403
    assert admin_client.get("/admin/review/auditevent/").status_code == 403


def test_an_administrator_adds_an_analyst_account(
    admin_client: Client, administrator: User
) -> None:
    form = admin_client.get(USERS + "add/")
    assert form.status_code == 200
    assert b'name="is_superuser"' not in form.content
    assert b'name="user_permissions"' not in form.content
    response = admin_client.post(
        USERS + "add/",
        {
            "username": "new-analyst",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "groups": [group("analyst").pk],
            # Crafted: none of these is on the form, so none may take effect.
            "is_superuser": "on",
            "is_staff": "on",
            "user_permissions": [Permission.objects.get(codename="delete_user").pk],
        },
    )
    assert response.status_code == 302, response.content
    user = User.objects.get(username="new-analyst")
    assert group_names(user) == {"analyst"}
    assert not user.is_superuser and not user.is_staff
    assert not user.user_permissions.exists()
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="account_added", object_id=str(user.pk))
    assert event.actor_id == administrator.pk and event.object_type == "user"
    assert event.detail["groups"] == "analyst" and event.detail["superuser"] is False
    assert PASSWORD not in str(event.detail)
    assert LogEntry.objects.filter(object_id=str(user.pk), user=administrator).exists()


def test_an_administrator_puts_an_account_in_the_analyst_group(
    admin_client: Client, administrator: User, reviewer: User
) -> None:
    assert admin_client.get(change_url(reviewer)).status_code == 200
    response = admin_client.post(
        change_url(reviewer), change_form(reviewer, groups=[group("analyst").pk])
    )
    assert response.status_code == 302, response.content
    assert group_names(reviewer) == {"analyst"}
    event = AuditEvent.objects.filter(action="account_changed").latest("pk")
    assert event.actor_id == administrator.pk and event.object_id == str(reviewer.pk)
    assert "Groups" in event.detail["change"] and event.detail["groups"] == "analyst"
    audit_page = admin_client.get(reverse("review:audit"))
    assert b"Account changed" in audit_page.content


def test_is_staff_follows_the_administrator_group(admin_client: Client, reviewer: User) -> None:
    admin_client.post(
        change_url(reviewer), change_form(reviewer, groups=[group("administrator").pk])
    )
    assert refreshed(reviewer).is_staff
    admin_client.post(change_url(reviewer), change_form(reviewer, groups=[], is_staff="on"))
    assert group_names(reviewer) == set() and not refreshed(reviewer).is_staff


def test_an_administrator_deactivates_an_account(admin_client: Client, reviewer: User) -> None:
    response = admin_client.post(change_url(reviewer), change_form(reviewer, is_active=None))
    assert response.status_code == 302
    assert not refreshed(reviewer).is_active
    assert AuditEvent.objects.filter(action="account_changed", detail__active=False).exists()


def test_an_administrator_sets_another_accounts_password(
    admin_client: Client, reviewer: User
) -> None:
    url = reverse("admin:auth_user_password_change", args=[reviewer.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert refreshed(reviewer).check_password(PASSWORD)
    event = AuditEvent.objects.filter(action="account_changed").latest("pk")
    assert event.object_id == str(reviewer.pk) and PASSWORD not in str(event.detail)


# --- What an administrator cannot do ------------------------------------------------------------


@pytest.mark.parametrize("whose", ["another", "own"])
def test_crafted_posts_cannot_make_a_superuser_or_grant_permissions(
    admin_client: Client, administrator: User, reviewer: User, whose: str
) -> None:
    target = administrator if whose == "own" else reviewer
    form = admin_client.get(change_url(target))
    assert form.status_code == 200
    for field in ("is_superuser", "user_permissions", "is_staff", "last_login", "date_joined"):
        assert f'name="{field}"'.encode() not in form.content, field
    staff_before = refreshed(target).is_staff
    response = admin_client.post(
        change_url(target),
        change_form(
            target,
            is_superuser="on",
            is_staff="on",
            user_permissions=[p.pk for p in Permission.objects.all()],
            last_login="2000-01-01 00:00:00",
            date_joined="2000-01-01 00:00:00",
        ),
    )
    # Fields not on the form are ignored: the save goes through and changes none of them.
    assert response.status_code == 302, response.content
    after = refreshed(target)
    assert not after.is_superuser
    assert not after.user_permissions.exists()
    assert after.is_staff == staff_before
    assert after.date_joined.year != 2000
    assert after.last_login is None or after.last_login.year != 2000


def test_groups_other_than_the_site_groups_are_refused(
    admin_client: Client, reviewer: User
) -> None:
    powerful = Group.objects.create(name="powerful")
    powerful.permissions.set(Permission.objects.all())
    form = admin_client.get(change_url(reviewer))
    assert b"powerful" not in form.content
    response = admin_client.post(change_url(reviewer), change_form(reviewer, groups=[powerful.pk]))
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert group_names(reviewer) == set()


def test_groups_a_superuser_gave_are_kept_when_an_administrator_edits(
    admin_client: Client, reviewer: User
) -> None:
    other = Group.objects.create(name="other-team")
    reviewer.groups.add(other)
    response = admin_client.post(
        change_url(reviewer), change_form(reviewer, groups=[group("analyst").pk])
    )
    assert response.status_code == 302
    assert group_names(reviewer) == {"analyst", "other-team"}


def test_an_administrator_cannot_open_or_change_a_superuser(
    admin_client: Client, superuser: User
) -> None:
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    history_url = reverse("admin:auth_user_history", args=[superuser.pk])
    for url in (change_url(superuser), password_url, history_url):
        assert admin_client.get(url).status_code == 403, url
    assert (
        admin_client.post(change_url(superuser), change_form(superuser, is_active=None)).status_code
        == 403
    )
    response = admin_client.post(
        password_url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 403
    after = refreshed(superuser)
    assert after.is_active and after.is_superuser and not after.check_password(PASSWORD)


def test_an_administrator_cannot_change_their_own_groups_or_deactivate_themselves(
    admin_client: Client, administrator: User
) -> None:
    form = admin_client.get(change_url(administrator))
    assert form.status_code == 200
    assert b'name="groups"' not in form.content and b'name="is_active"' not in form.content
    response = admin_client.post(
        change_url(administrator),
        change_form(administrator, groups=[group("analyst").pk], is_active=None, first_name="A"),
    )
    assert response.status_code == 302
    after = refreshed(administrator)
    assert after.first_name == "A"  # their own name they may change
    assert group_names(after) == {"administrator"}
    assert after.is_active and after.is_staff


def test_an_administrator_cannot_delete_accounts(admin_client: Client, reviewer: User) -> None:
    delete_url = reverse("admin:auth_user_delete", args=[reviewer.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(USERS)
    assert b"delete_selected" not in changelist.content
    admin_client.post(
        USERS, {"action": "delete_selected", "_selected_action": [reviewer.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=reviewer.pk).exists()


def test_an_administrator_reads_groups_but_cannot_change_them(admin_client: Client) -> None:
    administrators = group("administrator")
    url = reverse("admin:auth_group_change", args=[administrators.pk])
    view = admin_client.get(url)
    assert view.status_code == 200 and b'name="permissions"' not in view.content
    delete_user = Permission.objects.get(content_type__app_label="auth", codename="delete_user")
    response = admin_client.post(url, {"name": "administrator", "permissions": [delete_user.pk]})
    assert response.status_code == 403
    assert admin_client.get(reverse("admin:auth_group_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:auth_group_delete", args=[administrators.pk])).status_code
        == 403
    )
    assert not administrators.permissions.filter(codename="delete_user").exists()


def test_permissions_granted_by_hand_do_not_widen_what_an_administrator_can_do(
    admin_client: Client, administrator: User, reviewer: User, superuser: User
) -> None:
    """Someone gives the group every auth permission: the admin still holds the line."""
    group("administrator").permissions.set(
        Permission.objects.filter(content_type__app_label="auth")
    )
    assert (
        admin_client.get(reverse("admin:auth_user_delete", args=[reviewer.pk])).status_code == 403
    )
    admin_client.post(
        USERS, {"action": "delete_selected", "_selected_action": [reviewer.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=reviewer.pk).exists()
    administrators = group("administrator")
    url = reverse("admin:auth_group_change", args=[administrators.pk])
    assert admin_client.post(url, {"name": "administrator", "permissions": []}).status_code == 403
    assert administrators.permissions.exists()
    assert admin_client.get(reverse("admin:auth_group_add")).status_code == 403
    assert admin_client.get(change_url(superuser)).status_code == 403
    response = admin_client.post(
        change_url(reviewer),
        change_form(
            reviewer,
            is_superuser="on",
            user_permissions=[p.pk for p in Permission.objects.all()],
        ),
    )
    assert response.status_code == 302
    assert not refreshed(reviewer).is_superuser and not reviewer.user_permissions.exists()


# --- Everyone else --------------------------------------------------------------------------


@pytest.mark.parametrize("analyst", [False, True])
def test_reviewers_and_analysts_are_sent_to_the_admin_sign_in(db: None, analyst: bool) -> None:
    user = make_user("someone", analyst=analyst)
    client = Client()
    client.force_login(user)
    admin_login = reverse("admin:login")
    for url in ("/admin/", USERS, USERS + "add/", f"{USERS}{user.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(admin_login), url
    response = client.post(f"{USERS}{user.pk}/change/", {"is_superuser": "on"})
    assert response.status_code == 302
    assert not refreshed(user).is_superuser


def test_superusers_keep_the_stock_admin(superuser: User, reviewer: User) -> None:
    client = Client()
    client.force_login(superuser)
    powerful = Group.objects.create(name="powerful")
    form = client.get(change_url(reviewer))
    assert b'name="is_superuser"' in form.content and b"powerful" in form.content
    response = client.post(
        change_url(reviewer),
        change_form(
            reviewer,
            is_superuser="on",
            is_staff="on",
            groups=[powerful.pk],
            date_joined_0=f"{reviewer.date_joined:%Y-%m-%d}",
            date_joined_1=f"{reviewer.date_joined:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302
    after = refreshed(reviewer)
    assert after.is_superuser and after.is_staff and group_names(after) == {"powerful"}
    assert client.get(reverse("admin:auth_user_delete", args=[reviewer.pk])).status_code == 200
    event = AuditEvent.objects.filter(action="account_changed").latest("pk")
    assert event.actor_id == superuser.pk and event.detail["superuser"] is True


def test_the_command_line_records_the_accounts_it_adds(db: None) -> None:
    add_user("from-cli", is_analyst=True)
    event = AuditEvent.objects.get(action="account_added", detail__account="from-cli")
    assert event.actor_id is None and event.actor_username == "(system)"
    assert event.detail["groups"] == "analyst"
