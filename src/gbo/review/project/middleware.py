"""Security headers that Django does not set itself: a strict CSP and a permissions policy.

Pages load scripts, styles, fonts and images only from this site; nothing may frame them.
Files from an uploaded bundle are served by their own view with a stricter, sandboxing policy.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Add CSP, Permissions-Policy and no-store caching of pages to every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        content_type = response.headers.get("Content-Type", "")
        if content_type.startswith("text/html") and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
