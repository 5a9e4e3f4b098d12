"""Telling an account about a change made to it by someone else, on their next visit.

A member added to or removed from a publication (or whose role changed) gets a notice; the
next page they open shows it once, in a banner, and marks it seen. The change itself is in
the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from gbo.review.models import Notice, Publication

NOTICE_TAG = "notice"


def notify(user: User, publication: Publication | None, text: str) -> Notice:
    """Leave a notice for ``user``; call it in the transaction of the change it reports."""
    return Notice.objects.create(user=user, publication=publication, text=text[:500])


def show_unseen(request: HttpRequest) -> int:
    """Queue the user's unseen notices as messages and mark them seen; how many."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return 0
    unseen = list(Notice.objects.filter(user=user, seen_at__isnull=True).order_by("pk"))
    for notice in unseen:
        messages.info(request, notice.text, extra_tags=NOTICE_TAG)
    if unseen:
        Notice.objects.filter(pk__in=[n.pk for n in unseen]).update(seen_at=timezone.now())
    return len(unseen)


class NoticeMiddleware:
    """On every page (GET) of a signed-in user: their unseen notices, shown once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and not request.path_info.startswith("/assets/"):
            show_unseen(request)
        return self.get_response(request)
