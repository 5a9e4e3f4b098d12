"""Settings of the review app that are not Django's own (limits, quorum, sessions)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from gbo.settings_base import Settings

KB = 1024
MB = 1024 * 1024
# Room for a form's other fields and the multipart framing around an uploaded bundle.
UPLOAD_OVERHEAD_BYTES = 256 * KB


class ReviewSettings(Settings):
    """Limits on uploads and the defaults of the reference group's sign-off."""

    max_upload_mb: int = Field(
        default=50, ge=1, description="Largest release bundle (zip) accepted, in MB."
    )
    max_unpacked_mb: int = Field(
        default=250,
        ge=1,
        description="Largest total size of a bundle's files once unpacked, in MB.",
    )
    max_files: int = Field(default=2000, ge=2, description="Most files a release bundle may hold.")
    max_compression_ratio: float = Field(
        default=200.0,
        gt=1.0,
        description="Largest unpacked/packed size ratio of any file (a higher one is a zip bomb).",
    )
    min_quorum: int = Field(
        default=2,
        ge=1,
        description="Fewest approvals any publication may be set to need; the chair cannot "
        "set the quorum lower.",
    )
    default_quorum: int = Field(
        default=2, ge=1, description="Approvals a new publication needs before it can be released."
    )
    blind_decisions: bool = Field(
        default=True,
        description="Hide other reviewers' decisions from a reviewer until they have recorded "
        "their own on the same version (no anchoring).",
    )
    max_form_kb: int = Field(
        default=256,
        ge=16,
        description="Largest request body accepted for anything but a bundle upload (comments, "
        "decisions, admin forms), in KB.",
    )
    max_sign_in_kb: int = Field(
        default=16,
        ge=4,
        description="Largest request body accepted from someone not signed in (the sign-in "
        "form), in KB.",
    )
    session_minutes: int = Field(
        default=30, ge=1, description="Minutes of inactivity after which a session expires."
    )
    login_failure_limit: int = Field(
        default=5, ge=1, description="Failed sign-ins before an account and address are locked."
    )
    lockout_minutes: int = Field(
        default=30, ge=1, description="Minutes a lock after too many failed sign-ins lasts."
    )
    max_comment_chars: int = Field(
        default=5000, ge=100, description="Longest comment or reply accepted, in characters."
    )

    @model_validator(mode="after")
    def _quorum_not_below_minimum(self) -> Self:
        if self.default_quorum < self.min_quorum:
            raise ValueError(
                f"default_quorum ({self.default_quorum}) is below min_quorum ({self.min_quorum})"
            )
        return self

    @property
    def max_upload_body_bytes(self) -> int:
        """Largest request body of a bundle upload: the bundle plus the form around it."""
        return self.max_upload_mb * MB + UPLOAD_OVERHEAD_BYTES

    @property
    def max_form_bytes(self) -> int:
        return self.max_form_kb * KB

    @property
    def max_sign_in_bytes(self) -> int:
        return self.max_sign_in_kb * KB


REVIEW_SETTINGS = ReviewSettings()


def review_settings() -> ReviewSettings:
    """The review settings in force: Django's ``REVIEW`` setting if set (tests), else defaults."""
    from django.conf import settings

    configured = getattr(settings, "REVIEW", None)
    return configured if isinstance(configured, ReviewSettings) else REVIEW_SETTINGS
