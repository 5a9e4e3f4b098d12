"""A comment thread: read it, reply, and change its status."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gbo.review.access import publication_for, signed_in
from gbo.review.discussion import mark_addressed, reopen, reply, resolve
from gbo.review.forms import ReplyForm
from gbo.review.models import Publication, Role, Thread, ThreadStatus
from gbo.review.report_pages import report_pages
from gbo.review.views.reading import can_comment_on


def thread_of(publication: Publication, thread_pk: int) -> Thread:
    return get_object_or_404(
        Thread.objects.select_related("opened_by", "opened_on"),
        pk=thread_pk,
        publication=publication,
    )


def thread_detail(request: HttpRequest, pk: int, thread_pk: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    thread = thread_of(publication, thread_pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reply(signed_in(request), role, thread, form.cleaned_data["body"])
        messages.success(request, "Your reply was added.")
        return redirect("review:thread_detail", pk=pk, thread_pk=thread.pk)
    latest = publication.latest_version()
    page_id = (
        report_pages(
            latest, can_comment=can_comment_on(publication, latest, role)
        ).page_of_anchor.get(thread.anchor_key)
        if latest
        else None
    )
    is_open = not publication.is_released
    is_opener = thread.opened_by_id == signed_in(request).pk
    context = {
        "publication": publication,
        "thread": thread,
        "role": role,
        "comments": thread.comments.select_related("author", "version"),
        "form": form,
        "latest": latest,
        "page_id": page_id,
        "can_reply": is_open and role in (Role.REVIEWER, Role.CHAIR, Role.ANALYST),
        "can_address": is_open and role == Role.ANALYST and thread.status == ThreadStatus.OPEN,
        "can_resolve": is_open and is_opener and thread.status != ThreadStatus.RESOLVED,
        "can_reopen": is_open and is_opener and thread.status != ThreadStatus.OPEN,
    }
    return render(request, "review/thread_detail.html", context)


def _status_view(
    change: Callable[[HttpRequest, str | None, Thread], Thread], done: str
) -> Callable[[HttpRequest, int, int], HttpResponse]:
    @require_POST
    def view(request: HttpRequest, pk: int, thread_pk: int) -> HttpResponse:
        publication, role = publication_for(signed_in(request), pk)
        thread = thread_of(publication, thread_pk)
        change(request, role, thread)
        messages.success(request, done)
        return redirect("review:thread_detail", pk=pk, thread_pk=thread.pk)

    return view


thread_address = _status_view(
    lambda request, role, thread: mark_addressed(signed_in(request), role, thread),
    "The thread is marked addressed; its commenter can now resolve it.",
)
thread_resolve = _status_view(
    lambda request, role, thread: resolve(signed_in(request), thread), "The thread is resolved."
)
thread_reopen = _status_view(
    lambda request, role, thread: reopen(signed_in(request), thread), "The thread is open again."
)
