"""Settings of the review app that are not Django's own (limits, quorum, sessions)."""

from __future__ import annotations

from pydantic import Field

from gbo.settings_base import Settings


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
    default_quorum: int = Field(
        default=2, ge=1, description="Approvals a new publication needs before it can be released."
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


REVIEW_SETTINGS = ReviewSettings()
