"""Recording a decision, the release page, and the released bundle."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gbo.errors import ReviewError
from gbo.review.access import publication_for, require_role, signed_in
from gbo.review.forms import DecisionForm
from gbo.review.models import Role
from gbo.review.release import assess_release, record_decision, release_publication
from gbo.review.views.reading import version_of


def decision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    require_role(role, Role.REVIEWER)
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


def release(request: HttpRequest, pk: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    readiness = assess_release(publication)
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
    context = {
        "publication": publication,
        "role": role,
        "readiness": readiness,
        "error": error,
        "release": getattr(publication, "release", None),
    }
    return render(request, "review/release.html", context)


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
