"""Creating a publication, its overview page, revised versions, members and the quorum."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gbo.errors import ReviewError
from gbo.review.access import (
    can_create_publication,
    can_manage_members,
    can_view_audit,
    is_administrator,
    publication_for,
    require_not_released,
    require_role,
    signed_in,
)
from gbo.review.audit_log import record_event
from gbo.review.forms import MemberForm, PublicationForm, QuorumForm, VersionForm
from gbo.review.models import Membership, Publication, Role, Thread
from gbo.review.notices import notify
from gbo.review.release import assess_release, decisions_hidden, objections
from gbo.review.uploads import add_version, create_publication

THREADS_PER_PAGE = 25


def publication_new(request: HttpRequest) -> HttpResponse:
    if not can_create_publication(signed_in(request)):
        raise PermissionDenied("Only analysts create publications")
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bundle"]
        try:
            publication = create_publication(
                signed_in(request), form.cleaned_data["title"], upload, upload.size
            )
        except ReviewError as error:
            form.add_error("bundle", error.render())
        else:
            messages.success(request, "The publication and its first version were uploaded.")
            return redirect("review:publication_detail", pk=publication.pk)
    return render(request, "review/publication_new.html", {"form": form})


def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    readiness = assess_release(publication)
    user = signed_in(request)
    threads = (
        Thread.objects.filter(publication=publication)
        .select_related("opened_by")
        .annotate(resolved_last=Case(When(status="resolved", then=1), default=0))
        .order_by("resolved_last", "-created_at", "-pk")
    )
    context = {
        "thread_base": reverse("review:thread_detail", args=[publication.pk, 0])[:-2],
        "publication": publication,
        "role": role,
        "versions": publication.versions.select_related("uploaded_by").order_by("-number"),
        "members": publication.memberships.select_related("user"),
        "readiness": readiness,
        "threads": Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page")),
        "can_view_audit": can_view_audit(user, role),
        "can_manage_members": can_manage_members(user, role),
        "role_label": Role(role).label if role else "Administrator",
        "decisions_hidden": readiness.version is not None
        and decisions_hidden(user, role, publication, readiness.version),
    }
    return render(request, "review/publication_detail.html", context)


def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    require_role(role, Role.ANALYST)
    require_not_released(publication)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bundle"]
        try:
            version = add_version(signed_in(request), publication, upload, upload.size)
        except ReviewError as error:
            form.add_error("bundle", error.render())
        else:
            messages.success(
                request,
                f"Version {version.number} was uploaded. Decisions on earlier versions do not "
                "count for it; comment threads carry over.",
            )
            return redirect("review:version_detail", pk=pk, number=version.number)
    return render(request, "review/version_new.html", {"form": form, "publication": publication})


DECIDING_ROLES = {Role.REVIEWER.value, Role.CHAIR.value}


def _member_roles(request: HttpRequest, role: str | None) -> list[Role]:
    if is_administrator(signed_in(request)):
        return [Role.REVIEWER, Role.CHAIR, Role.ANALYST]
    return [Role.REVIEWER]


def _add_member(request: HttpRequest, publication: Publication, form: MemberForm) -> bool:
    """Add the invited account if the rules allow; otherwise a form error saying why."""
    user = (
        get_user_model()
        .objects.filter(username=form.cleaned_data["username"], is_active=True)
        .first()
    )
    new_role = form.cleaned_data["role"]
    if user is None:
        form.add_error("username", "There is no active account with that username.")
        return False
    if publication.memberships.filter(user=user).exists():
        form.add_error("username", "That account is already a member.")
        return False
    if new_role in DECIDING_ROLES and is_administrator(user):
        form.add_error(
            "username",
            "That account is an administrator. Administrators manage accounts; they cannot "
            "be reviewers or chairs.",
        )
        return False
    actor = signed_in(request)
    with transaction.atomic():
        membership = Membership.objects.create(
            publication=publication, user=user, role=new_role, invited_by=actor
        )
        record_event(
            actor,
            "member_added",
            publication,
            membership,
            member=user.get_username(),
            role=membership.role,
        )
        notify(
            user,
            publication,
            f"{actor.get_username()} added you to '{publication.title}' as "
            f"{membership.get_role_display().lower()}.",
        )
    messages.success(request, f"{user.get_username()} was added.")
    return True


def members(request: HttpRequest, pk: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    if not can_manage_members(signed_in(request), role):
        raise PermissionDenied("Only the chair and administrators manage members")
    roles = _member_roles(request, role)
    form = MemberForm(request.POST or None, roles=roles)
    if request.method == "POST":
        require_not_released(publication)
        if form.is_valid() and _add_member(request, publication, form):
            return redirect("review:members", pk=pk)
    context = {
        "publication": publication,
        "role": role,
        "form": form,
        "members": publication.memberships.select_related("user"),
        "removable": {r.value for r in roles},
    }
    return render(request, "review/members.html", context)


@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    publication, role = publication_for(signed_in(request), pk)
    actor = signed_in(request)
    if not can_manage_members(actor, role):
        raise PermissionDenied("Only the chair and administrators manage members")
    require_not_released(publication)
    membership = get_object_or_404(Membership, pk=member_pk, publication=publication)
    if membership.role not in {r.value for r in _member_roles(request, role)}:
        raise PermissionDenied("You cannot remove a member with that role")
    standing, _ = objections(publication)
    if any(d.reviewer_id == membership.user_id for d in standing):
        raise PermissionDenied(
            "This reviewer's 'Do not approve' stands. It must be withdrawn by them or "
            "overridden by the chair, with a reason, before they can be removed"
        )
    member = membership.user
    with transaction.atomic():
        record_event(
            actor,
            "member_removed",
            publication,
            membership,
            member=member.get_username(),
            role=membership.role,
        )
        notify(
            member,
            None,
            f"{actor.get_username()} removed you from '{publication.title}' (you were "
            f"{membership.get_role_display().lower()}).",
        )
        membership.delete()
    messages.success(request, f"{member.get_username()} was removed.")
    return redirect("review:members", pk=pk)


def quorum(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the chair sets the quorum, never below ``min_quorum``; administrators do not."""
    publication, role = publication_for(signed_in(request), pk)
    require_role(role, Role.CHAIR)
    require_not_released(publication)
    form = QuorumForm(request.POST or None, initial={"quorum": publication.quorum})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = publication.quorum
            publication.quorum = form.cleaned_data["quorum"]
            publication.save(update_fields=["quorum"])
            record_event(
                signed_in(request),
                "quorum_set",
                publication,
                publication,
                before=before,
                after=publication.quorum,
            )
        messages.success(request, f"The quorum is now {publication.quorum}.")
        return redirect("review:publication_detail", pk=pk)
    return render(request, "review/quorum.html", {"form": form, "publication": publication})
