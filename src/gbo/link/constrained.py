"""Persons that never hold records which conflict on a reliable attribute.

Persons are the connected groups of links, so a person can hold two records that were
never compared, joined through a third: "Amelia Sarraf" born 2001 links to an "Amelia
Sarraf" known only as aged 24 or 25, who links to another born 1999. Each link is
plausible; the person they make is not. How often that happens grows with the size of the
data: the more records, the more chance agreements a person can be chained through.

:func:`refuse_conflicting_joins` builds persons the way connected components would, but
takes the links strongest first and refuses any link that would join two groups of
records that conflict:

* on sex - each group states a sex and no sex is stated in both - where the data record
  sex reliably;
* on birth year - the groups' recorded birth years are more than a year apart (for the
  two ranges, the lowest of one is above the highest of the other plus one) - where the
  data record dates of birth reliably;
* on NHS number - each group holds NHS numbers and no number of one is the same as, or a
  keying slip of (at most two digits apart), a number of the other - where the data record
  NHS numbers reliably. Twins of one sex whose forenames look alike (Ella and Ellie, same
  family name, birthday and home) have nothing else to tell them apart.

Reliability is read from the trained model (:mod:`gbo.link.reliability`). Once two groups
conflict they always do (groups only grow), so a refused link never ends up inside a person
by another path, and the persons are exactly the connected components of the links kept.
Clerical ``match`` decisions are taken first and never refused, and a link whose NHS
numbers agree is never refused on birth years (as for the birth-year veto: a parent and
child never share one, so there the dates are keying errors). Refused links go to clerical
review with their reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gbo.link.reliability import Reliability

SEX_BITS = {"M": 1, "F": 2}


def _find(parent: np.ndarray, node: int) -> int:
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:  # path compression
        parent[node], node = root, parent[node]
    return root


_DIGITS = 10 ** np.arange(10, dtype=np.int64)


def _any_close(ours: list[int], theirs: list[int]) -> bool:
    """Whether a number of one list is the same as, or at most two digits from, one of the
    other (a keying slip, as the comparison's "one or two digits differ" level)."""
    a = np.asarray(ours, dtype=np.int64)[:, None, None] // _DIGITS % 10
    b = np.asarray(theirs, dtype=np.int64)[None, :, None] // _DIGITS % 10
    return bool(((a != b).sum(axis=2) <= 2).any())


def refuse_conflicting_joins(
    links: pd.DataFrame, records: pd.DataFrame, reliable: Reliability
) -> pd.Series:
    """For each link: the conflict that refuses it ("sex", "dob"), or "" if it is kept.

    ``links``: ``unique_id_l``, ``unique_id_r``, ``match_probability``, ``basis`` and
    optionally ``nhs_number_agrees``;
    ``records``: ``unique_id``, ``sex``, ``birth_year_min``, ``birth_year_max`` and optionally
    ``nhs_number`` (a whole number, or null).
    """
    use_nhs = reliable.nhs_numbers_reliable and "nhs_number" in records
    if links.empty or not (reliable.sex_reliable or reliable.dates_reliable or use_nhs):
        return pd.Series("", index=links.index, dtype=object)
    ids = pd.Index(pd.unique(links[["unique_id_l", "unique_id_r"]].to_numpy().ravel()))
    rows = records.set_index("unique_id").reindex(ids)
    sex = rows["sex"].map(SEX_BITS).fillna(0).to_numpy(dtype=np.int64)
    if not reliable.sex_reliable:
        sex[:] = 0
    low = rows["birth_year_min"].to_numpy(dtype="float64")
    high = rows["birth_year_max"].to_numpy(dtype="float64")
    if not reliable.dates_reliable:
        low[:], high[:] = np.nan, np.nan
    low, high = np.where(np.isnan(low), np.inf, low), np.where(np.isnan(high), -np.inf, high)
    numbers: dict[int, list[int]] = {}
    if use_nhs:
        recorded = rows["nhs_number"].to_numpy(dtype="float64")  # numbers, or null
        numbers = {i: [int(v)] for i, v in enumerate(recorded) if not np.isnan(v)}
    # Clerical matches first, then the model's links strongest first; ties in content order
    # (the ids are content-ordered: gbo.link.ordering), so the result never follows a key.
    order = links.assign(
        _review=(links["basis"] == "review").astype(int),
    ).sort_values(
        ["_review", "match_probability", "unique_id_l", "unique_id_r"],
        ascending=[False, False, True, True],
        kind="mergesort",
    )
    left = ids.get_indexer(order["unique_id_l"])
    right = ids.get_indexer(order["unique_id_r"])
    forced = (order["basis"] == "review").to_numpy()
    nhs = (
        order["nhs_number_agrees"].to_numpy(dtype=bool)
        if "nhs_number_agrees" in order
        else np.zeros(len(order), dtype=bool)
    )
    parent = np.arange(len(ids))
    reasons: list[str] = []
    for a, b, force, same_nhs in zip(
        left.tolist(), right.tolist(), forced.tolist(), nhs.tolist(), strict=True
    ):
        ra, rb = _find(parent, a), _find(parent, b)
        if ra == rb:
            reasons.append("")
            continue
        reason = ""
        if not force:
            if sex[ra] and sex[rb] and not sex[ra] & sex[rb]:
                reason = "sex"
            elif (
                not same_nhs
                and np.isfinite(low[ra])
                and np.isfinite(low[rb])
                and (low[ra] > high[rb] + 1 or low[rb] > high[ra] + 1)
            ):
                reason = "dob"
            elif ra in numbers and rb in numbers and not _any_close(numbers[ra], numbers[rb]):
                reason = "nhs"
        reasons.append(reason)
        if reason:
            continue
        parent[rb] = ra
        sex[ra] |= sex[rb]
        low[ra], high[ra] = min(low[ra], low[rb]), max(high[ra], high[rb])
        if rb in numbers:
            merged = numbers.setdefault(ra, [])
            merged += [n for n in numbers.pop(rb) if n not in merged]
    return pd.Series(reasons, index=order.index, dtype=object).reindex(links.index)
