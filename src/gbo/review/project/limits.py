"""Request bodies refused before they are read: by declared length, by who is asking, by page.

Django reads a POST's body when the CSRF check looks for its token, and spools a large upload
to a temporary file as it does. This middleware runs before that (it sits before the CSRF
middleware and decides in its own call, before any view middleware), so a body that is too
large is answered 413 without a byte of it being read:

* a body without a declared length (chunked) is refused with 411: every browser form sends
  ``Content-Length``, and Django never reads past it, so the declared length bounds the read;
* someone not signed in may send no more than the sign-in form needs (``max_sign_in_kb``);
* the two bundle upload pages take a bundle of up to ``max_upload_mb`` plus its form;
* every other page takes a form of up to ``max_form_kb``.

Gunicorn's request-line and header limits (``gbo.review.project.gunicorn_conf``) and the
proxy's ``client_max_body_size`` (docs/review.md) bound the rest of a request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from gbo.review.settings import review_settings

UPLOAD_PAGES = {"review:publication_new", "review:version_new"}


def body_limit(request: HttpRequest) -> int:
    """The largest body this request may carry, in bytes."""
    limits = review_settings()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return limits.max_sign_in_bytes
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return limits.max_form_bytes
    return limits.max_upload_body_bytes if name in UPLOAD_PAGES else limits.max_form_bytes


def _refusal(status: int, text: str) -> HttpResponse:
    return HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    """Refuse an over-long or unmeasured request body before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refusal(411, "A request body must declare its length (Content-Length).")
        try:
            length = int(declared) if declared else 0
        except ValueError:
            return _refusal(400, "The Content-Length header is not a number.")
        if length < 0:
            return _refusal(400, "The Content-Length header is negative.")
        if length:
            limit = body_limit(request)
            if length > limit:
                return _refusal(
                    413,
                    f"The request body is {length:,} bytes; this page accepts at most "
                    f"{limit:,} bytes.",
                )
        return self.get_response(request)
