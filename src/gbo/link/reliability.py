"""Whether the data's dates of birth and sexes are reliable enough for the conflict guards.

Three guards overrule the model's weights on a conflict: the birth-year veto (records whose
birth years are far apart are never linked), the household guard's sex clause (a different
recorded sex between members of one household) and the weak-link guard (a weak bridge
between parts whose sex or birth years conflict is cut). Each rests on one premise: that a
conflicting date of birth or sex means another person far more often than it means a
record keyed wrongly. In agency data that holds: a wholly different date with the same name
at the same address is usually a parent and child.

Data differ. In FEBRL, for one, a duplicate often carries a wholly different date of birth
(a replaced field); there the premise fails, and the veto held back hundreds of true pairs
that the model itself had scored as near-certain matches.

The trained model says which case the data are in, without labels: m of the date
comparison's "else" level is the share of true matches whose dates share nothing, and m of
the sex comparison's "different" level the share whose recorded sexes differ. A guard acts
only where that share is at most ``conflict_guard_max_disagreement`` (default 2%); otherwise
a conflict is weak evidence, the model weighs it at its trained value, and the guard
abstains. Measured: about 0.4% for dates on gbo's held-out generator settings, about 8% on
FEBRL3.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DATE_DISAGREES = ("dob", "else")
SEX_DISAGREES = ("sex", "different")
FORENAME_DISAGREES = ("forename", "else")


def _m_of(model: dict[str, Any], comparison: str, label: str) -> float | None:
    for item in model.get("comparisons", []):
        if item.get("output_column_name") != comparison:
            continue
        for level in item.get("comparison_levels", []):
            if level.get("label_for_charts") == label and not level.get("is_null_level"):
                m = level.get("m_probability")
                return float(m) if isinstance(m, int | float) else None
    return None


@dataclass(frozen=True)
class Reliability:
    """The trained share of true matches that disagree on date of birth and on sex."""

    date_disagreement: float | None
    sex_disagreement: float | None
    max_disagreement: float
    forename_disagreement: float | None = None

    @property
    def dates_reliable(self) -> bool:
        d = self.date_disagreement
        return d is not None and d <= self.max_disagreement

    @property
    def sex_reliable(self) -> bool:
        s = self.sex_disagreement
        return s is not None and s <= self.max_disagreement

    @property
    def forenames_reliable(self) -> bool:
        f = self.forename_disagreement
        return f is not None and f <= self.max_disagreement

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "date_guards_active": self.dates_reliable,
            "sex_guards_active": self.sex_reliable,
            "forename_guard_without_sex_active": self.forenames_reliable,
        }


def reliability(model: dict[str, Any], max_disagreement: float) -> Reliability:
    """Read the disagreement shares from a trained Splink model (module docstring)."""
    return Reliability(
        date_disagreement=_m_of(model, *DATE_DISAGREES),
        sex_disagreement=_m_of(model, *SEX_DISAGREES),
        max_disagreement=max_disagreement,
        forename_disagreement=_m_of(model, *FORENAME_DISAGREES),
    )


ALWAYS = Reliability(0.0, 0.0, 1.0, 0.0)  # every conflict guard active (tests, explicit use)
