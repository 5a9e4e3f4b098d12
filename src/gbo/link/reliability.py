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

For sex and forenames the trained share can be wrong in the very case the guards are for.
EM learns m from the pairs it takes for matches, and twins and siblings are among them:
twins of opposite sex whose forenames look alike (Daniel and Danielle, same family name,
birthday and home) inflate the share of matches whose sexes differ, twins with unrelated
forenames the share whose forenames do. In a small extract with several such pairs EM put
the sex share at 5%, the guards switched off, and the twins were linked. So each share is
also counted directly, on *anchor pairs* that are one person whatever the model says and
that say nothing of the attribute measured: for sex, the same NHS number, or the same
forename, family name and full date of birth (twins never share a forename or an NHS
number); for forenames, the same NHS number; for NHS numbers (the join guard of
:mod:`gbo.link.constrained`, which same-sex twins with alike forenames inflate the same
way), the same forename, family name and full date of birth. Where at least
:data:`MIN_ANCHOR_PAIRS` anchor pairs record the attribute on both sides, their share
decides; with fewer, the trained share does. Both are reported (``linkage_quality.json``,
the data quality page).

NHS numbers are the exception to that last rule. Where only one agency records them, or
nobody is recorded twice with names and birthday alike, there are no anchor pairs, and the
trained share is learnt from the only pairs with two numbers: twins in the same agency (an
analyst's social care export with twelve pairs of twins put it at 100%, and two pairs of
twins with different, valid NHS numbers became one child each). An NHS number is issued
once per person, so with too few anchor pairs a conflict between two numbers is taken as
two people and the guard acts; anchor pairs that show the data's numbers disagreeing for one
person still switch it off.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

DATE_DISAGREES = ("dob", "else")
SEX_DISAGREES = ("sex", "different")
FORENAME_DISAGREES = ("forename", "else")
NHS_DISAGREES = ("nhs_number", "else")
#: Fewest anchor pairs (the attribute on both sides) whose share of disagreements is trusted.
MIN_ANCHOR_PAIRS = 50
TRAINED = "trained model"
UNMEASURED_NHS = "too few anchor pairs: NHS numbers taken as one per person"
# The levels that make a pair one person without its sex: the forename the same name (not a
# shared form: Samuel and Samantha are both "Sam"), the family name and the full date.
_NAMED_ANCHOR = {
    "forename": {"exact, a middle name agrees", "exact, middle names differ", "exact"},
    "surname": {"exact"},
    "dob": {"exact"},
}
_ANCHORS_SAID = {
    "sex": "anchor pairs (same NHS number, or same names and date of birth)",
    "forename": "anchor pairs (same NHS number)",
    "nhs": "anchor pairs (same names and date of birth)",
}


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
class Share:
    """One attribute's share of true matches that disagree: as trained, and as counted on
    anchor pairs (module docstring)."""

    trained: float | None
    anchored: float | None = None
    anchor_pairs: int = 0
    anchors: str = ""  # which pairs were anchors
    # the share taken when too few anchor pairs count it (None: the trained share)
    unmeasured: float | None = None

    @property
    def from_anchors(self) -> bool:
        return self.anchored is not None and self.anchor_pairs >= MIN_ANCHOR_PAIRS

    @property
    def value(self) -> float | None:
        if self.from_anchors:
            return self.anchored
        if self.unmeasured is not None and self.trained is not None:
            return self.unmeasured
        return self.trained

    @property
    def measured_from(self) -> str:
        if self.from_anchors:
            return self.anchors
        if self.unmeasured is not None and self.trained is not None:
            return UNMEASURED_NHS
        return TRAINED


@dataclass(frozen=True)
class Reliability:
    """The share of true matches that disagree on date of birth, sex and forename."""

    date_disagreement: float | None
    sex_disagreement: float | None
    max_disagreement: float
    forename_disagreement: float | None = None
    # How each share was measured, by attribute (absent: from the trained model).
    measured: dict[str, dict[str, Any]] = field(default_factory=dict)
    nhs_disagreement: float | None = None

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

    @property
    def nhs_numbers_reliable(self) -> bool:
        n = self.nhs_disagreement
        return n is not None and n <= self.max_disagreement

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "date_guards_active": self.dates_reliable,
            "sex_guards_active": self.sex_reliable,
            "forename_guard_without_sex_active": self.forenames_reliable,
            "nhs_number_guard_active": self.nhs_numbers_reliable,
        }


