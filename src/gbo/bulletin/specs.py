"""The declared plan of the bulletin: its sections and the sentences each drafts.

The plan is a TOML file (``sections.toml`` beside this module by default). Each section
names the table whose chart it shows and the sentences to draft; a sentence names its
table, breakdown and kind. A sentence whose table, breakdown or figures are not published
is simply not drafted, so one plan serves every run.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gbo.config import format_validation_error
from gbo.errors import ConfigError

DEFAULT_PLAN = "sections.toml"

PointKind = Literal["share", "majority", "statistic", "compare", "top"]


class _Declared(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PointSpec(_Declared):
    """One sentence to draft from one published table."""

    kind: PointKind = Field(
        description="share: one category's share; majority: the category that is more than "
        "half, if any; statistic: a median with its quartiles; compare: one category's share "
        "in two breakdowns; top: the categories with the largest published counts."
    )
    table: str = Field(description="Table id (for kind 'statistic', the table's statistics).")
    breakdown: str = Field("All", description="Breakdown of the table the sentence reads.")
    other_breakdown: str = Field("", description="Second breakdown (kind 'compare').")
    category: str = Field("", description="Category (kinds 'share' and 'compare').")
    subject: str = Field(description="Who or what is counted, e.g. 'offenders in groups'.")
    other_subject: str = Field("", description="Who is counted in the second breakdown.")
    field: str = Field("", description="The characteristic, for the 'not recorded' clause.")
    wording: str = Field("", description="How the category reads in the sentence.")
    unit: str = Field("", description="Unit of a statistic, e.g. 'days' or 'years'.")
    top: int = Field(3, ge=1, le=5, description="How many categories (kind 'top').")
    is_main_point: bool = Field(False, description="Also one of the bulletin's main points.")
    needs_completeness: bool = Field(
        False,
        description="The characteristic is often not recorded (ethnicity above all): draft the "
        "sentence only with the share not recorded beside it.",
    )


class SectionSpec(_Declared):
    """One short section of the bulletin."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Anchor and commentary file name.")
    heading: str
    chart: str = Field("", description="Table whose chart the section shows.")
    points: list[PointSpec] = Field(default_factory=list)


class BulletinPlan(_Declared):
    sections: list[SectionSpec]


def load_plan(path: Path | None = None) -> BulletinPlan:
    """The bulletin plan from ``path``, or the one shipped with gbo."""
    if path is None:
        text = resources.files("gbo.bulletin").joinpath(DEFAULT_PLAN).read_text("utf-8")
        where: Path | str = DEFAULT_PLAN
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ConfigError("bulletin plan not found", path=path) from exc
        where = path
    try:
        return BulletinPlan.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=where) from exc
    except ValidationError as exc:
        raise ConfigError(
            "invalid bulletin plan:\n" + format_validation_error(exc),
            hint="see docs/methodology/publication.md, 'The bulletin'",
            path=where,
        ) from exc
