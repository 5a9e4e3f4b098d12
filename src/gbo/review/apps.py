"""Django app configuration of the review app."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gbo.review"
    label = "review"
    verbose_name = "Reference group review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from gbo.review.project.private_files import tighten_on_connect

        connection_created.connect(tighten_on_connect, dispatch_uid="gbo-review-private-sqlite")