def anchored_shares(
    scored: pa.Table, labels: dict[str, dict[int, str]]
) -> dict[str, tuple[float | None, int]]:
    """For sex, forename and NHS number: the share of anchor pairs that disagree on it
    (for NHS numbers: not the same number and more than a keying slip apart), and how many
    anchor pairs record it on both sides (the module docstring). ``scored`` holds Splink's
    ``gamma_*`` columns, ``labels`` the model's level labels."""
    wanted = {"sex", "nhs_number", *_NAMED_ANCHOR}
    present = [f"gamma_{c}" for c in wanted if f"gamma_{c}" in scored.column_names]
    gammas = scored.select(present).to_pandas()

    def level(name: str) -> pd.Series:
        column = f"gamma_{name}"
        if column not in gammas:
            return pd.Series("null", index=gammas.index)
        found: pd.Series = gammas[column].map(labels.get(name, {})).fillna("null")
        return found

    same_number = level("nhs_number") == "exact"
    named = pd.Series(True, index=gammas.index)
    for name, levels in _NAMED_ANCHOR.items():
        named &= level(name).isin(levels)
    sex, forename = level("sex"), level("forename")
    return {
        "sex": _share(sex[same_number | named], SEX_DISAGREES[1]),
        "forename": _share(forename[same_number], FORENAME_DISAGREES[1]),
        "nhs": _share(level("nhs_number")[named], NHS_DISAGREES[1]),
    }


def _share(levels: pd.Series, disagrees: str) -> tuple[float | None, int]:
    recorded = levels[levels != "null"]
    if recorded.empty:
        return None, 0
    return float((recorded == disagrees).mean()), len(recorded)


def reliability(
    model: dict[str, Any],
    max_disagreement: float,
    anchored: dict[str, tuple[float | None, int]] | None = None,
) -> Reliability:
    """Read the disagreement shares from a trained Splink model; those of sex and forename
    from ``anchored`` (:func:`anchored_shares`) where they rest on enough pairs (module
    docstring)."""
    shares = {
        name: Share(
            _m_of(model, *level),
            *(anchored or {}).get(name, (None, 0)),
            _ANCHORS_SAID[name],
            # an NHS number is issued once per person: with nothing to count the data's
            # share on, a conflict between two is taken as two people (module docstring)
            unmeasured=0.0 if name == "nhs" else None,
        )
        for name, level in (
            ("sex", SEX_DISAGREES),
            ("forename", FORENAME_DISAGREES),
            ("nhs", NHS_DISAGREES),
        )
    }
    return Reliability(
        date_disagreement=_m_of(model, *DATE_DISAGREES),
        sex_disagreement=shares["sex"].value,
        max_disagreement=max_disagreement,
        forename_disagreement=shares["forename"].value,
        nhs_disagreement=shares["nhs"].value,
        measured={
            name: {**asdict(share), "measured_from": share.measured_from}
            for name, share in shares.items()
        },
    )


# every conflict guard active (tests, explicit use)
ALWAYS = Reliability(0.0, 0.0, 1.0, 0.0, nhs_disagreement=0.0)

# What each guard keeps apart, and what is left to the model's weights when it abstains.
_GUARDS = (
    (
        "date_guards_active",
        "date_disagreement",
        "Birth-year veto and date conflicts",
        "a parent and child of one name at one address",
    ),
    (
        "sex_guards_active",
        "sex_disagreement",
        "Sex conflicts (household guard, joins, weak links)",
        "twins and siblings of opposite sex whose forenames look alike",
    ),
    (
        "forename_guard_without_sex_active",
        "forename_disagreement",
        "Unrelated forenames where a record states no sex",
        "twins and siblings with no recorded sex",
    ),
    (
        "nhs_number_guard_active",
        "nhs_disagreement",
        "NHS number conflicts (joins)",
        "twins of one sex whose forenames look alike, where their records carry NHS numbers",
    ),
)


def guard_states(reported: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per conflict guard from :meth:`Reliability.as_dict` (as ``linkage_quality.json``
    holds it): whether it acted, on what share, measured how, and what it keeps apart."""
    rows = []
    for active, share, guard, keeps_apart in _GUARDS:
        attribute = share.removesuffix("_disagreement")
        source = (reported.get("measured") or {}).get(attribute, {}).get("measured_from", TRAINED)
        rows.append(
            {
                "guard": guard,
                "acting": bool(reported.get(active)),
                "disagreement": reported.get(share),
                "measured_from": source if reported.get(share) is not None else "not recorded",
                "limit": reported.get("max_disagreement"),
                "keeps_apart": keeps_apart,
            }
        )
    return rows


def guard_warnings(reported: dict[str, Any]) -> list[str]:
    """A warning for each guard that abstained on data that record its attribute."""
    return [
        f"conflict guard off: {row['guard'].lower()}: {row['disagreement']:.1%} of one "
        f"person's records disagree (from the {row['measured_from']}), above the "
        f"{row['limit']:.1%} limit; {row['keeps_apart']} are kept apart only by the "
        "model's weights, so check the review queue"
        for row in guard_states(reported)
        if not row["acting"] and row["disagreement"] is not None and row["limit"] is not None
    ]
