"""Comment threads anchored to a section or table, and the comments in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gbo.review.models.publications import AnchorKind, Publication, Version


class ThreadStatus(models.TextChoices):
    """Open until the analyst marks it addressed; only its commenter resolves or reopens it."""

    OPEN = "open", "Open"
    ADDRESSED = "addressed", "Addressed"
    RESOLVED = "resolved", "Resolved"


class Thread(models.Model):
    """A thread of comments on one anchor; it carries over to later versions by its anchor."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="threads")
    anchor_kind = models.CharField(max_length=8, choices=AnchorKind.choices)
    anchor_id = models.CharField(max_length=200)
    anchor_title = models.CharField(max_length=300)
    opened_on = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ThreadStatus.choices, default=ThreadStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["publication", "created_at"]
        indexes = [models.Index(fields=["publication", "status"])]

    def __str__(self) -> str:
        return f"Thread {self.pk} on {self.anchor_kind} {self.anchor_id}"

    @property
    def is_resolved(self) -> bool:
        return self.status == ThreadStatus.RESOLVED

    @property
    def anchor_key(self) -> str:
        return f"{self.anchor_kind}:{self.anchor_id}"


class Comment(models.Model):
    """The first comment of a thread or a reply, written while reading one version."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["thread", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} in thread {self.thread_id}"
