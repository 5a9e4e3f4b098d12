"""Django for the review app's tests only: settings chosen here, not for the whole suite.

Importing this conftest points pytest-django at the review app's test settings (unless a
caller, such as the PostgreSQL run, already chose them) and starts Django.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gbo.review.project.settings.test")

import django  # noqa: E402

django.setup()

import pytest  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from gbo.review.demo import ensure_site_groups  # noqa: E402
from gbo.review.models import Membership, Publication, Role  # noqa: E402
from gbo.review.sample_bundle import build_sample_bundle  # noqa: E402
from gbo.review.uploads import create_publication  # noqa: E402

ROLES = ["analyst", "reviewer", "reviewer2", "chair", "administrator", "outsider"]


@dataclass
class Cast:
    """One account per role on one publication, plus an outsider who was not invited."""

    publication: Publication
    users: dict[str, User]

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


def make_user(username: str, *, analyst: bool = False, administrator: bool = False) -> User:
    from django.contrib.auth.models import Group

    ensure_site_groups()
    user = get_user_model().objects.create_user(username=username, password="not-used-" + username)
    if analyst:
        user.groups.add(Group.objects.get(name="analyst"))
    if administrator:
        user.is_staff = True
        user.is_superuser = True
        user.save()
        user.groups.add(Group.objects.get(name="administrator"))
    return user


def upload(user: User, revision: int = 0, title: str = "Test publication") -> Publication:
    data = build_sample_bundle(revision)
    return create_publication(user, title, io.BytesIO(data), len(data))


@pytest.fixture
def cast(db: None) -> Cast:
    users = {
        "analyst": make_user("ana", analyst=True),
        "reviewer": make_user("rev1"),
        "reviewer2": make_user("rev2"),
        "chair": make_user("chair"),
        "administrator": make_user("admin", administrator=True),
        "outsider": make_user("outsider"),
    }
    publication = upload(users["analyst"])
    for role, member_role in [
        ("reviewer", Role.REVIEWER),
        ("reviewer2", Role.REVIEWER),
        ("chair", Role.CHAIR),
    ]:
        Membership.objects.create(publication=publication, user=users[role], role=member_role)
    return Cast(publication=publication, users=users)


@pytest.fixture
def bundle_bytes() -> Callable[[int], bytes]:
    return build_sample_bundle
