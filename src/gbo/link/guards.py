"""Checks on a trained model: degenerate m and u values, and what was done about them.

EM can collapse when comparisons are correlated (the measured failure: m of "address differs"
learnt as ~0, so a person who moved scored a match weight of -40). After training, every
comparison level is checked:

* ``u_not_observed`` - the level never occurred among the random pairs sampled for u: u is
  set to ``u_unseen`` (about one over the sample size), i.e. rarer than the sample could see;
* ``m_not_trained`` - the level never occurred in training: it is made neutral (m = u) so it
  neither helps nor hurts a pair, and is left out of the other checks;
* ``m_degenerate_low`` - m below the floor: the level would make a near-certain non-match on
  its own. m is raised to the floor and the comparison's other m values rescaled;
* ``m_degenerate_high`` / ``u_degenerate_high`` - an m or u of the "else" level at or above
  0.999: the comparison carries no evidence (flagged only);
* ``weight_inverted`` - the most specific level has a lower weight than the "else" level
  (flagged only).
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ModelCheck:
    """One finding about one comparison level, and the action taken."""

    comparison: str
    level: str
    check: str
    value: float | None
    action: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not math.isnan(float(value)):
        return float(value)
    return None


def _weight(level: dict[str, Any]) -> float | None:
    m, u = _number(level.get("m_probability")), _number(level.get("u_probability"))
    if m is None or u is None or m <= 0 or u <= 0:
        return None
    return math.log2(m / u)


def check_model(
    model: dict[str, Any], m_floor: float, u_unseen: float = 1e-7
) -> tuple[dict[str, Any], list[ModelCheck]]:
    """Return a corrected copy of a Splink model dict and the findings behind each correction."""
    fixed = copy.deepcopy(model)
    findings: list[ModelCheck] = []
    for comparison in fixed.get("comparisons", []):
        name = str(comparison.get("output_column_name", "?"))
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level in levels:
            label = str(level.get("label_for_charts", "?"))
            u = _number(level.get("u_probability"))
            m = _number(level.get("m_probability"))
            if u is None and m is not None:
                # Never seen among random pairs: rarer than one in the sample.
                findings.append(
                    ModelCheck(name, label, "u_not_observed", None, f"u set to {u_unseen:.1e}")
                )
                level["u_probability"] = u_unseen
            elif u is None or m is None:
                # Never observed in training: neutral, so it neither helps nor hurts a pair.
                value: float = u_unseen if u is None else u
                findings.append(
                    ModelCheck(name, label, "m_not_trained", None, "made neutral (m = u)")
                )
                level["u_probability"] = level["m_probability"] = value
                level["is_neutral"] = True
        _floor_low_m(name, [lv for lv in levels if not lv.get("is_neutral")], m_floor, findings)
        for level in levels:
            level.pop("is_neutral", None)
        if levels:
            last = levels[-1]
            for key, check in (
                ("m_probability", "m_degenerate_high"),
                ("u_probability", "u_degenerate_high"),
            ):
                found = _number(last.get(key))
                if found is not None and found >= 0.999 and len(levels) > 1:
                    findings.append(
                        ModelCheck(name, str(last.get("label_for_charts")), check, found, "flagged")
                    )
            first_w, last_w = _weight(levels[0]), _weight(last)
            if first_w is not None and last_w is not None and first_w < last_w:
                findings.append(
                    ModelCheck(
                        name,
                        str(levels[0].get("label_for_charts")),
                        "weight_inverted",
                        first_w,
                        "flagged",
                    )
                )
    return fixed, findings


def _floor_low_m(
    name: str, levels: list[dict[str, Any]], m_floor: float, findings: list[ModelCheck]
) -> None:
    """Raise m values below the floor, rescaling the comparison's other m values to sum to 1."""
    # A level whose m is fixed by design (a neutral level, m = u) is never floored: raising
    # its m alone would turn "no evidence" into evidence for a match.
    low = [
        lv
        for lv in levels
        if not lv.get("fix_m_probability") and (_number(lv.get("m_probability")) or 0.0) < m_floor
    ]
    if not low:
        return
    for level in low:
        findings.append(
            ModelCheck(
                name,
                str(level.get("label_for_charts")),
                "m_degenerate_low",
                _number(level.get("m_probability")),
                f"m raised to {m_floor}",
            )
        )
        level["m_probability"] = m_floor
    rest = [lv for lv in levels if lv not in low and not lv.get("fix_m_probability")]
    fixed_total = sum(float(lv["m_probability"]) for lv in levels if lv not in rest)
    rest_total = sum(float(lv["m_probability"]) for lv in rest)
    if rest and rest_total > 0 and fixed_total < 1:
        scale = (1.0 - fixed_total) / rest_total
        for level in rest:
            level["m_probability"] = float(level["m_probability"]) * scale


def renormalise_fixed_m(model: dict[str, Any]) -> dict[str, Any]:
    """Rescale trained m values so each comparison's m values sum to 1 around fixed ones.

    EM leaves a level with a fixed m untouched and normalises the others among themselves,
    so their total slightly exceeds 1 - fixed m; this puts the total back to exactly 1.
    """
    fixed = copy.deepcopy(model)
    for comparison in fixed.get("comparisons", []):
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        pinned = [lv for lv in levels if lv.get("fix_m_probability")]
        free = [lv for lv in levels if lv not in pinned and _number(lv.get("m_probability"))]
        if not pinned or not free:
            continue
        pinned_total = sum(float(lv["m_probability"]) for lv in pinned)
        free_total = sum(float(lv["m_probability"]) for lv in free)
        if free_total > 0 and pinned_total < 1:
            for level in free:
                level["m_probability"] = (
                    float(level["m_probability"]) * (1 - pinned_total) / free_total
                )
    return fixed
