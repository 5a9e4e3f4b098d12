"""Who may see and do what: site roles (groups) and each member's role on a publication.

Administrators (superusers or the ``administrator`` group) manage users and members and read
everything, but do not comment or decide. Analysts (the ``analyst`` group) may create
publications. On a publication, a user's membership says their role; without one (and not an
administrator) the publication does not exist for them: they get 404, not 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from gbo.review.models import Membership, Publication, Role

ADMINISTRATOR_GROUP = "administrator"
ANALYST_GROUP = "analyst"
SITE_GROUPS = (ADMINISTRATOR_GROUP, ANALYST_GROUP)

User = AbstractBaseUser | AnonymousUser


def in_group(user: User, name: str) -> bool:
    return bool(user.is_authenticated and user.groups.filter(name=name).exists())  # type: ignore[union-attr]


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or in_group(user, ADMINISTRATOR_GROUP)))  # type: ignore[union-attr]


def can_create_publication(user: User) -> bool:
    return is_administrator(user) or in_group(user, ANALYST_GROUP)


def visible_publications(user: User) -> QuerySet[Publication]:
    if is_administrator(user):
        return Publication.objects.all()
    return Publication.objects.filter(memberships__user_id=user.pk).distinct()


def role_on(user: User, publication: Publication) -> str | None:
    membership = Membership.objects.filter(publication=publication, user_id=user.pk).first()
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
