"""Settings of the groups stage: the group rule and the analyst exports.

The group rule (which links count, the shared-victim window, the minimum size and how large
components are split) is versioned: ``rule_version`` goes into every group pseudonym, the
manifest and ``group_rule.json``. Change the version whenever you change the rule.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from gbo.schema import codes
from gbo.settings_base import Settings

EdgeType = Literal["shared_offence", "shared_victim", "association"]
EDGE_TYPES: tuple[EdgeType, ...] = ("shared_offence", "shared_victim", "association")
LeidenObjective = Literal["modularity", "cpm"]
LeidenEngine = Literal["leidenalg", "igraph"]

DEFAULT_RULE_VERSION = "gbo-groups-1"
DEFAULT_EDGE_TYPES: tuple[EdgeType, ...] = ("shared_offence", "shared_victim")
DEFAULT_EDGE_WEIGHTS: dict[EdgeType, float] = {
    "shared_offence": 1.0,
    "shared_victim": 1.0,
    "association": 0.5,
}


class GroupsSettings(Settings):
    """Settings of the groups stage."""

    rule_version: str = Field(
        DEFAULT_RULE_VERSION,
        min_length=1,
        pattern=r"^[A-Za-z0-9._-]+$",
        description=(
            "Name and version of the group rule; part of every group pseudonym. Change it "
            "whenever any rule setting changes."
        ),
    )
    edge_types: list[EdgeType] = Field(
        default_factory=lambda: list(DEFAULT_EDGE_TYPES),
        min_length=1,
        description=(
            "Links between offenders that make a group: shared_offence (named as suspect, "
            "accused or convicted on the same offence), shared_victim (offences against the "
            "same victim within the window), association (a recorded association)."
        ),
    )
    shared_victim_window_days: int | None = Field(
        365,
        ge=0,
        description=(
            "Two offenders are linked through a shared victim only when their offences "
            "against that victim are at most this many days apart (none: no limit). "
            "Undated offences make no shared-victim links."
        ),
    )
    association_types: list[str] = Field(
        default_factory=lambda: list(codes.ASSOCIATION_TYPES),
        description="Recorded association types that count as links (codes.ASSOCIATION_TYPES).",
    )
    min_group_size: int = Field(
        2, ge=2, description="Smallest number of offenders that makes a group."
    )
    split_threshold: int = Field(
        20,
        ge=2,
        description=(
            "Connected components with more offenders than this are split into communities "
            "with Leiden; smaller ones are groups as they are."
        ),
    )
    leiden_objective: LeidenObjective = Field(
        "cpm",
        description=(
            "Quality function Leiden optimises when splitting: cpm (constant Potts model: "
            "pieces must be denser than the resolution) or modularity (configuration model)."
        ),
    )
    leiden_resolution: float = Field(
        0.05,
        gt=0,
        description=(
            "Resolution of the Leiden quality function: higher gives smaller pieces. For cpm "
            "it is the link density a piece must exceed."
        ),
    )
    leiden_seed: int = Field(20260101, ge=0, description="Random seed of Leiden (fixed).")
    leiden_engine: LeidenEngine = Field(
        "leidenalg",
        description=(
            "Implementation of Leiden: leidenalg (the reference package) or igraph's built-in "
            "community_leiden (same algorithm, much faster on many components)."
        ),
    )
    leiden_iterations: int = Field(
        -1, description="Leiden iterations; -1 runs until the partition no longer changes."
    )
    edge_weights: dict[EdgeType, float] = Field(
        default_factory=lambda: dict(DEFAULT_EDGE_WEIGHTS),
        description=(
            "Weight of one piece of evidence of each link type when Leiden splits a component "
            "(a shared offence, a shared victim, an association record)."
        ),
    )
    offender_roles: list[str] = Field(
        default_factory=lambda: sorted(codes.OFFENDER_ROLES),
        min_length=1,
        description="Involvement roles that make a person an offender (codes.ROLES).",
    )
    sensitivity: bool = Field(
        True, description="Write the sensitivity table of groups under alternative rules."
    )
    i2_export: bool = Field(
        True, description="Write entity and link CSVs for IBM i2 Analyst's Notebook."
    )
    network_pictures: int = Field(
        500,
        ge=0,
        description=(
            "Draw an SVG network picture (internal use only) for at most this many groups, "
            "largest first; 0 draws none."
        ),
    )

    @model_validator(mode="after")
    def _check_codes(self) -> GroupsSettings:
        problems = []
        unknown_assoc = sorted(set(self.association_types) - set(codes.ASSOCIATION_TYPES))
        if unknown_assoc:
            problems.append(f"unknown association types {unknown_assoc}")
        unknown_roles = sorted(set(self.offender_roles) - codes.OFFENDER_ROLES)
        if unknown_roles:
            problems.append(f"offender_roles must be among {sorted(codes.OFFENDER_ROLES)}")
        if len(set(self.edge_types)) != len(self.edge_types):
            problems.append("edge_types lists a type twice")
        if any(w <= 0 for w in self.edge_weights.values()):
            problems.append("edge_weights must be positive")
        if problems:
            raise ValueError("; ".join(problems))
        return self
