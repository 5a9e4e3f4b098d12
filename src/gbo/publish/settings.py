"""Settings of the publish stage."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from gbo.bulletin.settings import BulletinSettings
from gbo.settings_base import Settings

DEFAULT_CAVEATS: tuple[str, ...] = (
    "These statistics count what agencies recorded. Group-based child sexual exploitation is "
    "under-reported, so the figures describe identified cases, not how common it is.",
    "Records from different agencies were linked without a shared identifier. Some records of "
    "the same person may not have been joined, and some records of different people may have "
    "been joined; the linkage quality section gives the estimated error.",
    "Offending groups depend on the group rule: a different time window or kinds of link would "
    "give different groups. The group rule section shows how the figures change.",
    "Many characteristics, ethnicity above all, are often not recorded. Every table shows a "
    "'Not recorded' row, and percentages are given of all people and of those recorded.",
    "Small numbers are suppressed or rounded to protect the children and others in the "
    "records, so some rows and columns do not add to their totals.",
)


class ChartSettings(Settings):
    """Charts drawn beside the tables."""

    enabled: bool = Field(True, description="Draw a bar chart beside each eligible table.")
    max_categories: int = Field(
        20, ge=1, description="Tables with more categories than this get no chart."
    )
    max_breakdowns: int = Field(
        4, ge=1, description="Tables with more breakdowns (chart panels) than this get no chart."
    )
    width: int = Field(360, ge=100, le=1200, description="Chart width in pixels.")
    bar_height: int = Field(18, ge=8, le=60, description="Height of one bar in pixels.")
    colour: str = Field(
        "#1d70b8",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Bar colour (GOV.UK blue by default; meaning is never carried by colour).",
    )
    sections: list[str] = Field(
        default_factory=lambda: [
            "offenders",
            "groups",
            "victims",
            "context",
            "outcomes",
            "journeys",
            "lessons",
        ],
        description="Report sections whose tables get charts.",
    )


class PublishSettings(Settings):
    """Settings of the publish stage: who publishes, when, and in which formats."""

    organisation: str = Field(
        "Analysis team (synthetic demonstration)",
        description="Organisation named as the producer on the cover sheet and in the report.",
    )
    contact_email: str = Field(
        "statistics@example.org",
        description="Contact email address printed on the cover sheet and in the report.",
    )
    release_date: date | None = Field(
        None,
        description="Publication date; when unset, the date of the run is used.",
    )
    next_release: str = Field(
        "To be announced",
        description="When the next edition is due (free text, e.g. 'Autumn 2027').",
    )
    period: str = Field(
        "",
        description="Period the statistics cover; when empty, taken from the tables' metadata.",
    )
    write_html: bool = Field(True, description="Write the HTML report.")
    write_xlsx: bool = Field(True, description="Write the XLSX workbook.")
    write_ods: bool = Field(
        True, description="Convert the workbook to ODS with LibreOffice (skipped if absent)."
    )
    write_csv: bool = Field(True, description="Write one tidy CSV per published table.")
    write_bundle: bool = Field(
        True, description="Write release-bundle.zip and release.json for the review app."
    )
    soffice_path: str = Field(
        "soffice", description="LibreOffice executable used for the ODS conversion."
    )
    soffice_timeout_seconds: int = Field(
        180, ge=10, description="Give up on the ODS conversion after this many seconds."
    )
    node_modules: str = Field(
        "",
        description="Folder holding govuk-frontend (node_modules); empty means the repository's.",
    )
    govuk_typeface: bool = Field(
        True,
        description="Use GOV.UK Frontend's GDS Transport typeface, which is licensed for GOV.UK "
        "services only; false uses Arial (for a release published elsewhere).",
    )
    caveats: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CAVEATS),
        description="Caveats printed in the report and on the cover sheet.",
    )
    charts: ChartSettings = Field(default_factory=ChartSettings, description="Chart options.")
    bulletin: BulletinSettings = Field(
        default_factory=BulletinSettings,
        description="The statistical bulletin, its main points and the analyst's commentary.",
    )
