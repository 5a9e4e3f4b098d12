"""Creating accounts from the command line with a random first password."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from gbo.errors import ReviewError
from gbo.review.access import ADMINISTRATOR_GROUP, ANALYST_GROUP
from gbo.review.audit_log import record_account_event


def add_user(username: str, *, is_analyst: bool = False, is_administrator: bool = False) -> str:
    """Create an account; returns its random password (shown once, never stored in clear)."""
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise ReviewError("an account with that username already exists")
    password = secrets.token_urlsafe(16)
    with transaction.atomic():
        user = users.objects.create_user(username=username, password=password)
        if is_analyst:
            user.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
        if is_administrator:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(Group.objects.get_or_create(name=ADMINISTRATOR_GROUP)[0])
        record_account_event(None, "account_added", user, "Added from the command line.")
    return password
