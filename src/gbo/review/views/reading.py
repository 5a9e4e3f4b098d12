"""Reading a version: the sanitised report with its comment threads, files, new comments."""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import zipfile
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, quote_etag

from gbo.review.access import publication_for, require_role, signed_in
from gbo.review.bundle.archive import MB, read_member
from gbo.review.discussion import open_thread
from gbo.review.forms import CommentForm
from gbo.review.models import Anchor, Comment, Publication, Role, Thread, Version
from gbo.review.release import current_decisions
from gbo.review.report_pages import RENDER_VERSION, ReportPages, report_pages

INLINE_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
# Report pages may be kept by the browser but are checked with the server every time (ETag).
PAGE_CACHE_CONTROL = "private, no-cache"
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; sandbox"


def version_of(publication: Publication, number: int) -> Version:
    return get_object_or_404(Version.objects.defer("files"), publication=publication, number=number)


def threads_with_summary(
    publication: Publication, anchor_ids: set[str] | None = None
) -> list[Thread]:
    """The publication's threads (only those on these anchor ids, if given), with summaries."""
    first = Comment.objects.filter(thread=OuterRef("pk")).order_by("created_at", "pk")
    threads = Thread.objects.filter(publication=publication)
    if anchor_ids is not None:
        threads = threads.filter(anchor_id__in=sorted(anchor_ids))
    return list(
        threads.select_related("opened_by")
        .annotate(n_comments=Count("comments"), first_body=Subquery(first.values("body")[:1]))
        .order_by("created_at")
    )


SHOWN_PER_PAGE = 10
STATUS_ORDER = {"open": 0, "addressed": 1, "resolved": 2}


def can_comment_on(
    publication: Publication, version: Version, role: str | None, latest: Version | None = None
) -> bool:
    latest = latest or publication.latest_version()
    is_latest = latest is not None and latest.pk == version.pk
    return is_latest and not publication.is_released and role in (Role.REVIEWER, Role.CHAIR)


def _contents(publication: Publication, pages: ReportPages) -> list[dict[str, object]]:
    """Each page with how many threads are on it (one grouped query)."""
    counts: dict[str, int] = defaultdict(int)
    rows = (
        Thread.objects.filter(publication=publication)
        .values_list("anchor_kind", "anchor_id")
        .annotate(n=Count("pk"))
    )
    for kind, anchor_id, n in rows:
        page_id = pages.page_of_anchor.get(f"{kind}:{anchor_id}")
        if page_id is not None:
            counts[page_id] += n
    return [{"page": page, "n_threads": counts[page.page_id]} for page in pages.pages]


def latest_and_version(publication: Publication, number: int) -> tuple[Version | None, Version]:
    """The latest version and the one asked for (one query when they are the same)."""
    latest = publication.versions.defer("files").order_by("-number").first()
    if latest is not None and latest.number == number:
        return latest, latest
    return latest, version_of(publication, number)


def _version_context(
    request: HttpRequest,
    publication: Publication,
    version: Version,
    role: str | None,
    latest: Version | None,
) -> dict[str, object]:
    is_latest = latest is not None and latest.pk == version.pk
    return {
        "thread_base": reverse("review:thread_detail", args=[publication.pk, 0])[:-2],
        "publication": publication,
        "version": version,
        "role": role,
        "is_latest": is_latest,
        "latest": latest,
        "can_comment": can_comment_on(publication, version, role, latest),
        "can_decide": is_latest and not publication.is_released and role == Role.REVIEWER,
    }


def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A version's overview: what it is, the contents (pages), comments on parts now gone."""
    publication, role = publication_for(signed_in(request), pk)
    latest, version = latest_and_version(publication, number)
    context = _version_context(request, publication, version, role, latest)
    pages = report_pages(version, can_comment=bool(context["can_comment"]))
    own = [d for d in current_decisions(version) if d.reviewer_id == signed_in(request).pk]
    orphaned = [
        t for t in threads_with_summary(publication) if t.anchor_key not in pages.page_of_anchor
    ]
    context.update(
        contents=_contents(publication, pages),
        orphaned=orphaned,
        own_decision=own[0] if own else None,
        first_page=pages.pages[0] if pages.pages else None,
    )
    return render(request, "review/version_detail.html", context)


