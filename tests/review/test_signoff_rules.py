"""Sign-off rules: standing objections, quorum minimum, administrators, notices, labels, blind."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from gbo.bundle import REVIEW_RECORD_JSON
from gbo.review.accounts import add_user
from gbo.review.models import AuditEvent, Membership, Notice, Outcome, Publication, Role, Version
from gbo.review.release import assess_release, record_decision, release_publication
from gbo.review.settings import ReviewSettings
from tests.review.conftest import Cast, make_user
from tests.review.test_flow import revise

REASON = "The objection concerns wording already agreed with the board."


def latest(cast: Cast) -> Version:
    version = cast.publication.latest_version()
    assert version is not None
    return version


def decide(cast: Cast, who: str, outcome: str, version: Version | None = None) -> None:
    record_decision(cast.users[who], "reviewer", version or latest(cast), outcome, "")


@pytest.fixture
def three(cast: Cast) -> Cast:
    """The cast with a third reviewer."""
    cast.users["reviewer3"] = make_user("rev3")
    Membership.objects.create(
        publication=cast.publication, user=cast.users["reviewer3"], role=Role.REVIEWER
    )
    return cast


def page(cast: Cast, role: str, name: str, *args: object) -> str:
    response = cast.client(role).get(reverse(name, args=[cast.publication.pk, *args]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_standing_do_not_approve_blocks_release_despite_the_quorum(three: Cast) -> None:
    decide(three, "reviewer", Outcome.APPROVE)
    decide(three, "reviewer3", Outcome.APPROVE)
    decide(three, "reviewer2", Outcome.DO_NOT_APPROVE)
    readiness = assess_release(three.publication)
    assert len(readiness.approvals) == 2 and not readiness.is_ready
    assert "rev2's decision 'Do not approve'" in " ".join(readiness.reasons)
    response = three.client("chair").post(reverse("review:release", args=[three.publication.pk]))
    assert "rev2" in response.content.decode() and not Publication.objects.get().is_released
    decide(three, "reviewer2", Outcome.APPROVE_WITH_CHANGES)  # the author withdraws it
    assert assess_release(three.publication).is_ready


def test_an_objection_stands_on_later_versions_until_withdrawn(three: Cast) -> None:
    decide(three, "reviewer2", Outcome.DO_NOT_APPROVE)
    v2 = revise(three, 1)
    decide(three, "reviewer", Outcome.APPROVE, v2)
    decide(three, "reviewer3", Outcome.APPROVE, v2)
    assert not assess_release(three.publication).is_ready
    decide(three, "reviewer2", Outcome.APPROVE, v2)
    assert assess_release(three.publication).is_ready


def test_the_chair_overrides_with_a_reason_logged_and_shown(three: Cast) -> None:
    pk = three.publication.pk
    decide(three, "reviewer", Outcome.APPROVE)
    decide(three, "reviewer3", Outcome.APPROVE)
    decide(three, "reviewer2", Outcome.DO_NOT_APPROVE)
    objection = assess_release(three.publication).objections[0]
    url = reverse("review:override", args=[pk, objection.pk])
    assert (
        three.client("reviewer").post(url, {f"override-{objection.pk}-reason": REASON}).status_code
        == 403
    )
    chair = three.client("chair")
    short = chair.post(url, {f"override-{objection.pk}-reason": "no"})
    assert short.status_code == 200 and "at least 20 characters" in short.content.decode()
    assert chair.post(url, {f"override-{objection.pk}-reason": REASON}).status_code == 302
    event = AuditEvent.objects.get(action="objection_overridden")
    assert event.detail["reason"] == REASON and event.detail["reviewer"] == "rev2"
    assert REASON in page(three, "chair", "review:release")
    chair.post(reverse("review:release", args=[pk]))
    three.publication.refresh_from_db()
    assert three.publication.is_released
    with three.publication.release.bundle.open("rb") as stored:
        record = json.loads(zipfile.ZipFile(io.BytesIO(stored.read())).read(REVIEW_RECORD_JSON))
    assert record["overridden"][0]["reason"] == REASON
    released = page(three, "reviewer", "review:release")
    assert REASON in released and "Overridden by the chair" in released
    assert "rev2: Do not approve" in released.replace("\n", " ")


def test_a_reviewer_whose_objection_stands_cannot_be_removed(cast: Cast) -> None:
    decide(cast, "reviewer2", Outcome.DO_NOT_APPROVE)
    member = Membership.objects.get(user=cast.users["reviewer2"])
    url = reverse("review:member_remove", args=[cast.publication.pk, member.pk])
    assert cast.client("chair").post(url).status_code == 403
    assert cast.client("administrator").post(url).status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()


def test_the_quorum_cannot_fall_below_the_minimum(cast: Cast) -> None:
    url = reverse("review:quorum", args=[cast.publication.pk])
    response = cast.client("chair").post(url, {"quorum": "1"})
    assert response.status_code == 200 and "cannot be less than 2" in response.content.decode()
    cast.publication.refresh_from_db()
    assert cast.publication.quorum == 2
    assert cast.client("chair").post(url, {"quorum": "3"}).status_code == 302
    assert cast.client("administrator").post(url, {"quorum": "2"}).status_code == 403
    Publication.objects.filter(pk=cast.publication.pk).update(quorum=1)  # set before the rule
    cast.publication.refresh_from_db()
    decide(cast, "reviewer", Outcome.APPROVE)
    readiness = assess_release(cast.publication)
    assert readiness.quorum == 2 and not readiness.is_ready


@override_settings(REVIEW=ReviewSettings(min_quorum=3, default_quorum=3))
def test_the_minimum_is_a_setting(cast: Cast) -> None:
    response = cast.client("chair").post(
        reverse("review:quorum", args=[cast.publication.pk]), {"quorum": "2"}
    )
    assert "cannot be less than 3" in response.content.decode()


def test_administrators_cannot_be_invited_to_decide(cast: Cast) -> None:
    admin = cast.client("administrator")
    url = reverse("review:members", args=[cast.publication.pk])
    for role in ("reviewer", "chair"):
        response = admin.post(url, {"username": "admin", "role": role})
        assert "Administrators manage accounts" in response.content.decode()
    add_user("staff-admin", is_administrator=True)  # an administrator who is not a superuser
    response = cast.client("chair").post(url, {"username": "staff-admin", "role": "reviewer"})
    assert "Administrators manage accounts" in response.content.decode()
    assert not Membership.objects.filter(user=cast.users["administrator"]).exists()


def test_an_administrator_with_a_reviewer_membership_cannot_decide(cast: Cast) -> None:
    Membership.objects.create(
        publication=cast.publication, user=cast.users["administrator"], role=Role.REVIEWER
    )
    with pytest.raises(PermissionDenied):
        record_decision(cast.users["administrator"], "reviewer", latest(cast), "approve", "")
    url = reverse("review:decision", args=[cast.publication.pk, 1])
    assert cast.client("administrator").post(url, {"outcome": "approve"}).status_code == 403
    with pytest.raises(PermissionDenied):
        release_publication(cast.users["administrator"], "chair", cast.publication)


def test_membership_changes_are_logged_and_the_member_is_told_once(cast: Cast) -> None:
    analyst = Membership.objects.get(user=cast.users["analyst"])
    admin = cast.client("administrator")
    admin.post(reverse("review:member_remove", args=[cast.publication.pk, analyst.pk]))
    event = AuditEvent.objects.filter(action="member_removed").latest("pk")
    assert event.detail == {"member": "ana", "role": "analyst"}
    client = cast.client("analyst")
    first = client.get(reverse("review:home")).content.decode()
    assert "admin removed you from" in first and "Your membership changed" in first
    assert "removed you from" not in client.get(reverse("review:home")).content.decode()
    admin.post(
        reverse("review:members", args=[cast.publication.pk]),
        {"username": "outsider", "role": "reviewer"},
    )
    assert Notice.objects.filter(user=cast.users["outsider"], seen_at=None).count() == 1
    told = cast.client("outsider").get(reverse("review:home")).content.decode()
    assert "added you to" in told and "as reviewer" in told


RAW = ("do_not_approve", "approve_with_changes", "decision_recorded", "member_added")


def test_pages_show_labels_never_raw_values(three: Cast) -> None:
    decide(three, "reviewer", Outcome.APPROVE)
    decide(three, "reviewer3", Outcome.APPROVE_WITH_CHANGES)
    decide(three, "reviewer2", Outcome.DO_NOT_APPROVE)
    pages = [
        page(three, "chair", "review:publication_detail"),
        page(three, "chair", "review:release"),
        page(three, "chair", "review:publication_audit"),
    ]
    for html in pages:
        for raw in RAW:
            assert raw not in html
    assert "Decision recorded" in pages[2] and "Do not approve" in pages[2]


def test_decisions_are_hidden_until_you_record_yours(cast: Cast) -> None:
    decide(cast, "reviewer2", Outcome.DO_NOT_APPROVE)
    shown = ("rev2's decision", "1 'Do not approve'", "current decisions on version")
    for name in ("review:publication_detail", "review:release"):
        html = page(cast, "reviewer", name)
        assert not [s for s in shown if s in html], name
        assert "hidden until you have recorded yours" in html
        assert [s for s in shown if s in page(cast, "chair", name)], name
    decide(cast, "reviewer", Outcome.APPROVE)
    html = page(cast, "reviewer", "review:publication_detail")
    assert "1 'Do not approve' stands" in html and "current decisions on version" in html


@override_settings(REVIEW=ReviewSettings(blind_decisions=False))
def test_blind_decisions_can_be_switched_off(cast: Cast) -> None:
    decide(cast, "reviewer2", Outcome.DO_NOT_APPROVE)
    assert "Do not approve" in page(cast, "reviewer", "review:publication_detail")
