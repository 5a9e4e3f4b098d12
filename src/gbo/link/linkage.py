"""The whole linkage as one library call, for the link stage and for benchmarks alike.

``link_records(records, settings)`` takes standardised identity records (from
:func:`gbo.link.standardise.standardise_identity`) and returns scored pairs, persons
(clusters) and the evidence behind them. It knows nothing of run folders or pseudonyms, so
the FEBRL benchmark runs exactly the code the stage runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gbo.link.backend import checked_memory_limit
from gbo.link.clusters import cluster_pairs
from gbo.link.coverage import (
    choose_threshold,
    coverage_from_flags,
    reachable_by_agency,
    rule_membership,
    threshold_curve,
)
from gbo.link.decisions import labels_from_decisions
from gbo.link.model import LinkageModel, TrainingReport
from gbo.link.ordering import IdMap, content_ids, id_numbers, id_text, numbered_pairs
from gbo.link.prior import rescore_table, self_consistent_prior
from gbo.link.reliability import anchored_shares, reliability
from gbo.link.settings import BlockingRuleSettings, LinkSettings
from gbo.progress import Progress, SilentProgress


@dataclass
class LinkageResult:
    """Everything one linkage produced (identifier-free: ids, weights and levels only)."""

    # The scored pairs as Splink returned them (unique_id_l/r the content-ordered ids, as
    # numbers; match_weight, match_probability, gamma_*, mw_*), kept in Arrow: at ten million
    # records they are millions of rows. ``ids`` gives their pseudonyms; ``pairs`` is the
    # same table in pandas and pseudonyms, made on demand.
    scored: pa.Table
    ids: IdMap
    clusters: pd.DataFrame  # unique_id, cluster_id
    links: pd.DataFrame  # accepted links after decisions and the weak-link guard
    weak_links: pd.DataFrame
    guarded: pd.DataFrame  # pairs above the threshold that a guard held back, with the reason
    training: TrainingReport
    model: dict[str, Any]
    level_labels: dict[str, dict[int, str]]
    timings: dict[str, float] = field(default_factory=dict)
    # Label-free estimates: blocking recall and the threshold curve (gbo.link.coverage).
    estimates: dict[str, Any] = field(default_factory=dict)
    match_threshold: float = 0.99  # the threshold used (chosen, or as configured)
    # Which conflict guards acted, from the trained model (gbo.link.reliability).
    reliability: dict[str, Any] = field(default_factory=dict)

    @property
    def pairs(self) -> pd.DataFrame:
        """The scored pairs in pseudonyms, the smaller on the left (for small data: at ten
        million records use ``scored`` and :mod:`gbo.link.evidence`)."""
        return self.ids.pairs_to_pseudonyms(self.scored.to_pandas())


def link_records(
    records: pa.Table,
    settings: LinkSettings,
    *,
    decisions: pd.DataFrame | None = None,
    model: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> LinkageResult:
    """Train (or load ``model``), score, apply decisions and guards, and cluster.

    Splink sees content-ordered ids, never the pseudonyms (:mod:`gbo.link.ordering`), so the
    result does not depend on the vault key; every table returned is in pseudonyms again.
    """
    import time

    progress = progress or SilentProgress()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with progress.task("linkage: registering records", total=None):
        records, ids = content_ids(records, checked_memory_limit(settings.duckdb_memory_limit))
        decisions = _decisions_to_internal(decisions, ids)
        linkage = LinkageModel(records, settings)
        for line in linkage.blocking.summary(settings.blocking_rules):
            progress.log(f"linkage: {line}")
        reachable = reachable_by_agency(linkage.blocking.records, linkage.blocking.rules)
    if model is None:
        with progress.task("linkage: training (prior, u, EM)", total=None):
            # Decisions were kept only on records present (_decisions_to_internal).
            known = (
                set()
                if decisions is None
                else {*decisions["record_pid_l"], *decisions["record_pid_r"]}
            )
            labels = labels_from_decisions(decisions, known)
            linkage.train(labels if len(labels) else None)
    else:
        linkage.load(model)
    timings["train_seconds"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    with progress.task("linkage: scoring blocked pairs", total=None):
        # Ids as numbers from here on (gbo.link.ordering): Splink has seen them as text.
        scored = numbered_pairs(linkage.predict())
        if model is None and settings.reestimate_prior:
            scored = _reestimate_prior(linkage, scored, records.num_rows, settings)
    timings["predict_seconds"] = round(time.perf_counter() - started, 3)
    probability = scored.column("match_probability").to_pandas()
    threshold = settings.match_threshold
    if settings.target_precision is not None:
        threshold = choose_threshold(
            probability, settings.target_precision, settings.min_match_threshold
        )
    used = settings.model_copy(update={"match_threshold": threshold})
    model_json, level_labels, report = linkage.model_json(), linkage.level_labels(), linkage.report
    reliable = reliability(
        model_json,
        settings.conflict_guard_max_disagreement,
        anchored_shares(scored, level_labels),
    )
    # Splink's database and the standardised records go before clustering, which needs
    # neither: at ten million records they were most of the stage's peak memory. What the
    # blocking estimate needs of the records is taken first, for every pair a link could be.
    blocking_rules = linkage.blocking.rules
    linkage.close()
    candidates = scored.filter(pc.greater_equal(scored.column("match_probability"), threshold))
    flags = _rule_flags(linkage.blocking.records, candidates, blocking_rules)
    kept = ["unique_id", "sex", "birth_year_min", "birth_year_max"]
    slim = records.select([c for c in (*kept, "nhs_number") if c in records.column_names])
    slim = slim.set_column(0, "unique_id", id_numbers(slim.column("unique_id"))).to_pandas()
    if "nhs_number" in slim:  # a whole number (or null): the joins compare its digits
        slim["nhs_number"] = pd.to_numeric(slim["nhs_number"], errors="coerce")
    del linkage, records, candidates
    pa.default_memory_pool().release_unused()
    started = time.perf_counter()
    with progress.task("linkage: clustering", total=None):
        outcome = cluster_pairs(
            _for_clustering(scored),
            slim,
            _decisions_as_numbers(decisions),
            used,
            level_labels,
            reliable,
        )
    del slim
    timings["cluster_seconds"] = round(time.perf_counter() - started, 3)
    model_links = outcome.links.loc[
        outcome.links["basis"] == "model", ["unique_id_l", "unique_id_r"]
    ].merge(flags, on=["unique_id_l", "unique_id_r"], how="inner", validate="one_to_one")
    blocking = coverage_from_flags(
        model_links.drop(columns=["unique_id_l", "unique_id_r"]).to_numpy(dtype=bool),
        settings.blocking_rules,
    )
    estimates = {
        "blocking": blocking,
        "reachable_by_agency": reachable,
        "threshold_curve": threshold_curve(probability, blocking.get("estimated_blocking_recall")),
    }
    # In id order (record_clusters), so a cluster's id is found among the records' ids and
    # its pseudonym is the same Python string as its record's (ten million of them).
    numbers = outcome.clusters["unique_id"].to_numpy()
    pseudonyms = ids.to_pseudonyms(outcome.clusters["unique_id"]).to_numpy()
    clusters = pd.DataFrame(
        {
            "unique_id": pseudonyms,
            "cluster_id": pseudonyms[np.searchsorted(numbers, outcome.clusters["cluster_id"])],
        }
    )
    return LinkageResult(
        scored=scored,
        ids=ids,
        clusters=clusters,
        links=ids.pairs_to_pseudonyms(outcome.links),
        weak_links=ids.pairs_to_pseudonyms(outcome.weak_links),
        guarded=ids.pairs_to_pseudonyms(outcome.guarded),
        training=report,
        model=model_json,
        level_labels=level_labels,
        timings=timings,
        estimates=estimates,
        match_threshold=threshold,
        reliability=reliable.as_dict(),
    )


def _rule_flags(
    records: pa.Table, pairs: pa.Table, rules: list[BlockingRuleSettings]
) -> pd.DataFrame:
    """For each pair (ids as numbers): which blocking rules would have found it."""
    text = pd.DataFrame(
        {
            "unique_id_l": id_text(pairs.column("unique_id_l")).to_pandas(),
            "unique_id_r": id_text(pairs.column("unique_id_r")).to_pandas(),
        }
    )
    if text.empty or not rules:
        columns = ["unique_id_l", "unique_id_r", *[f"rule_{i}" for i in range(len(rules))]]
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c.startswith("unique") else bool) for c in columns}
        )
    flags = rule_membership(records, text, rules, keep_ids=True)
    return flags.assign(
        unique_id_l=flags["unique_id_l"].astype("int64"),
        unique_id_r=flags["unique_id_r"].astype("int64"),
    )


def _for_clustering(scored: pa.Table) -> pd.DataFrame:
    """The columns of the scored pairs clustering reads, in pandas (ids as numbers)."""
    gammas = [c for c in scored.column_names if c.startswith("gamma_")]
    frame: pd.DataFrame = scored.select(
        ["unique_id_l", "unique_id_r", "match_probability", *gammas]
    ).to_pandas()
    return frame


def _decisions_as_numbers(decisions: pd.DataFrame | None) -> pd.DataFrame | None:
    if decisions is None or decisions.empty:
        return decisions
    return decisions.assign(
        record_pid_l=decisions["record_pid_l"].astype("int64"),
        record_pid_r=decisions["record_pid_r"].astype("int64"),
    )


def _reestimate_prior(
    linkage: LinkageModel, pairs: pa.Table, n_records: int, settings: LinkSettings
) -> pa.Table:
    """The pairs rescored under the prior the scored pairs imply (:mod:`gbo.link.prior`)."""
    old = linkage.prior
    new = self_consistent_prior(pairs.column("match_weight").to_pandas(), old, n_records)
    linkage.set_prior(new)
    linkage.report.passes.append(f"prior re-estimated from scored pairs ({old:.3g} -> {new:.3g})")
    pairs = rescore_table(pairs, old, new)
    return pairs.filter(
        pc.greater_equal(pairs.column("match_probability"), settings.predict_min_probability)
    )


def _decisions_to_internal(decisions: pd.DataFrame | None, ids: IdMap) -> pd.DataFrame | None:
    """Clerical decisions on records present, in internal ids (``pair_key`` recomputed)."""
    if decisions is None or decisions.empty:
        return decisions
    known = decisions[
        decisions["record_pid_l"].isin(ids.internal_of.index)
        & decisions["record_pid_r"].isin(ids.internal_of.index)
    ]
    moved = ids.pairs_to_internal(
        known.rename(columns={"record_pid_l": "unique_id_l", "record_pid_r": "unique_id_r"})
    ).rename(columns={"unique_id_l": "record_pid_l", "unique_id_r": "record_pid_r"})
    return moved.assign(pair_key=moved["record_pid_l"] + "|" + moved["record_pid_r"])
