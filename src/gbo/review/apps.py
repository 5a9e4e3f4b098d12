"""Django app configuration of the review app."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gbo.review"
    label = "review"
    verbose_name = "Reference group review"
    default_auto_field = "django.db.models.BigAutoField"
