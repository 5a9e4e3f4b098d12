"""Notices for one account, shown on their next visit (e.g. added to or removed from one)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notice(models.Model):
    """Something the account should be told; shown once, on the next page they open."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_notices"
    )
    publication = models.ForeignKey(
        "review.Publication", on_delete=models.CASCADE, null=True, related_name="+"
    )
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "seen_at"], name="notice_unseen")]

    def __str__(self) -> str:
        return f"Notice to {self.user}: {self.text[:40]}"
