"""The sections of the publication, in report order.

Stages that write tidy tables name the section each table belongs to (``tables.json``
``section``); the publish stage orders the report by this list.
"""

from __future__ import annotations

REPORT_SECTIONS: tuple[str, ...] = (
    "scale",
    "offenders",
    "groups",
    "victims",
    "context",
    "outcomes",
    "baseline",
    "journeys",
    "lessons",
    "quality",
)
