"""Publications, who is a member of each (and in what role), versions and their anchors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from gbo.review.settings import REVIEW_SETTINGS


class Role(models.TextChoices):
    """A member's role on one publication (administrators are site-wide, not members)."""

    ANALYST = "analyst", "Analyst"
    REVIEWER = "reviewer", "Reviewer"
    CHAIR = "chair", "Chair"


class Publication(models.Model):
    """A draft publication going through review; released once, then frozen."""

    title = models.CharField(max_length=200)
    quorum = models.PositiveSmallIntegerField(
        default=REVIEW_SETTINGS.default_quorum,
        validators=[MinValueValidator(1)],
        help_text="Reviewers who must approve the same version before it can be released.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_released(self) -> bool:
        return hasattr(self, "release")

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-number").first()


class Membership(models.Model):
    """A user invited to a publication, with one role on it."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "user"], name="one_role_per_member")
        ]
        ordering = ["role", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) on {self.publication}"


class Version(models.Model):
    """One uploaded release bundle of a publication, identified by its content hash."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    bundle = models.FileField(upload_to="bundles/")
    bundle_sha256 = models.CharField(max_length=64)
    run_id = models.CharField(max_length=200)
    code_version = models.CharField(max_length=200)
    bundle_title = models.CharField(max_length=300)
    bundle_created = models.CharField(max_length=64)
    is_synthetic = models.BooleanField()
    files = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="version_number"),
            models.UniqueConstraint(
                fields=["publication", "content_hash"], name="version_content_once"
            ),
        ]
        ordering = ["publication", "number"]

    def __str__(self) -> str:
        return f"{self.publication} version {self.number}"

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    def file_entry(self, path: str) -> dict[str, Any] | None:
        for entry in self.files:
            if entry["path"] == path:
                return dict(entry)
        return None


class AnchorKind(models.TextChoices):
    SECTION = "section", "Section"
    TABLE = "table", "Table"
    FIGURE = "figure", "Figure"


class Anchor(models.Model):
    """A section (``id``), table (``data-table-id``) or figure (``data-figure-id``) of a report."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="anchors")
    kind = models.CharField(max_length=8, choices=AnchorKind.choices)
    anchor_id = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    section_id = models.CharField(
        max_length=200, help_text="The top-level section that holds this anchor."
    )
    order = models.PositiveIntegerField()
    html = models.TextField(blank=True, help_text="Sanitised HTML of a top-level section.")
    is_top_level = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "anchor_id"], name="anchor_once")
        ]
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.kind} {self.anchor_id}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.anchor_id}"
