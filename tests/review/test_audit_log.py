"""The audit log is append-only: the model, the queryset and the database all refuse changes."""

from __future__ import annotations

import csv
import io
import os

import pytest
from django.db import DatabaseError, connection, transaction

from gbo.review.audit_log import events_as_csv, record_event
from gbo.review.models import AppendOnlyError, AuditEvent
from tests.review.conftest import Cast, make_user


@pytest.fixture
def event(cast: Cast) -> AuditEvent:
    return record_event(cast.users["chair"], "test_action", cast.publication, cast.publication)


def test_saving_a_changed_event_is_refused(event: AuditEvent) -> None:
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_queryset_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "test_action"


def test_database_refuses_raw_update_and_delete(event: AuditEvent) -> None:
    for sql in ("UPDATE review_auditevent SET action = 'x'", "DELETE FROM review_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk, action="test_action").exists()


def test_every_upload_is_logged(cast: Cast) -> None:
    actions = list(
        AuditEvent.objects.filter(publication=cast.publication).values_list("action", flat=True)
    )
    assert actions[:2] == ["publication_created", "version_uploaded"]


def test_csv_export_has_a_row_per_event_and_neutralises_formulas(cast: Cast) -> None:
    risky = make_user("@sum")
    record_event(risky, "test_action", cast.publication, None)
    text = events_as_csv(AuditEvent.objects.order_by("at", "pk"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["event_id", "at", "actor", "action"]
    assert len(rows) == AuditEvent.objects.count() + 1
    assert rows[-1][2] == "'@sum"
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows[1:] for cell in row)


def test_database_is_the_one_asked_for(db: None) -> None:
    """The PostgreSQL run sets GBO_REVIEW_EXPECT_VENDOR, so it cannot pass on SQLite."""
    assert connection.vendor == os.environ.get("GBO_REVIEW_EXPECT_VENDOR", connection.vendor)
