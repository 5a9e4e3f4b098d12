"""The link stage: person records from every agency -> persons, with evidence and an audit.

Reads ``02_vault/identity.parquet.enc`` (decrypted in memory only) and the pseudonymised
``02_vault/person_record.parquet``; writes to ``03_link/``:

* ``person_record_map`` (record_pid, person_pid, agency, cluster_size) and ``person``;
* ``link_pair`` - scored pairs: pseudonyms, weight, probability, per-comparison levels
  (``is_linked`` means the two records ended in the same person, directly or not);
* ``accepted_link`` - the links accepted (by the model or by clerical review), after the
  weak-link guard: the edges the persons were built from;
* ``review_queue.csv`` - grey-zone pairs and weak links for clerical review;
* ``model.json`` - the trained Splink model; ``linkage_quality.json``; ``linkage_bias``.

No file here holds an identifier. Ethnicity is read only for the bias audit and the resolved
person attributes, never for linking.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from gbo.config import RunConfig
from gbo.errors import LinkageError
from gbo.link.backend import checked_memory_limit
from gbo.link.bias import audit_bias, record_groups
from gbo.link.coverage import unreachable_warnings
from gbo.link.decisions import load_store
from gbo.link.evidence import PairEvidence
from gbo.link.linkage import LinkageResult, link_records
from gbo.link.persons import build_persons, person_pids
from gbo.link.quality import cluster_scores, pairwise_scores
from gbo.link.reliability import guard_warnings
from gbo.link.review import build_review_queue
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity
from gbo.runfolder import RunContext, StageResult
from gbo.security import KeyRing, pseudonymise

# What the persons and the bias audit read of the pseudonymised person records (a column
# missing from the records is null for both).
RECORD_COLUMNS = [
    "record_pid",
    "agency",
    "sex",
    "birth_year",
    "birth_year_is_estimated",
    "ethnicity_self",
    "ethnicity_officer",
    "nationality",
]


def external_inputs(config: RunConfig) -> list[Path]:
    """The decisions store and ground truth: a change in either reruns the stage."""
    s = config.link
    return [p for p in (s.decisions_file, s.ground_truth_file) if p is not None and p.is_file()]


def read_ground_truth(path: Path, keys: KeyRing) -> pd.DataFrame:
    """Synthetic ground truth as ``unique_id`` (record pseudonym) and ``entity_id``."""
    try:
        raw = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype=str)
    except (OSError, ValueError) as exc:
        raise LinkageError(f"ground truth file cannot be read: {exc}", path=path) from exc
    entity = next((c for c in ("true_person_id", "person_id", "entity_id") if c in raw), None)
    if entity is None or not {"agency", "local_id"} <= set(raw.columns):
        raise LinkageError(
            "ground truth needs columns agency, local_id and true_person_id", path=path
        )
    pids = [
        pseudonymise(keys, "record", f"{a}:{i}", "rec")
        for a, i in zip(raw["agency"].astype(str), raw["local_id"].astype(str), strict=True)
    ]
    return pd.DataFrame({"unique_id": pids, "entity_id": raw[entity].astype(str).to_numpy()})


def _standardised(ctx: RunContext) -> pa.Table:
    """The standardised identities; the identifiers stay only in this in-memory table."""
    identity = ctx.read_vault_table("vault", "identity")
    with ctx.progress.task("link: standardising identities", total=None):
        return standardise_identity(identity)


def run(ctx: RunContext) -> StageResult:
    settings: LinkSettings = ctx.config.link
    decisions = load_store(settings.decisions_file)
    if settings.decisions_file is not None and settings.decisions_file.is_file():
        ctx.note_input(settings.decisions_file)
    # The standardised table is handed over without a name here, so that linkage can let it
    # go once it has its content-ordered copy (at ten million records, gigabytes).
    result = link_records(_standardised(ctx), settings, decisions=decisions, progress=ctx.progress)
    # Read only now, so that the records' attributes are not held while Splink links.
    table = ctx.read_table("vault", "person_record")
    records = table.select([c for c in RECORD_COLUMNS if c in table.column_names]).to_pandas()
    del table
    ctx.progress.log("link: persons")

    record_map = person_pids(result.clusters, ctx.keys)
    record_map = record_map.merge(records[["record_pid", "agency"]], on="record_pid", how="left")
    record_map = record_map[["record_pid", "person_pid", "agency", "cluster_size"]]
    record_table = pa.Table.from_pandas(record_map, preserve_index=False)
    ctx.write_table("person_record_map", record_table)
    persons = build_persons(record_map, records)
    ctx.write_table("person", pa.Table.from_pandas(persons, preserve_index=False))

    truth = None
    if settings.ground_truth_file is not None:
        ctx.note_input(settings.ground_truth_file)
        truth = read_ground_truth(settings.ground_truth_file, ctx.keys)
    # The scored pairs stay in Arrow and DuckDB (gbo.link.evidence): link_pair is written
    # by DuckDB, and the other outputs read from it only the rows or counts they need.
    ctx.progress.log("link: link evidence, accepted links, the review queue and the bias audit")
    memory_limit = checked_memory_limit(settings.duckdb_memory_limit)
    with PairEvidence(
        result.scored, result.ids, record_table, result.level_labels, memory_limit
    ) as evidence:
        path = ctx.write_table_with("link_pair", evidence.write_link_pairs)
        evidence.read_link_pairs(path)
        ctx.write_table("accepted_link", evidence.accepted_links(result.links))
        candidates = evidence.review_candidates(
            settings.review_min_probability,
            settings.review_max_probability,
            [result.weak_links, result.guarded],
        )
        queue = build_review_queue(
            candidates, result.weak_links, decisions, settings, guarded=result.guarded
        )
        grey_min = settings.review_min_probability
        groups = record_groups(records, settings.age_reference_year)
        bias = audit_bias(
            groups,
            record_map,
            evidence.near_miss_records(grey_min),
            evidence.agency_pairs(grey_min),
            truth,
        )
    quality = quality_summary(result, record_map, persons, queue, decisions, settings, truth)

    ctx.write_text("review_queue.csv", queue.to_csv(index=False))
    ctx.write_json("model.json", result.model)
    ctx.write_json("linkage_quality.json", quality)
    ctx.write_table("linkage_bias", pa.Table.from_pandas(bias, preserve_index=False))

    warnings = [
        f"model check: {c.comparison} / {c.level}: {c.check} ({c.action})"
        for c in result.training.checks
        if c.check in {"m_degenerate_low", "weight_inverted", "m_degenerate_high"}
    ]
    warnings += guard_warnings(result.reliability)
    warnings += unreachable_warnings(
        result.estimates.get("reachable_by_agency") or [], settings.blocking_rules
    )
    metrics = {
        k: quality[k]
        for k in (
            "n_records",
            "n_persons",
            "n_pairs_scored",
            "n_links",
            "n_review_queue",
            "n_model_checks",
            "n_weak_links",
            "n_weak_links_cut",
        )
    }
    if truth is not None:
        metrics["cluster_f1"] = quality["ground_truth"]["cluster"]["f1"]
    return StageResult(warnings=warnings, metrics=metrics)


def quality_summary(
    result: LinkageResult,
    record_map: pd.DataFrame,
    persons: pd.DataFrame,
    queue: pd.DataFrame,
    decisions: pd.DataFrame | None,
    settings: LinkSettings,
    truth: pd.DataFrame | None,
) -> dict[str, Any]:
    """``linkage_quality.json``: counts, thresholds, model checks and (synthetic) accuracy."""
    sizes = persons["n_records"].clip(upper=10).value_counts().sort_index()
    summary: dict[str, Any] = {
        "n_records": len(record_map),
        "n_persons": len(persons),
        "n_persons_linked": int((persons["n_records"] > 1).sum()),
        "persons_by_n_records": {("10+" if k == 10 else str(k)): int(v) for k, v in sizes.items()},
        "n_pairs_scored": result.scored.num_rows,
        "n_links": len(result.links),
        "n_links_from_review": int((result.links["basis"] == "review").sum()),
        "n_review_queue": len(queue),
        "n_weak_links": len(result.weak_links),
        "n_weak_links_cut": int(result.weak_links["is_cut"].sum()) if len(result.weak_links) else 0,
        "n_persons_conflicting_sex": int(persons["has_conflicting_sex"].sum()),
        "n_persons_conflicting_dob": int(persons["has_conflicting_dob"].sum()),
        "n_decisions": 0 if decisions is None else len(decisions),
        "thresholds": {
            "match_threshold": result.match_threshold,
            "target_precision": settings.target_precision,
            "review_min_probability": settings.review_min_probability,
            "review_max_probability": settings.review_max_probability,
            "strong_link_probability": settings.strong_link_probability,
        },
        "training": {
            "passes": result.training.passes,
            "seeded_from_labels": result.training.seeded_from_labels,
            "n_labels": result.training.n_labels,
            "probability_two_random_records_match": (
                result.training.probability_two_random_records_match
            ),
        },
        "n_model_checks": len(result.training.checks),
        "model_checks": [c.as_dict() for c in result.training.checks],
        "timings": result.timings,
        "backend": settings.backend,
        "n_held_back_by_guards": len(result.guarded),
        "conflict_guards": result.reliability,
        "label_free_estimates": result.estimates,
    }
    if truth is not None:
        accepted = result.links[["unique_id_l", "unique_id_r"]]
        present = truth[truth["unique_id"].isin(record_map["record_pid"])]
        summary["ground_truth"] = {
            "pairwise": pairwise_scores(accepted, present).as_dict(),
            "cluster": cluster_scores(result.clusters, present).as_dict(),
        }
        # Flat copies, for pages that show only top-level figures (the data quality page).
        for kind, scores in summary["ground_truth"].items():
            for measure in ("precision", "recall", "f1"):
                summary[f"{kind}_{measure}_vs_ground_truth"] = scores[measure]
    return summary