def _page_fingerprint(
    request: HttpRequest, context: dict[str, object], page_id: str, threads: QuerySet[Thread]
) -> str | None:
    """What one report page shows beyond the fixed report: None if it cannot be reused."""
    if len(messages.get_messages(request)):
        return None
    state = threads.aggregate(
        n=Count("pk", distinct=True),
        changed=Max("updated_at"),
        last_comment=Max("comments__pk"),
    )
    version = context["version"]
    latest = context["latest"]
    assert isinstance(version, Version)
    parts = [
        RENDER_VERSION,
        version.content_hash,
        page_id,
        str(signed_in(request).pk),
        str(context["role"]),
        str(context["can_comment"]),
        str(context["can_decide"]),
        str(latest.number if isinstance(latest, Version) else 0),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        str(state["n"]),
        str(state["changed"]),
        str(state["last_comment"]),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def version_section(request: HttpRequest, pk: int, number: int, part: str) -> HttpResponse:
    """One page of the report with its comment threads; answered 304 when nothing changed."""
    publication, role = publication_for(signed_in(request), pk)
    latest, version = latest_and_version(publication, number)
    context = _version_context(request, publication, version, role, latest)
    pages = report_pages(version, can_comment=bool(context["can_comment"]))
    page = pages.page(part)
    if page is None:
        raise Http404("No such part of the report")
    keys = {key for key, where in pages.page_of_anchor.items() if where == part}
    anchor_ids = {key.split(":", 1)[1] for key in keys}
    threads_here = Thread.objects.filter(publication=publication, anchor_id__in=sorted(anchor_ids))
    fingerprint = _page_fingerprint(request, context, part, threads_here)
    etag = quote_etag(fingerprint) if fingerprint else None
    if etag is not None:
        unchanged = get_conditional_response(request, etag=etag)
        if unchanged is not None:
            unchanged["Cache-Control"] = PAGE_CACHE_CONTROL
            return unchanged
    threads = [t for t in threads_with_summary(publication, anchor_ids) if t.anchor_key in keys]
    ordered = sorted(threads, key=lambda t: (STATUS_ORDER[t.status], -t.pk))
    previous, following = pages.neighbours(part)
    context.update(
        page=page,
        contents=_contents(publication, pages),
        shown=ordered[:SHOWN_PER_PAGE],
        n_threads=len(threads),
        n_unresolved=sum(t.status != "resolved" for t in threads),
        previous=previous,
        following=following,
    )
    response = render(request, "review/version_section.html", context)
    if etag is not None:
        response["ETag"] = etag
        response["Cache-Control"] = PAGE_CACHE_CONTROL
    return response


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
    """A new thread on the part whose comment link was followed (or one chosen from a list)."""
    publication, role = publication_for(signed_in(request), pk)
    require_role(role, Role.REVIEWER, Role.CHAIR)
    version = version_of(publication, number)
    anchors = list(version.anchors.defer("html").order_by("order"))
    by_key = {a.key: a for a in anchors}
    chosen = request.POST.get("anchor") if request.method == "POST" else request.GET.get("anchor")
    fixed = None if request.GET.get("choose") else by_key.get(chosen or "")
    form = CommentForm(request.POST or None, anchors=anchors, fixed=fixed)
    if request.method == "POST" and form.is_valid():
        anchor: Anchor = form.anchors[form.cleaned_data["anchor"]]
        thread = open_thread(signed_in(request), role, version, anchor, form.cleaned_data["body"])
        messages.success(request, "Your comment was added.")
        return redirect("review:thread_detail", pk=pk, thread_pk=thread.pk)
    pages = report_pages(version, can_comment=can_comment_on(publication, version, role))
    page_id = pages.page_of_anchor.get(fixed.key) if fixed is not None else None
    context = {
        "form": form,
        "publication": publication,
        "version": version,
        "fixed": fixed,
        "back": reverse("review:version_section", args=[pk, number, page_id])
        if page_id
        else reverse("review:version_detail", args=[pk, number]),
    }
    return render(request, "review/comment_new.html", context)
