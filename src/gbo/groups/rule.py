"""The group rule: which links make a group, and how large components are split.

A :class:`GroupRule` is the frozen, versioned form of the rule settings. Its ``to_json`` is
written as ``group_rule.json`` and into the manifest, and its ``describe`` sentence is the
note that every table about groups carries.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from gbo.groups.settings import DEFAULT_RULE_VERSION, EDGE_TYPES, EdgeType, GroupsSettings

EDGE_TYPE_LABELS: dict[str, str] = {
    "shared_offence": "being named as offenders on the same offence",
    "shared_victim": "offending against the same victim",
    "association": "a recorded association between them",
}


@dataclass(frozen=True)
class GroupRule:
    """A versioned group rule."""

    version: str = DEFAULT_RULE_VERSION
    edge_types: tuple[EdgeType, ...] = ("shared_offence", "shared_victim")
    shared_victim_window_days: int | None = 365
    association_types: tuple[str, ...] = ()
    min_group_size: int = 2
    split: bool = True
    split_threshold: int = 20
    leiden_objective: str = "cpm"
    leiden_resolution: float = 0.05
    leiden_seed: int = 20260101
    leiden_engine: str = "leidenalg"
    leiden_iterations: int = -1
    edge_weights: dict[str, float] = field(
        default_factory=lambda: {"shared_offence": 1.0, "shared_victim": 1.0, "association": 0.5}
    )

    @classmethod
    def from_settings(cls, settings: GroupsSettings) -> GroupRule:
        return cls(
            version=settings.rule_version,
            edge_types=tuple(t for t in EDGE_TYPES if t in settings.edge_types),
            shared_victim_window_days=settings.shared_victim_window_days,
            association_types=tuple(sorted(settings.association_types)),
            min_group_size=settings.min_group_size,
            split_threshold=settings.split_threshold,
            leiden_objective=settings.leiden_objective,
            leiden_resolution=settings.leiden_resolution,
            leiden_seed=settings.leiden_seed,
            leiden_engine=settings.leiden_engine,
            leiden_iterations=settings.leiden_iterations,
            edge_weights={t: settings.edge_weights.get(t, 1.0) for t in EDGE_TYPES},
        )

    def with_edges(self, edge_types: tuple[EdgeType, ...], *, split: bool) -> GroupRule:
        """The same rule with other link types, split or not (for the sensitivity table)."""
        return replace(self, edge_types=edge_types, split=split)

    def definition(self) -> dict[str, Any]:
        """Everything that decides the groups (not the version label)."""
        return {
            "edge_types": list(self.edge_types),
            "shared_victim_window_days": (
                self.shared_victim_window_days if "shared_victim" in self.edge_types else None
            ),
            "association_types": (
                list(self.association_types) if "association" in self.edge_types else None
            ),
            "min_group_size": self.min_group_size,
            "split": self.split,
            "split_threshold": self.split_threshold if self.split else None,
            "leiden": (
                {
                    "package": self.leiden_engine,
                    "objective": self.leiden_objective,
                    "resolution": self.leiden_resolution,
                    "seed": self.leiden_seed,
                    "iterations": self.leiden_iterations,
                    "edge_weights": {t: self.edge_weights[t] for t in self.edge_types},
                }
                if self.split
                else None
            ),
        }

    @property
    def rule_hash(self) -> str:
        text = json.dumps(self.definition(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def describe(self) -> str:
        """One plain-English sentence for table notes."""
        links = [EDGE_TYPE_LABELS[t] for t in self.edge_types]
        if "shared_victim" in self.edge_types and self.shared_victim_window_days is not None:
            links[self.edge_types.index("shared_victim")] += (
                f" (offences at most {self.shared_victim_window_days} days apart)"
            )
        text = (
            f"Group rule {self.version}: a group is {self.min_group_size} or more offenders "
            f"connected, directly or through others, by {_join(links)}."
        )
        if self.split:
            text += (
                f" Networks of more than {self.split_threshold} offenders are split into "
                f"communities with the Leiden algorithm ({self.leiden_objective}, resolution "
                f"{self.leiden_resolution:g}, seed {self.leiden_seed})."
            )
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_version": self.version,
            "rule_hash": self.rule_hash,
            "definition": self.definition(),
            "description": self.describe(),
        }


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def default_rule() -> GroupRule:
    """The rule gbo's default settings give."""
    return GroupRule.from_settings(GroupsSettings())
