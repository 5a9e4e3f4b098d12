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

from gbo.link.clusters import cluster_pairs
from gbo.link.decisions import labels_from_decisions
from gbo.link.model import LinkageModel, TrainingReport
from gbo.link.settings import LinkSettings
from gbo.progress import Progress, SilentProgress


@dataclass
class LinkageResult:
    """Everything one linkage produced (identifier-free: ids, weights and levels only)."""

    pairs: pd.DataFrame  # unique_id_l/r, match_weight, match_probability, gamma_*
    clusters: pd.DataFrame  # unique_id, cluster_id
    links: pd.DataFrame  # accepted links after decisions and the weak-link guard
    weak_links: pd.DataFrame
    training: TrainingReport
    model: dict[str, Any]
    level_labels: dict[str, dict[int, str]]
    timings: dict[str, float] = field(default_factory=dict)


def link_records(
    records: pa.Table,
    settings: LinkSettings,
    *,
    decisions: pd.DataFrame | None = None,
    model: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> LinkageResult:
    """Train (or load ``model``), score, apply decisions and guards, and cluster."""
    import time

    progress = progress or SilentProgress()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with progress.task("linkage: registering records", total=None):
        linkage = LinkageModel(records, settings)
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
    timings["predict_seconds"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    with progress.task("linkage: clustering", total=None):
        slim = records.select(["unique_id", "sex", "birth_year_min", "birth_year_max"])
        outcome = cluster_pairs(linkage, pairs, slim.to_pandas(), decisions, settings)
    timings["cluster_seconds"] = round(time.perf_counter() - started, 3)
    return LinkageResult(
        pairs=pairs,
        clusters=outcome.clusters,
        links=outcome.links,
        weak_links=outcome.weak_links,
        training=linkage.report,
        model=linkage.model_json(),
        level_labels=linkage.level_labels(),
        timings=timings,
    )
