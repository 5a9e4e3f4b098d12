"""Which quantities are published, suppressed or structurally empty, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

PUBLISHED = 0
PRIMARY = 1
SECONDARY = 2
STRUCTURAL = 3

STATUS_NAMES = {PRIMARY: "primary", SECONDARY: "secondary"}

RULE_THRESHOLD = "threshold"
RULE_DOMINANCE = "dominance"
RULE_SMALL_ZERO = "small_population_zero"
RULE_SECONDARY = "secondary"
RULE_STRUCTURAL = "structural_zero"


@dataclass
class SuppressionState:
    """The status of every quantity of a :class:`~gbo.disclosure.linear_system.LinearSystem`."""

    status: np.ndarray
    rules: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)

    @classmethod
    def all_published(cls, size: int) -> SuppressionState:
        return cls(np.zeros(size, dtype=np.int8))

    def hidden(self) -> np.ndarray:
        """Mask of suppressed quantities (primary or secondary)."""
        mask: np.ndarray = (self.status == PRIMARY) | (self.status == SECONDARY)
        return mask

    def is_hidden(self, quantity: int) -> bool:
        return int(self.status[quantity]) in (PRIMARY, SECONDARY)

    def mark(self, quantity: int, status: int, rule: str, reason: str) -> bool:
        """Give a published quantity a new status; False if it already had one."""
        if int(self.status[quantity]) != PUBLISHED:
            return False
        self.status[quantity] = status
        self.rules[quantity] = rule
        self.reasons[quantity] = reason
        return True

    def count(self, status: int) -> int:
        return int((self.status == status).sum())
