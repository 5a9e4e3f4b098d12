"""Recording a decision, the release page, and the released bundle."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gbo.errors import ReviewError
from gbo.review.access import is_administrator, publication_for, require_role, signed_in
from gbo.review.forms import DecisionForm, OverrideForm
from gbo.review.labels import outcome_label
from gbo.review.models import Decision, Outcome, Publication, Role
from gbo.review.release import (
    Readiness,
    assess_release,
    decisions_hidden,
    override_objection,
    record_decision,
    release_publication,
)
from gbo.review.views.reading import version_of


def decision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    require_role(role, Role.REVIEWER)
    if is_administrator(signed_in(request)):
        raise PermissionDenied("Administrators manage accounts; they do not decide")
    version = version_of(publication, number)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record_decision(
            signed_in(request),
            role,
            version,
            form.cleaned_data["outcome"],
            form.cleaned_data["note"],
        )
        messages.success(
            request,
            f"Your decision on version {version.number} ({version.short_hash}) is recorded.",
        )
        return redirect("review:publication_detail", pk=pk)
    context = {"form": form, "publication": publication, "version": version}
    return render(request, "review/decision.html", context)


def _decision_rows(decisions: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A release record's decisions for the page: labels, never raw values."""
    return [
        {
            "reviewer": str(d["reviewer"]),
            "outcome": outcome_label(str(d["outcome"])),
            "decided_at": str(d["decided_at"])[:16].replace("T", " "),
        }
        for d in decisions
    ]


def _override_forms(
    readiness: Readiness, role: str | None, failed: tuple[int, OverrideForm] | None
) -> list[tuple[Decision, OverrideForm]]:
    if role != Role.CHAIR:
        return []
    forms = []
    for d in readiness.objections:
        if failed is not None and failed[0] == d.pk:
            forms.append((d, failed[1]))
        else:
            forms.append((d, OverrideForm(prefix=f"override-{d.pk}")))
    return forms


def _release_page(
    request: HttpRequest,
    publication: Publication,
    role: str | None,
    error: str = "",
    failed: tuple[int, OverrideForm] | None = None,
) -> HttpResponse:
    readiness = assess_release(publication)
    released = getattr(publication, "release", None)
    record = released.record if released is not None else {}
    user = signed_in(request)
    hidden = readiness.version is not None and decisions_hidden(
        user, role, publication, readiness.version
    )
    context = {
        "publication": publication,
        "role": role,
        "readiness": readiness,
        "error": error,
        "release": released,
        "approved_by": _decision_rows(
            [d for d in record.get("decisions", []) if d.get("outcome") == Outcome.APPROVE]
        ),
        "other_decisions": _decision_rows(
            [d for d in record.get("decisions", []) if d.get("outcome") != Outcome.APPROVE]
        ),
        "released_overrides": record.get("overridden", []),
        "decisions_hidden": hidden,
        "override_forms": [] if hidden else _override_forms(readiness, role, failed),
    }
    return render(request, "review/release.html", context)


def release(request: HttpRequest, pk: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    error = ""
    if request.method == "POST":
        require_role(role, Role.CHAIR)
        try:
            release_publication(signed_in(request), role, publication)
        except ReviewError as exc:
            error = exc.render()
        else:
            messages.success(request, "The publication is released and frozen.")
            return redirect("review:release", pk=pk)
    return _release_page(request, publication, role, error)


@require_POST
def override(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    """The chair overrides a standing 'Do not approve', giving a reason."""
    publication, role = publication_for(signed_in(request), pk)
    require_role(role, Role.CHAIR)
    form = OverrideForm(request.POST, prefix=f"override-{decision_pk}")
    if form.is_valid():
        try:
            done = override_objection(
                signed_in(request), role, publication, decision_pk, form.cleaned_data["reason"]
            )
        except ReviewError as exc:
            return _release_page(request, publication, role, exc.render())
        messages.success(
            request,
            f"{done.decision.reviewer.get_username()}'s 'Do not approve' is overridden; "
            "the reason is in the audit log and on this page.",
        )
        return redirect("review:release", pk=pk)
    return _release_page(request, publication, role, failed=(decision_pk, form))


def release_bundle(request: HttpRequest, pk: int) -> FileResponse:
    publication, _ = publication_for(signed_in(request), pk)
    if not publication.is_released:
        raise Http404("This publication has not been released")
    released = publication.release
    return FileResponse(
        released.bundle.open("rb"),
        as_attachment=True,
        filename=f"released-{released.content_hash[:12]}.zip",
        content_type="application/zip",
    )
