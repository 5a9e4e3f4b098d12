"""Reviewers' decisions on a version (bound to its content hash) and the release."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gbo.review.models.publications import Publication, Version


class Outcome(models.TextChoices):
    """Only ``approve`` counts towards the quorum; changes asked for need a new version."""

    APPROVE = "approve", "Approve"
    APPROVE_WITH_CHANGES = "approve_with_changes", "Approve with changes"
    DO_NOT_APPROVE = "do_not_approve", "Do not approve"


class Decision(models.Model):
    """A reviewer's decision on one version; the latest per reviewer and version counts."""

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="decisions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    content_hash = models.CharField(
        max_length=64, help_text="Content hash of the bundle the reviewer decided on."
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "reviewer", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.outcome} {self.content_hash[:12]}"


class Release(models.Model):
    """The one released version of a publication: frozen, with the final bundle."""

    publication = models.OneToOneField(
        Publication, on_delete=models.PROTECT, related_name="release"
    )
    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="release")
    content_hash = models.CharField(max_length=64)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField()
    bundle = models.FileField(upload_to="released/")
    bundle_sha256 = models.CharField(max_length=64)
    record = models.JSONField()

    def __str__(self) -> str:
        return f"Release of {self.publication} ({self.content_hash[:12]})"


class Override(models.Model):
    """The chair's override of a standing *do not approve*, with the reason they recorded."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="override")
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Override of decision {self.decision_id} by {self.overridden_by}"
