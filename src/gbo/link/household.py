"""The household guard: twins and siblings are two people, however much else they share.

Two children of one family share a family name and an address; twins share the date of
birth too. Siblings' dates of birth are often partial or missing, which leaves only the
shared family name and address to speak. Splink's weights add up, so a pair with the same
family name, date of birth and postcode reaches near certainty even when the forenames
have nothing in common (measured on an independent generator: "James" and "Michael"
Smith, same date of birth and postcode, p = 0.9999). A completely different forename, or
a different recorded sex, between records that share a family name and a birthday or a
home is not noise: it is the signature of a second person in the same household.

:func:`household_signature` finds, from the comparison levels a pair fell in, the pairs
with that signature:

* the family names agree (exact, a common form, Jaro-Winkler >= 0.92 or the same phonetic
  code; or one record's forename is the other's family name, a name order slip), and
* the dates of birth agree (exact, or day and month swapped) - twins - or the records
  share a postcode - siblings, whose dates may be partial or missing - and
* both records state a sex, and
* the forenames are *not* related - not the same, not a variant, not a nickname, not a
  similar spelling (Jaro-Winkler >= 0.8, which keeps typing slips) or the same phonetic
  code, not an initial of the other, not one of the other's middle names, not the other's
  family name with the remaining two names alike (a name-order slip) - or the recorded
  sex differs while the forenames are not the same name (Samuel and Samantha, one
  recorded as "Sam").

The link stage never links such a pair on the model's word (a clerical ``match`` still
does) and sends it to review. Parent and child of one name are caught by the distant-birth
veto instead (:func:`gbo.link.clusters.distant_births`).
"""

from __future__ import annotations

import pandas as pd

SAME_FAMILY = frozenset(
    {"exact", "any form in common", "jaro-winkler >= 0.92", "same phonetic code"}
)
CROSSED = "equals the other's other name"  # one record's forename is the other's surname
SAME_BIRTH = frozenset({"exact", "day and month swapped"})
SAME_HOME = frozenset(
    {"same postcode, house and street", "same postcode and house", "same postcode"}
)
RELATED_FORENAME = frozenset(
    {
        "swapped with surname",
        "exact, a middle name agrees",
        "exact, middle names differ",
        "exact",
        "any form in common",
        "nickname",
        "jaro-winkler >= 0.92",
        "same phonetic code",
        "initial",
        "jaro-winkler >= 0.8",
        # A name-order slip whose remaining names are alike: the same person's names.
        "equals the other's other name, the other names similar",
    }
)
SAME_FORENAME = frozenset(
    {
        "swapped with surname",
        "exact, a middle name agrees",
        "exact, middle names differ",
        "exact",
        "any form in common",
    }
)


def _labels(pairs: pd.DataFrame, name: str, labels: dict[str, dict[int, str]]) -> pd.Series:
    column = f"gamma_{name}"
    if column not in pairs:
        return pd.Series("null", index=pairs.index)
    return pairs[column].map(labels.get(name, {})).fillna("null")


def household_signature(
    pairs: pd.DataFrame,
    labels: dict[str, dict[int, str]],
    *,
    sex_counts: bool = True,
    forename_counts_alone: bool = False,
) -> pd.Series:
    """For each pair: does it carry the twin/sibling signature (see the module docstring)?

    ``sex_counts=False`` drops the clause on a different recorded sex, for data whose
    recorded sex often differs between records of one person (:mod:`gbo.link.reliability`).
    ``forename_counts_alone=True`` lets unrelated forenames mark the signature where a
    record states no sex, for data whose true matches almost never carry unrelated
    forenames (the same module).
    """
    if pairs.empty:
        return pd.Series(False, index=pairs.index, dtype=bool)
    family = _labels(pairs, "surname", labels)
    birth = _labels(pairs, "dob", labels)
    forename = _labels(pairs, "forename", labels)
    sex = _labels(pairs, "sex", labels)
    home = _labels(pairs, "address", labels)
    shares_family = family.isin(SAME_FAMILY) | (forename == CROSSED)
    household = shares_family & (birth.isin(SAME_BIRTH) | home.isin(SAME_HOME))
    # Both records must state a sex: it is what tells a second child from a record whose
    # forename was mangled beyond recognition (as benchmark corruptors do); where it is
    # missing, the model's weights and the review band decide.
    sex_known = sex != "null"
    forename_differs = (forename != "null") & ~forename.isin(RELATED_FORENAME)
    sex_differs = (sex == "different") & ~forename.isin(SAME_FORENAME) & sex_counts
    signature = household & sex_known & (forename_differs | sex_differs)
    if forename_counts_alone:
        signature |= household & forename_differs
    return signature.astype(bool)
