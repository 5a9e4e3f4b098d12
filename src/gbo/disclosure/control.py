"""Disclosure control of a set of tidy tables, from true figures to published ones.

:func:`control_disclosure` is the library entry point the stage, the tests and the benchmark
call: primary suppression, secondary suppression checked by linear programming, rounding,
the published form with its symbols, the log of every withheld figure, the tables' notes,
and finally the independent audit of the published result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbo.disclosure.audit import AuditReport, audit_published_tables, check_statistics
from gbo.disclosure.cells import is_personal
from gbo.disclosure.declared import NOT_HOLDING
from gbo.disclosure.display_figures import DISPLAY_COLUMNS, publish_tables
from gbo.disclosure.linear_system import LinearSystem, build_linear_system
from gbo.disclosure.primary import (
    apply_primary_rules,
    mark_small_population_zeros,
    row_attribute_cells,
)
from gbo.disclosure.ranges import RangeSolver
from gbo.disclosure.secondary import suppress_secondary
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.state import (
    PRIMARY,
    RULE_DOMINANCE,
    SECONDARY,
    STATUS_NAMES,
    SuppressionState,
)
from gbo.disclosure.statistic_figures import statistic_figure_tables
from gbo.disclosure.statistics_control import LOG_COLUMNS, control_statistics
from gbo.disclosure.symbols import LEGEND, LOW_RELIABILITY, symbols_in
from gbo.disclosure.text_control import (
    control_metadata_text,
    control_share_recorded,
    input_frames,
    share_recorded_is_safe,
    shares_in_notes,
)
from gbo.disclosure.text_figures import TEXT_TABLES, shown_text_figures, text_figure_tables
from gbo.errors import DisclosureError

REQUIRED_COLUMNS = ("table_id", "breakdown", "category", "count", "denominator")
OPTIONAL_COLUMNS: dict[str, Any] = {
    "category_order": 0,
    "pct_of_all": np.nan,
    "pct_of_recorded": np.nan,
    "ci_lower": np.nan,
    "ci_upper": np.nan,
    "is_not_recorded": False,
}
STATISTICS_COLUMNS = ("table_id", "breakdown", "statistic", "value", "n", "ci_lower", "ci_upper")


@dataclass
class DisclosureResult:
    """Everything the disclosure stage writes."""

    tables: pd.DataFrame
    metadata: dict[str, Any]
    statistics: pd.DataFrame
    log: pd.DataFrame
    audit: AuditReport
    metrics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # the figures quoted in notes as published: (name, None) or (share key, part)
    quoted: dict[tuple[str, str | None], str] = field(default_factory=dict)
    # every figure the audit checked, as published (the tables above and the quoted
    # figures), with its metadata
    audited: pd.DataFrame = field(default_factory=pd.DataFrame)
    audited_meta: dict[str, Any] = field(default_factory=dict)


def normalise_rows(rows: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check the tidy columns are there and add the optional ones that are missing."""
    missing = [c for c in REQUIRED_COLUMNS if c not in rows.columns]
    if missing:
        raise DisclosureError(
            f"tables lack the column(s) {', '.join(missing)}",
            hint="see the tidy table format in docs/run-folder.md",
            path=source,
        )
    out = rows.copy()
    for column, default in OPTIONAL_COLUMNS.items():
        if column not in out.columns:
            out[column] = default
    out["is_not_recorded"] = out["is_not_recorded"].astype("boolean").fillna(False).astype(bool)
    return out


def normalise_statistics(stats: pd.DataFrame | None) -> pd.DataFrame:
    if stats is None or stats.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in STATISTICS_COLUMNS})
    out = stats.copy()
    for column in STATISTICS_COLUMNS:
        if column not in out.columns:
            out[column] = np.nan
    return out


