"""Settings of the disclosure stage."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from gbo.settings_base import Settings

Rounding = Literal["none", "base5", "base10"]
ROUNDING_BASES: dict[str, int] = {"none": 1, "base5": 5, "base10": 10}


class DisclosureSettings(Settings):
    """How small cells are suppressed, totals protected and figures rounded before release."""

    threshold: int = Field(
        5,
        ge=2,
        le=100,
        description="Counts of people from 1 to threshold - 1 are suppressed (primary "
        "suppression). 5 is the default; 10 is the common choice for research outputs.",
    )
    protection_interval: int | None = Field(
        None,
        ge=1,
        description="Every suppressed count must have a feasible range (max - min over all "
        "values consistent with what is published) at least this wide; none = the threshold.",
    )
    rounding: Rounding = Field(
        "none",
        description="Round published counts of people: 'none', 'base5' or 'base10'. Rounded "
        "figures need not add up to rounded totals; percentages are worked from rounded figures.",
    )
    dominance_share: float = Field(
        1.0,
        gt=0.5,
        le=1.0,
        description="A column of a table where one recorded category holds at least this share "
        "of the recorded people discloses their attribute: that cell and the small cells beside "
        "it are suppressed. 1.0 means 'everyone in one category'.",
    )
    dominance_exempt_tables: list[str] = Field(
        default_factory=list,
        description="Tables (by table_id) whose attribute is not sensitive, to which the "
        "all-in-one-category rule does not apply (e.g. offenders' sex).",
    )
    small_denominator: int = Field(
        30,
        ge=0,
        description="Percentages and intervals whose base (people in the column, or those "
        "recorded) is below this are of low reliability and marked [u]; 0 turns the rule off.",
    )
    small_denominator_action: Literal["flag", "suppress"] = Field(
        "flag",
        description="'flag' shows a low-reliability percentage followed by [u] (e.g. '12.5 "
        "[u]'); 'suppress' shows [u] in place of the figure.",
    )
    statistic_threshold: int | None = Field(
        None,
        ge=1,
        description="Statistics (medians, quartiles, rate ratios) about fewer people than this "
        "are suppressed; none = the threshold.",
    )
    percent_decimals: int = Field(
        1, ge=0, le=3, description="Decimal places of published percentages and intervals."
    )
    max_secondary_rounds: int = Field(
        500,
        ge=1,
        description="Give up (with an error) if secondary suppression has not satisfied the "
        "audit after this many rounds.",
    )
    audit_integer: bool = Field(
        True,
        description="Solve integer programmes instead of linear ones in secondary "
        "suppression and the audit: exact ranges for whole-number counts, as a reader who "
        "knows counts are whole numbers would find them (false: linear programmes, whose "
        "ranges can be wider than the whole-number ones).",
    )

    @model_validator(mode="after")
    def _check(self) -> DisclosureSettings:
        if self.protection_interval is not None and self.protection_interval > 10 * self.threshold:
            raise ValueError("protection_interval above ten times the threshold is not sensible")
        return self

    @property
    def protection(self) -> int:
        """The protection interval in force."""
        return self.protection_interval if self.protection_interval is not None else self.threshold

    @property
    def rounding_base(self) -> int:
        """1 when counts are not rounded, else 5 or 10."""
        return ROUNDING_BASES[self.rounding]

    @property
    def min_statistic_n(self) -> int:
        """The fewest people a published statistic may describe."""
        return self.statistic_threshold if self.statistic_threshold is not None else self.threshold
