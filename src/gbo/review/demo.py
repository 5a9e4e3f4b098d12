"""The demo: accounts with throwaway passwords and a publication ready to review."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from gbo.review.access import (
    ADMINISTRATOR_GROUP,
    ADMINISTRATOR_PERMISSIONS,
    ANALYST_GROUP,
    SITE_GROUPS,
)
from gbo.review.audit_log import record_event
from gbo.review.models import Membership, Publication, Role
from gbo.review.sample_bundle import build_sample_bundle
from gbo.review.uploads import create_publication
from gbo.stages import stage_folder_name

DEMO_BUNDLE = Path("runs") / "latest" / stage_folder_name("publish") / "release-bundle.zip"
DEMO_TITLE = "Demo publication (synthetic data)"
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("demo-analyst", "analyst"),
    ("demo-reviewer-1", "reviewer"),
    ("demo-reviewer-2", "reviewer"),
    ("demo-chair", "chair"),
    ("demo-admin", "administrator"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str


def ensure_site_groups() -> None:
    """The site groups, the administrator group with exactly its permissions (as migration 0003).

    Run by ``gbo review migrate`` and ``serve``, so a permission granted to the group by hand
    is taken back: what administrators may do is decided here and in ``gbo.review.admin``.
    """
    for name in SITE_GROUPS:
        Group.objects.get_or_create(name=name)
    administrators = Group.objects.get(name=ADMINISTRATOR_GROUP)
    administrators.permissions.set(
        Permission.objects.filter(
            content_type__app_label="auth", codename__in=ADMINISTRATOR_PERMISSIONS
        )
    )


def demo_bundle(path: Path = DEMO_BUNDLE) -> tuple[bytes, str]:
    """The demo run's bundle if a run has made one, else the synthetic sample bundle."""
    if path.is_file():
        return path.read_bytes(), str(path)
    return build_sample_bundle(), "the built-in synthetic sample bundle"


def load_demo(bundle_path: Path = DEMO_BUNDLE) -> tuple[list[DemoAccount], Publication, str]:
    """Demo accounts (new throwaway passwords every time) and the demo publication."""
    ensure_site_groups()
    users = get_user_model()
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        for username, role in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            user, _ = users.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = user.is_superuser = role == "administrator"
            user.save()
            if role == "analyst":
                user.groups.add(Group.objects.get(name=ANALYST_GROUP))
            if role == "administrator":
                user.groups.add(Group.objects.get(name=ADMINISTRATOR_GROUP))
            accounts.append(DemoAccount(username, role, password))
    publication = Publication.objects.filter(title=DEMO_TITLE).first()
    data, source = demo_bundle(bundle_path)
    if publication is None:
        analyst = users.objects.get(username="demo-analyst")
        publication = create_publication(analyst, DEMO_TITLE, io.BytesIO(data), len(data))
        with transaction.atomic():
            for username, role in DEMO_ACCOUNTS:
                if role in (Role.REVIEWER, Role.CHAIR):
                    member = Membership.objects.create(
                        publication=publication,
                        user=users.objects.get(username=username),
                        role=role,
                        invited_by=analyst,
                    )
                    record_event(
                        None, "member_added", publication, member, member=username, role=role
                    )
    return accounts, publication, source