def control_disclosure(
    rows: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    settings: DisclosureSettings,
    statistics: pd.DataFrame | None = None,
    on_round: Callable[[int, int], None] | None = None,
) -> DisclosureResult:
    """Suppress, round and audit; the result holds the published tables and the audit."""
    rows, meta = with_quoted_figures(rows, metadata)
    statistics = normalise_statistics(statistics)
    rows, meta, counted = with_statistic_figures(rows, meta, statistics)
    # figures published only in text or as statistics: no row of theirs is read across
    unpublished = [t for t in meta if t in TEXT_TABLES or t in counted]
    if unpublished:
        exempt = [*settings.dominance_exempt_tables, *unpublished]
        settings = settings.model_copy(update={"dominance_exempt_tables": exempt})
    system = build_linear_system(rows, meta)
    state = apply_primary_rules(system, rows, meta, settings)
    solver = RangeSolver(system, integer=settings.audit_integer, protection=settings.protection)

    def secondary() -> int:
        return suppress_secondary(
            system,
            state,
            protection=settings.protection,
            threshold=settings.threshold,
            rounding_base=settings.rounding_base,
            integer=settings.audit_integer,
            max_rounds=settings.max_secondary_rounds,
            on_round=on_round,
            solver=solver,
        )

    rounds = secondary()
    for _ in range(settings.max_secondary_rounds):
        # a row that is zero everywhere but withheld cells gives its people's attribute away
        revealing = row_attribute_cells(system, state, rows, meta)
        # and a zero the All column no longer shows no longer covers a small column's zero
        if not revealing and not mark_small_population_zeros(system, state, rows, meta, settings):
            break
        for ref in revealing:
            state.mark(
                system.ref_index[ref],
                PRIMARY,
                RULE_DOMINANCE,
                f"a zero beside withheld cells in row '{ref.category}' (all-in-one-category rule, "
                "read across the row)",
            )
        rounds += secondary()
    published = publish_tables(rows, meta, system, state, settings)
    stats_out, stats_log = control_statistics(statistics, meta, system, state, settings)
    log = suppression_log(system, state, stats_log)
    out_meta = annotate_metadata(meta, published, stats_out, state, system, settings)
    frames = input_frames(rows)
    tables_meta = {t: m for t, m in out_meta.items() if t not in ("symbols", "disclosure")}
    # a note's share of a field ("police 48% of 1,139") is the table's share recorded by
    # agency: where that share would give a withheld count back, so would the note, in
    # every table that quotes it
    unsafe = {
        share
        for table_id, table_meta in tables_meta.items()
        if not share_recorded_is_safe(table_id, frames.get(table_id), system, state)
        for share in shares_in_notes(table_meta)
    }
    quoted = shown_text_figures(published)
    shown_frames = input_frames(published)
    for table_id, table_meta in tables_meta.items():
        control_share_recorded(
            table_meta, table_id, frames.get(table_id), system, state, shown_frames.get(table_id)
        )
        control_metadata_text(table_meta, quoted, withheld_shares=unsafe)
    audit = audit_published_tables(
        rows,
        published,
        meta,
        threshold=settings.threshold,
        protection=settings.protection,
        rounding_base=settings.rounding_base,
        integer=settings.audit_integer,
        hints=solver.witnesses,
        published_meta=out_meta,
        percent_decimals=settings.percent_decimals,
    )
    check_statistics(stats_out, meta, settings.min_statistic_n, audit)
    metrics = {
        "n_tables": int(rows["table_id"].nunique()),
        "n_cells": int(len(rows)),
        "n_figures": int(system.size),
        "n_relations": len(system.constraints),
        # figures, each counted once however many tables show it (the audit's withheld
        # figures are these two less any zero withheld only as a complement)
        "n_primary": state.count(PRIMARY),
        "n_secondary": state.count(SECONDARY),
        "secondary_rounds": rounds,
        "n_statistics_withheld": sum(1 for r in stats_log if r["figure"] == "statistic"),
        "audit_passed": audit.passed,
        "audit_linear_programmes": audit.n_programmes,
        "audit_integer_programmes": audit.n_integer_programmes,
        "audit_seconds": round(audit.seconds, 3),
    }
    audited, audited_meta = published, out_meta
    # the quoted figures are published in their notes, and the counted ones as statistics,
    # never as tables
    published = published[~published["table_id"].isin(unpublished)].reset_index(drop=True)
    out_meta = {k: v for k, v in out_meta.items() if k not in unpublished}
    # relations of quoted figures are declared wherever they might hold; those that do not
    # are not used, and are no news to the analyst
    declared = {
        NOT_HOLDING + str(r.get("description"))
        for t in TEXT_TABLES
        for r in meta.get(t, {}).get("relations") or []
    }
    warnings = [w for w in system.warnings if w not in declared]
    return DisclosureResult(
        published, out_meta, stats_out, log, audit, metrics, warnings, quoted, audited, audited_meta
    )


def with_quoted_figures(
    rows: pd.DataFrame, metadata: Mapping[str, Mapping[str, Any]]
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """The tables with the counts and shares their notes quote added as tables of their own:
    figures of the same system, controlled and audited with the rest."""
    rows = normalise_rows(rows, "tables.parquet")
    meta = {str(k): dict(v) for k, v in metadata.items()}
    text_rows, text_meta = text_figure_tables(rows, meta)
    if text_rows.empty:
        return rows, meta
    joint = normalise_rows(pd.concat([rows, text_rows], ignore_index=True), "tables.parquet")
    return joint, meta | text_meta


def with_statistic_figures(
    rows: pd.DataFrame, meta: dict[str, dict[str, Any]], statistics: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], set[str]]:
    """The tables with the counts of people their statistics publish added as tables of
    their own (:mod:`gbo.disclosure.statistic_figures`), and those tables' ids."""
    counted_rows, counted_meta = statistic_figure_tables(statistics, meta)
    if counted_rows.empty:
        return rows, meta, set()
    joint = normalise_rows(pd.concat([rows, counted_rows], ignore_index=True), "tables.parquet")
    return joint, meta | counted_meta, set(counted_meta)


