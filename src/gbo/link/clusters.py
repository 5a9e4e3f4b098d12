"""From scored pairs to persons: decisions, the weak-link guard and clustering.

1. Links are the pairs at or above the match threshold.
2. Clerical decisions override the model: a ``match`` adds the link, a ``non_match`` removes it.
   The model never links records born more than ``max_birth_year_gap`` years apart whose
   dates share nothing (a parent and child of one name at one address), unless their NHS
   numbers agree (equal, or a digit or two apart). Nor does it link a pair with the
   household signature of twins or siblings (:mod:`gbo.link.household`). Pairs held back
   by either guard go to clerical review with the reason.
3. The false-merge guard: a link below ``strong_link_probability`` that is the only bridge
   between two parts of a would-be person is *weak*. When the two parts conflict (different
   recorded sex, or birth years more than a year apart, unless the link's NHS numbers
   agree) the weak link is cut (or only flagged, by setting); either way the pair goes
   to clerical review.
4. Persons are the connected components of the remaining links (igraph, on the records'
   content-ordered ids as numbers; each named by its smallest id, as Splink's clustering
   names them).
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd

from gbo.link.bridges import bridge_conflicts
from gbo.link.constrained import refuse_conflicting_joins
from gbo.link.household import household_signature
from gbo.link.reliability import ALWAYS, Reliability
from gbo.link.settings import LinkSettings


@dataclass
class ClusterOutcome:
    """Persons and the links behind them."""

    clusters: pd.DataFrame  # unique_id, cluster_id
    links: pd.DataFrame  # accepted links: unique_id_l, unique_id_r, match_probability, basis
    weak_links: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, conflict, is_cut
    guarded: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, reason: held back


def apply_decisions(links: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """Links after clerical decisions (``basis`` says why each link is there)."""
    links = links.assign(basis="model")
    if decisions is None or decisions.empty:
        return links
    decided = decisions[decisions["decision"].isin(["match", "non_match"])]
    non_match = decided[decided["decision"] == "non_match"]
    links = links[~_pairs_in(links, non_match["record_pid_l"], non_match["record_pid_r"])]
    matches = decided[decided["decision"] == "match"]
    added = pd.DataFrame(
        {
            "unique_id_l": matches["record_pid_l"].to_numpy(),
            "unique_id_r": matches["record_pid_r"].to_numpy(),
            "match_probability": 1.0,
            "basis": "review",
        }
    )
    both = pd.concat([links, added], ignore_index=True)
    both = both.sort_values("basis", ascending=False)  # "review" wins over "model"
    return both.drop_duplicates(["unique_id_l", "unique_id_r"]).reset_index(drop=True)


def _pairs_in(links: pd.DataFrame, left: pd.Series, right: pd.Series) -> np.ndarray:
    """For each link: is its pair (``unique_id_l``, ``unique_id_r``) one of ``left``/``right``?
    (Ids as numbers or as text alike.)"""
    if len(left) == 0:
        return np.zeros(len(links), dtype=bool)
    pairs = pd.MultiIndex.from_arrays([links["unique_id_l"], links["unique_id_r"]])
    found: np.ndarray = pairs.isin(pd.MultiIndex.from_arrays([left, right]))
    return found


def find_weak_links(
    links: pd.DataFrame,
    records: pd.DataFrame,
    settings: LinkSettings,
    reliable: Reliability = ALWAYS,
) -> pd.DataFrame:
    """Weak bridges among the links, with any conflict between the parts they join."""
    columns = ["unique_id_l", "unique_id_r", "match_probability", "conflict", "is_cut"]
    if links.empty:
        return pd.DataFrame(columns=columns)
    ids = pd.Index(pd.unique(links[["unique_id_l", "unique_id_r"]].to_numpy().ravel()))
    left, right = ids.get_indexer(links["unique_id_l"]), ids.get_indexer(links["unique_id_r"])
    graph = ig.Graph(n=len(ids), edges=np.column_stack([left, right]))
    probability = links["match_probability"].to_numpy()
    nhs_agrees = (
        links["nhs_number_agrees"].to_numpy(dtype=bool)
        if "nhs_number_agrees" in links
        else np.zeros(len(links), dtype=bool)
    )
    weak = [e for e in graph.bridges() if probability[e] < settings.strong_link_probability]
    if not weak:
        return pd.DataFrame(columns=columns)
    sub = records.set_index("unique_id").reindex(ids).reset_index()
    # Every weak bridge's two sides at once (gbo.link.bridges): taking each bridge's
    # component apart on its own was quadratic in the largest component.
    conflicts = bridge_conflicts(graph, weak, sub, reliable)
    rows = []
    for edge, conflict in zip(weak, conflicts, strict=True):
        # Agreeing NHS numbers outweigh a conflicting date: flagged for review, not cut.
        cut = bool(conflict) and not (conflict == "dob" and nhs_agrees[edge])
        rows.append(
            (
                links["unique_id_l"].iat[edge],
                links["unique_id_r"].iat[edge],
                float(probability[edge]),
                conflict,
                cut and settings.cut_conflicting_weak_links,
            )
        )
    return pd.DataFrame(rows, columns=columns)


def distant_births(links: pd.DataFrame, records: pd.DataFrame, max_gap: int | None) -> np.ndarray:
    """For each model link: does the distant-birth veto hold it back?

    ``links`` carries ``dob_shares_nothing`` and ``nhs_number_agrees``. A pair whose NHS
    numbers agree (equal, or a digit or two apart) is exempt: a parent and child never share
    one, so there the distant dates are keying errors.
    """
    if max_gap is None or links.empty:
        return np.zeros(len(links), dtype=bool)
    years = records.set_index("unique_id")[["birth_year_min", "birth_year_max"]]
    left = years.reindex(links["unique_id_l"]).to_numpy(dtype="float64")
    right = years.reindex(links["unique_id_r"]).to_numpy(dtype="float64")
    gap = np.maximum(left[:, 0] - right[:, 1], right[:, 0] - left[:, 1])
    vetoed: np.ndarray = (
        (gap > max_gap)
        & links["dob_shares_nothing"].to_numpy(dtype=bool)
        & ~links["nhs_number_agrees"].to_numpy(dtype=bool)
        & (links["basis"] == "model").to_numpy()
    )
    return vetoed


def _with_pair_evidence(
    links: pd.DataFrame,
    pairs: pd.DataFrame,
    labels: dict[str, dict[int, str]],
    reliable: Reliability = ALWAYS,
) -> pd.DataFrame:
    """``links`` with the facts the guards need from a pair's comparison levels."""
    gammas = [c for c in pairs.columns if c.startswith("gamma_")]
    levels = links[["unique_id_l", "unique_id_r"]].merge(
        pairs[["unique_id_l", "unique_id_r", *gammas]],
        on=["unique_id_l", "unique_id_r"],
        how="left",
    )
    return links.assign(
        dob_shares_nothing=(levels["gamma_dob"] == 0).to_numpy(),
        # Level 0 is "else", -1 "null": above 0 the numbers are equal or a slip apart.
        nhs_number_agrees=(levels["gamma_nhs_number"] > 0).to_numpy(),
        household=household_signature(
            levels,
            labels,
            sex_counts=reliable.sex_reliable,
            forename_counts_alone=reliable.forenames_reliable,
        ).to_numpy(),
    )


