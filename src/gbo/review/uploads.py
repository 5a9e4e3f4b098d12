"""Taking in a bundle: a new publication with its first version, or a revised version."""

from __future__ import annotations

import posixpath
from typing import IO

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.urls import reverse

from gbo.bundle.format import REPORT_PATH
from gbo.errors import ReviewError
from gbo.review.audit_log import record_event
from gbo.review.bundle.report import FileUrl, read_report
from gbo.review.bundle.upload import CheckedBundle, check_bundle
from gbo.review.models import Anchor, Membership, Publication, Role, Version
from gbo.review.settings import REVIEW_SETTINGS

IMAGE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp")


def file_resolver(publication_pk: int, number: int, paths: set[str]) -> FileUrl:
    """Map a report's ``<img src>`` or ``<a href>`` to the app's file view, or None to drop it.

    Only files of the bundle are reachable, images only if they are images.
    """
    base = posixpath.dirname(REPORT_PATH)

    def file_url(tag: str, src: str) -> str | None:
        if ":" in src or src.startswith("/") or "?" in src or "#" in src:
            return None
        path = posixpath.normpath(posixpath.join(base, src))
        if path not in paths or (tag == "img" and not path.lower().endswith(IMAGE_SUFFIXES)):
            return None
        return reverse(
            "review:version_file",
            kwargs={"pk": publication_pk, "number": number, "path": path},
        )

    return file_url


def _store_version(
    publication: Publication,
    checked: CheckedBundle,
    source: IO[bytes],
    user: User,
    number: int,
) -> Version:
    manifest = checked.manifest
    if publication.versions.filter(content_hash=manifest.content_hash).exists():
        raise ReviewError(
            "This bundle is identical to a version already uploaded.",
            hint="a revised version must change at least one file",
        )
    version = Version(
        publication=publication,
        number=number,
        content_hash=manifest.content_hash,
        bundle_sha256=checked.sha256,
        run_id=manifest.run_id,
        code_version=manifest.code_version,
        bundle_title=manifest.title,
        bundle_created=manifest.created,
        is_synthetic=manifest.is_synthetic,
        files=[f.model_dump() for f in manifest.files],
        uploaded_by=user,
    )
    source.seek(0)
    version.bundle.save(f"{manifest.content_hash}.zip", File(source), save=False)
    version.save()
    paths = {f.path for f in manifest.files}
    anchors = read_report(checked.report_html, file_resolver(publication.pk, number, paths))
    Anchor.objects.bulk_create(
        Anchor(
            version=version,
            kind=a.kind,
            anchor_id=a.anchor_id,
            title=a.title,
            section_id=a.section_id,
            order=a.order,
            html=a.html,
            is_top_level=a.is_top_level,
        )
        for a in anchors
    )
    return version


def create_publication(user: User, title: str, source: IO[bytes], size: int) -> Publication:
    """A new publication from a checked bundle; the uploader becomes its analyst."""
    checked = check_bundle(source, size, REVIEW_SETTINGS)
    read_report(checked.report_html, lambda tag, src: None)
    with transaction.atomic():
        publication = Publication.objects.create(title=title, created_by=user)
        Membership.objects.create(
            publication=publication, user=user, role=Role.ANALYST, invited_by=user
        )
        version = _store_version(publication, checked, source, user, number=1)
        record_event(user, "publication_created", publication, publication, title=title)
        record_event(
            user,
            "version_uploaded",
            publication,
            version,
            number=1,
            content_hash=version.content_hash,
        )
    return publication


def add_version(user: User, publication: Publication, source: IO[bytes], size: int) -> Version:
    """A revised version; earlier decisions stay with the versions they were made on."""
    checked = check_bundle(source, size, REVIEW_SETTINGS)
    read_report(checked.report_html, lambda tag, src: None)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.is_released:
            raise ReviewError("This publication has been released; it cannot take a new version.")
        latest = locked.latest_version()
        number = (latest.number if latest else 0) + 1
        version = _store_version(locked, checked, source, user, number=number)
        record_event(
            user,
            "version_uploaded",
            locked,
            version,
            number=number,
            content_hash=version.content_hash,
        )
    return version
