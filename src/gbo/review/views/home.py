"""The start page: the publications this user may see."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gbo.review.access import signed_in, visible_publications
from gbo.review.models import Membership, Role


def home(request: HttpRequest) -> HttpResponse:
    publications = (
        visible_publications(signed_in(request))
        .select_related("release")
        .annotate(
            n_versions=Count("versions", distinct=True),
            latest_number=Max("versions__number"),
            n_unresolved=Count("threads", filter=~Q(threads__status="resolved"), distinct=True),
        )
        .order_by("-created_at")
    )
    roles = dict(
        Membership.objects.filter(user=signed_in(request)).values_list("publication_id", "role")
    )
    rows = [
        (p, Role(roles[p.pk]).label if p.pk in roles else "Administrator") for p in publications
    ]
    return render(request, "review/home.html", {"rows": rows})
