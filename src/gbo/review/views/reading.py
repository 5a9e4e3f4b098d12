"""Reading a version: the sanitised report with its comment threads, files, new comments."""

from __future__ import annotations

import mimetypes
import posixpath
import zipfile
from collections import defaultdict

from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from gbo.review.access import publication_for, require_role, signed_in
from gbo.review.bundle.archive import MB, read_member
from gbo.review.discussion import open_thread
from gbo.review.forms import CommentForm
from gbo.review.models import Anchor, Comment, Publication, Role, Thread, Version
from gbo.review.release import current_decisions

INLINE_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; sandbox"


def version_of(publication: Publication, number: int) -> Version:
    return get_object_or_404(Version, publication=publication, number=number)


def threads_with_summary(publication: Publication) -> list[Thread]:
    first = Comment.objects.filter(thread=OuterRef("pk")).order_by("created_at", "pk")
    return list(
        Thread.objects.filter(publication=publication)
        .select_related("opened_by")
        .annotate(n_comments=Count("comments"), first_body=Subquery(first.values("body")[:1]))
        .order_by("created_at")
    )


SHOWN_PER_SECTION = 5
STATUS_ORDER = {"open": 0, "addressed": 1, "resolved": 2}


def section_comments(anchor: Anchor, threads: list[Thread]) -> dict[str, object]:
    """A section with its unresolved threads first and at most a few shown in full."""
    ordered = sorted(threads, key=lambda t: (STATUS_ORDER[t.status], -t.pk))
    return {
        "anchor": anchor,
        "shown": ordered[:SHOWN_PER_SECTION],
        "total": len(threads),
        "n_unresolved": sum(t.status != "resolved" for t in threads),
    }


def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    version = version_of(publication, number)
    anchors = list(version.anchors.order_by("order"))
    section_of = {a.key: a.section_id for a in anchors}
    by_section: dict[str, list[Thread]] = defaultdict(list)
    orphaned: list[Thread] = []
    for thread in threads_with_summary(publication):
        section = section_of.get(thread.anchor_key)
        (by_section[section] if section else orphaned).append(thread)
    sections = [
        section_comments(a, by_section.get(a.anchor_id, [])) for a in anchors if a.is_top_level
    ]
    latest = publication.latest_version()
    is_latest = latest is not None and latest.pk == version.pk
    own = [d for d in current_decisions(version) if d.reviewer_id == signed_in(request).pk]
    context = {
        "thread_base": reverse("review:thread_detail", args=[publication.pk, 0])[:-2],
        "publication": publication,
        "version": version,
        "role": role,
        "sections": sections,
        "orphaned": orphaned,
        "is_latest": is_latest,
        "latest": latest,
        "can_comment": is_latest
        and not publication.is_released
        and role in (Role.REVIEWER, Role.CHAIR),
        "can_decide": is_latest and not publication.is_released and role == Role.REVIEWER,
        "own_decision": own[0] if own else None,
    }
    return render(request, "review/version_detail.html", context)


def version_file(request: HttpRequest, pk: int, number: int, path: str) -> HttpResponse:
    """One file of a version's bundle: images inline, anything else as a download."""
    publication, _ = publication_for(signed_in(request), pk)
    version = version_of(publication, number)
    entry = version.file_entry(path)
    if entry is None:
        raise Http404("No such file in this version")
    with version.bundle.open("rb") as stored, zipfile.ZipFile(stored) as zf:
        data = read_member(zf, zf.getinfo(path), int(entry["bytes"]) or MB)
    suffix = posixpath.splitext(path)[1].lower()
    if suffix in INLINE_TYPES:
        response = HttpResponse(data, content_type=INLINE_TYPES[suffix])
    else:
        guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
        response = HttpResponse(data, content_type=guessed)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=posixpath.basename(path)
        )
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


def version_bundle(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """The bundle exactly as uploaded."""
    publication, _ = publication_for(signed_in(request), pk)
    version = version_of(publication, number)
    return FileResponse(
        version.bundle.open("rb"),
        as_attachment=True,
        filename=f"bundle-v{version.number}-{version.short_hash}.zip",
        content_type="application/zip",
    )


def comment_new(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    require_role(role, Role.REVIEWER, Role.CHAIR)
    version = version_of(publication, number)
    anchors = list(version.anchors.order_by("order"))
    initial = {"anchor": request.GET.get("anchor", "")}
    form = CommentForm(request.POST or None, anchors=anchors, initial=initial)
    if request.method == "POST" and form.is_valid():
        anchor: Anchor = form.anchors[form.cleaned_data["anchor"]]
        thread = open_thread(signed_in(request), role, version, anchor, form.cleaned_data["body"])
        messages.success(request, "Your comment was added.")
        return redirect("review:thread_detail", pk=pk, thread_pk=thread.pk)
    context = {"form": form, "publication": publication, "version": version}
    return render(request, "review/comment_new.html", context)
