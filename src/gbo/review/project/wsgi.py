"""WSGI entry point (gunicorn ``gbo.review.project.wsgi:application``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gbo.review.project.settings.dev")
application = get_wsgi_application()
