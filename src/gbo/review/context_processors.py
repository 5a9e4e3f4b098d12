"""Template context shared by every page: the user's site role for the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from gbo.review.access import can_create_publication, is_administrator


def navigation(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_administrator": False, "can_create_publication": False}
    administrator = is_administrator(user)
    return {
        "is_administrator": administrator,
        "can_create_publication": administrator or can_create_publication(user),
    }
