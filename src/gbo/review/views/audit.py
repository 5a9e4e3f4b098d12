"""The audit log: the chair sees their publication's, administrators see everything."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gbo.review.access import can_view_audit, is_administrator, publication_for, signed_in
from gbo.review.audit_log import describe, events_as_csv
from gbo.review.labels import action_label
from gbo.review.models import AuditEvent, Publication

PAGE_SIZE = 200


def _events_for(
    request: HttpRequest, pk: int | None
) -> tuple[QuerySet[AuditEvent], Publication | None]:
    if pk is None:
        if not is_administrator(signed_in(request)):
            raise PermissionDenied("Only administrators see the whole audit log")
        return AuditEvent.objects.all(), None
    publication, role = publication_for(signed_in(request), pk)
    if not can_view_audit(signed_in(request), role):
        raise PermissionDenied("Only the chair and administrators see the audit log")
    return AuditEvent.objects.filter(publication=publication), publication


def audit_log(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    events, publication = _events_for(request, pk)
    newest = list(events.order_by("-at", "-pk")[:PAGE_SIZE])
    context = {
        "events": [(e, action_label(e.action), describe(e)) for e in newest],
        "publication": publication,
        "n_events": events.count(),
    }
    return render(request, "review/audit.html", context)


def audit_csv(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    events, publication = _events_for(request, pk)
    name = f"audit-publication-{publication.pk}.csv" if publication else "audit-all.csv"
    response = HttpResponse(
        events_as_csv(events.order_by("at", "pk").iterator()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
