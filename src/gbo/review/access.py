"""Who may see and do what: site roles (groups) and each member's role on a publication.

Administrators (superusers or the ``administrator`` group) manage accounts and members and read
everything, but do not comment or decide. Analysts (the ``analyst`` group) may create
publications. On a publication, a user's membership says their role; without one (and not an
administrator) the publication does not exist for them: they get 404, not 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as UserModel
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from gbo.review.models import Membership, Publication, Role

ADMINISTRATOR_GROUP = "administrator"
ANALYST_GROUP = "analyst"
SITE_GROUPS = (ADMINISTRATOR_GROUP, ANALYST_GROUP)
# The administrator group's Django permissions, exactly: accounts are added and changed (never
# deleted: they are deactivated, keeping the audit trail) and groups are only read. What an
# administrator may do with them in /admin/ is narrowed further by gbo.review.admin.
ADMINISTRATOR_PERMISSIONS = ("view_user", "add_user", "change_user", "view_group")

User = UserModel | AnonymousUser


def signed_in(request: HttpRequest) -> UserModel:
    """The signed-in user (every view is behind LoginRequiredMiddleware)."""
    user = request.user
    if not isinstance(user, UserModel) or not user.is_authenticated:
        raise PermissionDenied("Sign in first")
    return user


def group_names(user: User) -> frozenset[str]:
    """The user's site groups, read once per request (kept on the user object)."""
    if not isinstance(user, UserModel) or user.pk is None:
        return frozenset()
    cached = getattr(user, "_gbo_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._gbo_group_names = cached  # type: ignore[attr-defined]
    return cached


def in_group(user: User, name: str) -> bool:
    return name in group_names(user)


def is_administrator(user: User) -> bool:
    if not isinstance(user, UserModel):
        return False
    return user.is_superuser or in_group(user, ADMINISTRATOR_GROUP)


def can_create_publication(user: User) -> bool:
    return is_administrator(user) or in_group(user, ANALYST_GROUP)


def visible_publications(user: User) -> QuerySet[Publication]:
    if is_administrator(user):
        return Publication.objects.all()
    if not isinstance(user, UserModel):
        return Publication.objects.none()
    return Publication.objects.filter(memberships__user=user).distinct()


def role_on(user: User, publication: Publication) -> str | None:
    if not isinstance(user, UserModel):
        return None
    membership = Membership.objects.filter(publication=publication, user=user).first()
    return membership.role if membership else None


def publication_for(user: User, pk: int) -> tuple[Publication, str | None]:
    """The publication and the user's role on it; 404 if they may not see it at all."""
    publication = Publication.objects.filter(pk=pk).select_related("release").first()
    if publication is None:
        raise Http404("No such publication")
    role = role_on(user, publication)
    if role is None and not is_administrator(user):
        raise Http404("No such publication")
    return publication, role


def require_role(role: str | None, *allowed: Role) -> None:
    if role not in allowed:
        raise PermissionDenied("Your role on this publication does not allow this")


def can_view_audit(user: User, role: str | None) -> bool:
    return is_administrator(user) or role == Role.CHAIR


def can_manage_members(user: User, role: str | None) -> bool:
    return is_administrator(user) or role == Role.CHAIR


def require_not_released(publication: Publication) -> None:
    if publication.is_released:
        raise PermissionDenied("This publication has been released and is frozen")
