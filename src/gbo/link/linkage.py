"""The whole linkage as one library call, for the link stage and for benchmarks alike.

``link_records(records, settings)`` takes standardised identity records (from
:func:`gbo.link.standardise.standardise_identity`) and returns scored pairs, persons
(clusters) and the evidence behind them. It knows nothing of run folders or pseudonyms, so
the FEBRL benchmark runs exactly the code the stage runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from gbo.link.backend import checked_memory_limit
from gbo.link.clusters import cluster_pairs
from gbo.link.coverage import blocking_coverage, choose_threshold, threshold_curve
from gbo.link.decisions import labels_from_decisions
from gbo.link.model import LinkageModel, TrainingReport
from gbo.link.ordering import IdMap, content_ids
from gbo.link.prior import rescore, self_consistent_prior
from gbo.link.reliability import reliability
from gbo.link.settings import LinkSettings
from gbo.progress import Progress, SilentProgress


@dataclass
class LinkageResult:
    """Everything one linkage produced (identifier-free: ids, weights and levels only)."""

    # The scored pairs as Splink returned them (unique_id_l/r in content-ordered ids,
    # match_weight, match_probability, gamma_*, mw_*), kept in Arrow: at ten million records
    # they are tens of millions of rows. ``ids`` gives their pseudonyms; ``pairs`` is the
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
    if model is None:
        with progress.task("linkage: training (prior, u, EM)", total=None):
            known = set(records.column("unique_id").to_pylist())
            labels = labels_from_decisions(decisions, known)
            linkage.train(labels if len(labels) else None)
    else:
        linkage.load(model)
    timings["train_seconds"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    with progress.task("linkage: scoring blocked pairs", total=None):
        pairs = linkage.predict().to_pandas()
        if model is None and settings.reestimate_prior:
            pairs = _reestimate_prior(linkage, pairs, records.num_rows, settings)
    timings["predict_seconds"] = round(time.perf_counter() - started, 3)
    threshold = settings.match_threshold
    if settings.target_precision is not None:
        threshold = choose_threshold(
            pairs["match_probability"], settings.target_precision, settings.min_match_threshold
        )
    used = settings.model_copy(update={"match_threshold": threshold})
    reliable = reliability(linkage.model_json(), settings.conflict_guard_max_disagreement)
    started = time.perf_counter()
    with progress.task("linkage: clustering", total=None):
        slim = records.select(["unique_id", "sex", "birth_year_min", "birth_year_max"])
        outcome = cluster_pairs(linkage, pairs, slim.to_pandas(), decisions, used, reliable)
    timings["cluster_seconds"] = round(time.perf_counter() - started, 3)
    model_links = outcome.links[outcome.links["basis"] == "model"]
    guarded = linkage.blocking
    blocking = blocking_coverage(
        guarded.records, model_links, guarded.rules, labels=settings.blocking_rules
    )
    estimates = {
        "blocking": blocking,
        "threshold_curve": threshold_curve(
            pairs["match_probability"], blocking.get("estimated_blocking_recall")
        ),
    }
    model_json, level_labels = linkage.model_json(), linkage.level_labels()
    linkage.close()
    clusters = outcome.clusters.assign(
        unique_id=ids.to_pseudonyms(outcome.clusters["unique_id"]).to_numpy(),
        cluster_id=ids.to_pseudonyms(outcome.clusters["cluster_id"]).to_numpy(),
    )
    return LinkageResult(
        scored=pa.Table.from_pandas(pairs, preserve_index=False),
        ids=ids,
        clusters=clusters,
        links=ids.pairs_to_pseudonyms(outcome.links),
        weak_links=ids.pairs_to_pseudonyms(outcome.weak_links),
        guarded=ids.pairs_to_pseudonyms(outcome.guarded),
        training=linkage.report,
        model=model_json,
        level_labels=level_labels,
        timings=timings,
        estimates=estimates,
        match_threshold=threshold,
        reliability=reliable.as_dict(),
    )


def _reestimate_prior(
    linkage: LinkageModel, pairs: pd.DataFrame, n_records: int, settings: LinkSettings
) -> pd.DataFrame:
    """The pairs rescored under the prior the scored pairs imply (:mod:`gbo.link.prior`)."""
    old = linkage.prior
    new = self_consistent_prior(pairs["match_weight"], old, n_records)
    linkage.set_prior(new)
    linkage.report.passes.append(f"prior re-estimated from scored pairs ({old:.3g} -> {new:.3g})")
    pairs = rescore(pairs, old, new)
    kept = pairs["match_probability"] >= settings.predict_min_probability
    return pairs.loc[kept].reset_index(drop=True)


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
