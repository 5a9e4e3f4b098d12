"""Every URL pattern, fetched anonymously and as every role: each answer is the expected one.

A new URL pattern without an expectation here fails the test, so nothing is added to the app
without deciding who may see it. The roles include two administrators: the cast's, who is a
superuser, and ``staff_administrator``, who is only in the ``administrator`` group; in the app
both get the same answers, and in the Django admin the second sees only the pages listed in
``ADMIN_PAGES_FOR_ADMINISTRATORS`` (a new admin page is closed to them until listed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gbo.review.accounts import add_user
from gbo.review.discussion import open_thread
from gbo.review.models import Membership
from tests.review.conftest import Cast

ROLES = ["anonymous", "analyst", "reviewer", "chair", "administrator", "outsider"]
STAFF_ADMINISTRATOR = "staff_administrator"
MEMBERS = {"analyst", "reviewer", "chair"}
SEE = MEMBERS | {"administrator"}


def allowed(*roles: str) -> dict[str, int]:
    """200 for these roles, 403 for other members and the administrator, 404 for the outsider."""
    answer = {role: (200 if role in roles else 403) for role in SEE}
    answer["outsider"] = 200 if "outsider" in roles else 404
    return answer


POST_ONLY = {role: 405 for role in SEE | {"outsider"}}
LOGGED_IN = {role: 200 for role in SEE | {"outsider"}}

EXPECTED: dict[str, dict[str, int]] = {
    "login": {"anonymous": 200, **{role: 302 for role in SEE | {"outsider"}}},
    "logout": POST_ONLY,
    "review:home": LOGGED_IN,
    "review:publication_new": {**allowed("analyst", "administrator"), "outsider": 403},
    "review:publication_detail": allowed(*SEE),
    "review:members": allowed("chair", "administrator"),
    "review:member_remove": POST_ONLY,
    "review:quorum": allowed("chair"),
    "review:version_new": allowed("analyst"),
    "review:version_detail": allowed(*SEE),
    "review:version_section": allowed(*SEE),
    "review:comment_new": allowed("reviewer", "chair"),
    "review:decision": allowed("reviewer"),
    "review:version_bundle": allowed(*SEE),
    "review:version_file": allowed(*SEE),
    "review:thread_detail": allowed(*SEE),
    "review:thread_address": POST_ONLY,
    "review:thread_resolve": POST_ONLY,
    "review:thread_reopen": POST_ONLY,
    "review:release": allowed(*SEE),
    "review:release_bundle": {role: 404 for role in SEE | {"outsider"}},
    "review:override": POST_ONLY,
    "review:publication_audit": allowed("chair", "administrator"),
    "review:publication_audit_csv": allowed("chair", "administrator"),
    "review:audit": {**allowed("administrator"), "outsider": 403},
    "review:audit_csv": {**allowed("administrator"), "outsider": 403},
}
# An administrator who is not a superuser has the same powers in the app.
for _answers in EXPECTED.values():
    _answers[STAFF_ADMINISTRATOR] = _answers["administrator"]

# The admin pages an administrator who is not a superuser may open (their own accounts pages,
# read-only groups); every other admin page must not answer them 200.
ADMIN_PAGES_FOR_ADMINISTRATORS = {
    "admin:index",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:auth_user_changelist",
    "admin:auth_user_add",
    "admin:auth_user_change",
    "admin:auth_user_history",
    "admin:auth_user_password_change",
    "admin:auth_group_changelist",
    "admin:auth_group_change",
    "admin:auth_group_history",
}


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def kwargs_for(pattern: URLPattern, values: dict[str, Any]) -> dict[str, Any]:
    names = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    return {name: values[name] for name in sorted(names)}


@pytest.fixture
def url_values(cast: Cast) -> dict[str, Any]:
    version = cast.publication.latest_version()
    assert version is not None
    anchor = version.anchors.get(anchor_id="offenders_sex")
    thread = open_thread(cast.users["reviewer"], "reviewer", version, anchor, "A point.")
    member = Membership.objects.get(publication=cast.publication, user=cast.users["reviewer2"])
    return {
        "pk": cast.publication.pk,
        "number": version.number,
        "thread_pk": thread.pk,
        "member_pk": member.pk,
        "decision_pk": 1,
        "part": "offenders",
        "path": "csv/offenders_sex.csv",
        # Django admin patterns:
        "object_id": str(cast.publication.pk),
        "app_label": "review",
        "content_type_id": 1,
        "id": cast.users["reviewer"].pk,
        "url": "review/publication/",
    }


def clients(cast: Cast) -> dict[str, Client]:
    result = {"anonymous": Client()}
    for role in ROLES[1:]:
        result[role] = cast.client(role)
    add_user("staff-admin", is_administrator=True)
    staff_administrator = Client()
    staff_administrator.force_login(User.objects.get(username="staff-admin"))
    result[STAFF_ADMINISTRATOR] = staff_administrator
    return result


def test_every_url_pattern_has_an_expectation() -> None:
    names = {name for name, _ in walk(get_resolver().url_patterns)}
    app_names = {n for n in names if not n.startswith("admin:")}
    assert app_names == set(EXPECTED)
    assert names - app_names >= ADMIN_PAGES_FOR_ADMINISTRATORS


def test_every_app_url_answers_each_role_as_expected(
    cast: Cast, url_values: dict[str, Any]
) -> None:
    by_role = clients(cast)
    login = reverse("login")
    failures = []
    for name, pattern in walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        url = reverse(name, kwargs=kwargs_for(pattern, url_values))
        for role, client in by_role.items():
            response = client.get(url)
            if role == "anonymous" and name != "login":
                ok = response.status_code == 302 and response["Location"].startswith(login)
                expected: object = f"302 to {login}"
            else:
                expected = EXPECTED[name][role]
                ok = response.status_code == expected
            if not ok:
                failures.append(f"{name} as {role}: {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_every_admin_url_is_closed_to_all_but_administrators(
    cast: Cast, url_values: dict[str, Any]
) -> None:
    by_role = clients(cast)
    admin_login = reverse("admin:login")
    checked = 0
    for name, pattern in walk(get_resolver().url_patterns):
        if not name.startswith("admin:") or name == "admin:login":
            continue
        url = reverse(name, kwargs=kwargs_for(pattern, url_values))
        for role, client in by_role.items():
            response = client.get(url)
            if role == "administrator":
                assert response.status_code in (200, 302, 403, 404, 405), (name, role)
            elif role == STAFF_ADMINISTRATOR:
                if name in ADMIN_PAGES_FOR_ADMINISTRATORS:
                    assert response.status_code == 200, (name, role, response.status_code)
                else:
                    assert response.status_code in (302, 403, 404, 405), (name, role)
            elif name == "admin:logout":
                assert response.status_code in (302, 405), (name, role)
            else:
                assert response.status_code == 302, (name, role, response.status_code)
                where = response["Location"]
                assert where.startswith((admin_login, reverse("login"))), (name, role, where)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    ("name", "role", "status"),
    [
        ("review:thread_address", "reviewer", 403),
        ("review:thread_address", "outsider", 404),
        ("review:thread_resolve", "reviewer2", 403),
        ("review:thread_resolve", "analyst", 403),
        ("review:member_remove", "reviewer", 403),
        ("review:member_remove", "analyst", 403),
        ("review:member_remove", "outsider", 404),
        ("review:release", "reviewer", 403),
        ("review:release", "administrator", 403),
        ("review:decision", "chair", 403),
        ("review:decision", "analyst", 403),
        ("review:comment_new", "analyst", 403),
        ("review:version_new", "reviewer", 403),
        ("review:quorum", "reviewer", 403),
        ("review:quorum", "administrator", 403),
        ("review:override", "reviewer", 403),
        ("review:override", "administrator", 403),
        ("review:override", "outsider", 404),
    ],
)
def test_posting_as_the_wrong_role_is_refused(
    cast: Cast, url_values: dict[str, Any], name: str, role: str, status: int
) -> None:
    pattern = dict(walk(get_resolver().url_patterns))[name]
    url = reverse(name, kwargs=kwargs_for(pattern, url_values))
    response = cast.client(role).post(url, {"body": "x", "outcome": "approve", "quorum": "1"})
    assert response.status_code == status