def suppression_log(
    system: LinearSystem, state: SuppressionState, extra: list[dict[str, Any]]
) -> pd.DataFrame:
    """One row per withheld figure (every place it appears), with the rule and the reason."""
    records: list[dict[str, Any]] = []
    for q in np.flatnonzero(state.hidden()).tolist():
        for ref in system.refs[q]:
            records.append(
                {
                    "table_id": ref.table_id,
                    "breakdown": ref.breakdown,
                    "category": ref.category,
                    "figure": ref.figure,
                    "rule": state.rules.get(q, STATUS_NAMES.get(int(state.status[q]), "")),
                    "reason": state.reasons.get(q, ""),
                }
            )
    records += extra
    frame = pd.DataFrame.from_records(records, columns=list(LOG_COLUMNS))
    return frame.astype("string")


def annotate_metadata(
    metadata: Mapping[str, dict[str, Any]],
    published: pd.DataFrame,
    statistics: pd.DataFrame,
    state: SuppressionState,
    system: LinearSystem,
    settings: DisclosureSettings,
) -> dict[str, Any]:
    """Input metadata plus each table's disclosure notes and symbols, and the legend."""
    out: dict[str, Any] = {}
    used_anywhere: set[str] = set()
    hidden_tables: dict[str, dict[str, int]] = {}
    for q in np.flatnonzero(state.hidden()).tolist():
        name = STATUS_NAMES[int(state.status[q])]
        for ref in system.refs[q]:
            counts = hidden_tables.setdefault(ref.table_id, {"primary": 0, "secondary": 0})
            counts[name] += 1
    by_table = {str(t): f for t, f in published.groupby("table_id", sort=False)}
    stats_by_table = (
        {str(t): f for t, f in statistics.groupby("table_id", sort=False)}
        if not statistics.empty
        else {}
    )
    for table_id in dict.fromkeys(list(metadata) + list(by_table) + list(stats_by_table)):
        meta = dict(metadata.get(table_id, {}))
        texts: list[object] = []
        frame = by_table.get(table_id)
        if frame is not None:
            for column in DISPLAY_COLUMNS:
                texts += frame[column].tolist()
        stats = stats_by_table.get(table_id)
        if stats is not None:
            for column in ("value_display", "n_display", "ci_lower_display", "ci_upper_display"):
                texts += stats[column].tolist()
        used = symbols_in(texts)
        used_anywhere.update(used)
        personal = is_personal(meta)
        notes = list(meta.get("notes") or [])
        notes += table_notes(used, personal, settings)
        if not meta.get("is_additive", True) and not any("Not additive" in str(n) for n in notes):
            # a reader must not take overlapping categories to add up (and neither may we)
            notes.append("Not additive: a unit can be counted in several categories.")
        meta["notes"] = notes
        meta["symbols"] = {s: LEGEND[s] for s in used}
        counts = hidden_tables.get(table_id, {"primary": 0, "secondary": 0})
        meta["disclosure"] = {
            "is_personal": personal,
            "n_primary": counts["primary"],
            "n_secondary": counts["secondary"],
            # tables of documents are rounded like the rest (display_figures)
            "rounding_base": settings.rounding_base,
            "threshold": settings.threshold,
        }
        out[table_id] = meta
    out["symbols"] = {s: LEGEND[s] for s in LEGEND if s in used_anywhere}
    out["disclosure"] = {
        "threshold": settings.threshold,
        "protection_interval": settings.protection,
        "rounding": settings.rounding,
        "rounding_base": settings.rounding_base,
        "dominance_share": settings.dominance_share,
        "small_denominator": settings.small_denominator,
        "small_denominator_action": settings.small_denominator_action,
        "statistic_threshold": settings.min_statistic_n,
        "percent_decimals": settings.percent_decimals,
    }
    return out


def table_notes(used: list[str], personal: bool, settings: DisclosureSettings) -> list[str]:
    """The disclosure notes a table carries, in plain English."""
    notes = (
        []
        if personal
        else [
            "These figures count documents, not people; they are controlled all the same, "
            "since a document can be about one child."
        ]
    )
    notes += [
        f"Counts of 1 to {settings.threshold - 1} are withheld to protect the people in the "
        "records, and so are other figures that would let a withheld count be worked out."
    ]
    if settings.rounding_base > 1:
        notes.append(
            f"Counts are rounded to the nearest {settings.rounding_base}, so figures may not "
            "add up to the totals shown; percentages are worked from the rounded figures."
        )
    if LOW_RELIABILITY in used and settings.small_denominator > 0:
        notes.append(
            f"Percentages of fewer than {settings.small_denominator} people are marked [u]: "
            "treat them with caution."
        )
    return notes