def record_clusters(ids: np.ndarray, links: pd.DataFrame) -> pd.DataFrame:
    """Every record's person: the connected components (igraph) of ``links`` over the
    records ``ids``, each named by its smallest id (as Splink's clustering names them).

    ``unique_id`` and ``cluster_id`` for every record, in the order of the ids."""
    nodes = pd.Index(np.sort(ids))
    left = nodes.get_indexer(links["unique_id_l"])
    right = nodes.get_indexer(links["unique_id_r"])
    if (left < 0).any() or (right < 0).any():
        raise ValueError("a link names a record that is not among the records")
    graph = ig.Graph(n=len(nodes), edges=np.column_stack([left, right]))
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
    # The nodes are in id order, so a component's first node is its smallest id.
    _, first = np.unique(membership, return_index=True)
    return pd.DataFrame(
        {"unique_id": nodes.to_numpy(), "cluster_id": nodes.to_numpy()[first[membership]]}
    )


REFUSED = {
    "sex": "held back: would join records whose sex conflicts",
    "dob": "held back: would join records whose birth years conflict",
    "nhs": "held back: would join records whose NHS numbers conflict",
}


def cluster_pairs(
    pairs: pd.DataFrame,
    records: pd.DataFrame,
    decisions: pd.DataFrame | None,
    settings: LinkSettings,
    labels: dict[str, dict[int, str]],
    reliable: Reliability = ALWAYS,
) -> ClusterOutcome:
    """Persons from scored pairs (see the module docstring for the steps). The conflict
    guards act on the attributes ``reliable`` says the data record reliably (as the trained
    model says: :mod:`gbo.link.reliability`); ``labels`` are the model's level labels.

    ``pairs`` needs ``unique_id_l``, ``unique_id_r``, ``match_probability`` and the
    ``gamma_*`` columns the guards read; ``records`` every record's ``unique_id``, ``sex``,
    ``birth_year_min`` and ``birth_year_max``. Ids may be numbers or text."""
    links = pairs.loc[
        pairs["match_probability"] >= settings.match_threshold,
        ["unique_id_l", "unique_id_r", "match_probability"],
    ]
    links = _with_pair_evidence(apply_decisions(links, decisions), pairs, labels, reliable)
    gap = settings.max_birth_year_gap if reliable.dates_reliable else None
    distant = distant_births(links, records, gap)
    # Twins never share an NHS number: one that agrees exempts the pair, as for the veto.
    household = (
        links["household"].to_numpy(dtype=bool)
        & ~links["nhs_number_agrees"].to_numpy(dtype=bool)
        & (links["basis"] == "model").to_numpy()
        if settings.household_guard
        else np.zeros(len(links), dtype=bool)
    )
    held = distant | household
    guarded = links.loc[held, ["unique_id_l", "unique_id_r", "match_probability"]].assign(
        reason=np.where(
            distant[held], "held back: birth years far apart", "held back: household signature"
        )
    )
    links = links.loc[~held]
    if settings.refuse_conflicting_joins:
        conflict = refuse_conflicting_joins(links, records, reliable)
        refused = (conflict != "").to_numpy()
        guarded = pd.concat(
            [
                guarded,
                links.loc[refused, ["unique_id_l", "unique_id_r", "match_probability"]].assign(
                    reason=conflict[refused].map(REFUSED).to_numpy()
                ),
            ],
            ignore_index=True,
        )
        links = links.loc[~refused]
    weak = find_weak_links(links[links["basis"] == "model"], records, settings, reliable)
    if not weak.empty and weak["is_cut"].any():
        cut = weak.loc[weak["is_cut"]]
        links = links[~_pairs_in(links, cut["unique_id_l"], cut["unique_id_r"])]
    clusters = record_clusters(records["unique_id"].to_numpy(), links)
    links = links.drop(columns=["dob_shares_nothing", "nhs_number_agrees", "household"])
    return ClusterOutcome(clusters, links.reset_index(drop=True), weak, guarded)
