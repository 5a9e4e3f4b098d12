"""The web journey through Django's test client: forms, messages, files and exports."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gbo.review.models import Decision, Publication, Thread, ThreadStatus
from gbo.review.sample_bundle import build_sample_bundle, sample_files, write_bundle
from tests.review.conftest import Cast


def zip_upload(data: bytes, name: str = "release-bundle.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_analyst_uploads_a_publication_through_the_form(cast: Cast) -> None:
    client = cast.client("analyst")
    response = client.post(
        reverse("review:publication_new"),
        {"title": "Second publication", "bundle": zip_upload(build_sample_bundle(3))},
    )
    publication = Publication.objects.get(title="Second publication")
    assert response.status_code == 302
    assert response["Location"] == reverse("review:publication_detail", args=[publication.pk])


def test_bad_upload_shows_the_reason_in_an_error_summary(cast: Cast) -> None:
    bomb_files = sample_files()
    bomb_files["csv/zeros.csv"] = b"0" * (20 * 1024 * 1024)
    response = cast.client("analyst").post(
        reverse("review:publication_new"),
        {"title": "Bomb", "bundle": zip_upload(write_bundle(bomb_files))},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "zip bomb" in page
    assert not Publication.objects.filter(title="Bomb").exists()


def test_comment_reply_address_resolve_through_the_forms(cast: Cast) -> None:
    pk = cast.publication.pk
    reviewer, analyst = cast.client("reviewer"), cast.client("analyst")
    response = reviewer.post(
        reverse("review:comment_new", args=[pk, 1]),
        {"anchor": "table:offenders_age", "body": "Please give the age bands' source."},
    )
    thread = Thread.objects.get(publication=cast.publication)
    assert response["Location"] == reverse("review:thread_detail", args=[pk, thread.pk])
    analyst.post(reverse("review:thread_detail", args=[pk, thread.pk]), {"body": "Added a note."})
    analyst.post(reverse("review:thread_address", args=[pk, thread.pk]))
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.ADDRESSED and thread.comments.count() == 2
    reviewer.post(reverse("review:thread_resolve", args=[pk, thread.pk]))
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.RESOLVED
    page = reviewer.get(reverse("review:thread_detail", args=[pk, thread.pk])).content.decode()
    assert "Added a note." in page and "Reopen" in page


def test_comment_on_an_unknown_anchor_is_a_form_error(cast: Cast) -> None:
    response = cast.client("reviewer").post(
        reverse("review:comment_new", args=[cast.publication.pk, 1]),
        {"anchor": "table:not_there", "body": "x"},
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not Thread.objects.exists()


def test_decision_and_release_through_the_pages(cast: Cast) -> None:
    pk = cast.publication.pk
    for role in ("reviewer", "reviewer2"):
        cast.client(role).post(reverse("review:decision", args=[pk, 1]), {"outcome": "approve"})
    assert Decision.objects.filter(outcome="approve").count() == 2
    chair = cast.client("chair")
    assert "Release version 1" in chair.get(reverse("review:release", args=[pk])).content.decode()
    chair.post(reverse("review:release", args=[pk]))
    download = chair.get(reverse("review:release_bundle", args=[pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_release_refused_shows_why(cast: Cast) -> None:
    pk = cast.publication.pk
    page = cast.client("chair").get(reverse("review:release", args=[pk])).content.decode()
    assert "Not ready to release" in page and "0 of the 2 approvals" in page


def test_bundle_files_are_served_sandboxed(cast: Cast) -> None:
    pk = cast.publication.pk
    client = cast.client("reviewer")
    chart = client.get(reverse("review:version_file", args=[pk, 1, "charts/offences_year.svg"]))
    assert chart["Content-Type"] == "image/svg+xml"
    assert "sandbox" in chart["Content-Security-Policy"]
    table = client.get(reverse("review:version_file", args=[pk, 1, "csv/offenders_sex.csv"]))
    assert table["Content-Disposition"].startswith("attachment")
    missing = client.get(reverse("review:version_file", args=[pk, 1, "bundle.json"]))
    assert missing.status_code == 404


def test_audit_csv_export_lists_the_publication_events(cast: Cast) -> None:
    response = cast.client("chair").get(
        reverse("review:publication_audit_csv", args=[cast.publication.pk])
    )
    rows = list(
        csv.reader(
            io.StringIO(
                # django-stubs give the test client's response no streaming_content, which a
                # streaming view's response has
                b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
                if response.streaming
                else response.content.decode()
            )
        )
    )
    assert rows[0][3] == "action"
    assert [r[3] for r in rows[1:3]] == ["publication_created", "version_uploaded"]


def test_chair_invites_a_reviewer_and_the_outsider_then_sees_it(cast: Cast) -> None:
    pk = cast.publication.pk
    cast.client("chair").post(
        reverse("review:members", args=[pk]), {"username": "outsider", "role": "reviewer"}
    )
    assert (
        cast.client("outsider").get(reverse("review:publication_detail", args=[pk])).status_code
        == 200
    )


def test_chair_cannot_make_someone_chair_or_analyst(cast: Cast) -> None:
    pk = cast.publication.pk
    response = cast.client("chair").post(
        reverse("review:members", args=[pk]), {"username": "outsider", "role": "chair"}
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert (
        cast.client("outsider").get(reverse("review:publication_detail", args=[pk])).status_code
        == 404
    )


def test_home_lists_only_invited_publications(cast: Cast) -> None:
    page = cast.client("outsider").get(reverse("review:home")).content.decode()
    assert cast.publication.title not in page
    page = cast.client("reviewer").get(reverse("review:home")).content.decode()
    assert cast.publication.title in page
