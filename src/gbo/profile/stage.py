"""The profile stage: characteristics of offenders, victims, groups and context, outcomes,
population comparisons and victims' journeys, as aggregate tidy tables.

Reads ``02_vault`` (pseudonymised records), ``03_link`` (persons) and ``05_groups``; writes
``06_profile/tables.parquet``, ``tables.json``, ``statistics.parquet`` and
``completeness.parquet``. Nothing written has a row per person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from gbo.config import RunConfig
from gbo.disclosure.text_figures import figure_in_text
from gbo.profile.band_edges import declare_band_edges
from gbo.profile.baseline import (
    Baseline,
    baseline_statistics,
    compared_columns,
    read_baseline,
)
from gbo.profile.completeness import build_completeness, completeness_notes
from gbo.profile.contained_relations import declare_contained
from gbo.profile.context import build_context, build_outcomes
from gbo.profile.group_breakdowns import build_groups
from gbo.profile.group_relations import declare_group_relations
from gbo.profile.journey_notes import journey_rule_notes
from gbo.profile.journey_relations import declare_contact_sums, declare_journey_figures
from gbo.profile.journey_sensitivity import declare_sensitivity
from gbo.profile.journeys import build_journeys
from gbo.profile.people import (
    age_statistics,
    build_offender_status,
    build_people,
    count_conflicts,
)
from gbo.profile.population import Profile, build_populations, declare_victim_breakdowns
from gbo.profile.registry import REGISTRY, TableDef, declarations
from gbo.profile.scale import build_scale
from gbo.profile.sources import open_inputs
from gbo.profile.tidy import TABLES_SCHEMA, Statistic, TidyTable, statistics_to_arrow
from gbo.profile.timeline_relations import declare_timeline_bounds
from gbo.profile.victims import build_victim_markers
from gbo.runfolder import RunContext, StageResult
from gbo.schema.codes import ONS_GROUPS


def external_inputs(config: RunConfig) -> list[Path]:
    """The local baseline file, when one is configured (its hash enters the fingerprint)."""
    path = config.profile.baseline_file
    return [path] if path is not None else []


BUILD_STEPS = 9


def build_profile(
    profile: Profile, tick: Callable[[], None] = lambda: None
) -> tuple[list[TidyTable], list[Statistic]]:
    """Every table and statistic, in report order; ``tick`` after each of the steps."""
    s = profile.settings
    build_populations(profile)
    tick()
    tables = build_scale(profile)
    tables.append(build_offender_status(profile))
    tick()
    tables += build_people(profile, "offenders", "p_offender", s.offender_age_bands)
    tick()
    group_tables, stats = build_groups(profile)
    tables += group_tables
    tick()
    tables += build_people(profile, "victims", "p_victim", s.victim_age_bands)
    tick()
    tables += build_victim_markers(profile)
    tick()
    tables += build_context(profile)
    outcome_tables, outcome_stats = build_outcomes(profile)
    tables += outcome_tables
    stats += outcome_stats
    tick()
    journey_tables, journey_stats = build_journeys(profile)
    tables += journey_tables
    stats += journey_stats
    tick()
    stats += age_statistics(profile, "offenders", "p_offender", s.offender_age_bands)
    stats += age_statistics(profile, "victims", "p_victim", s.victim_age_bands)
    profile.facts.update(count_conflicts(profile))
    tick()
    return tables, stats


def table_metadata(
    definition: TableDef,
    table: TidyTable | None,
    profile: Profile,
    completeness: pa.Table,
    extra_notes: list[str],
    recorded_share: float | None = None,
) -> dict[str, Any]:
    notes = [f"Definition: {definition.definition}", f"Population: {definition.population}"]
    notes += list(definition.notes) + extra_notes
    notes += completeness_notes(definition, completeness)
    if table is not None:
        notes += table.warnings
    rows = completeness.to_pylist()
    sources = sorted(
        {
            str(r["agency"])
            for r in rows
            if (r["table"], r["field"]) in {*definition.fields, *definition.breakdown_fields}
        }
    ) or sorted({str(r["agency"]) for r in rows if r["table"] == "offence"})
    return {
        "title": definition.title,
        "definition": definition.definition,
        "population": definition.population,
        "unit": definition.unit,
        "period": profile.period,
        "category_label": definition.category_label,
        "breakdown_label": definition.breakdown_label,
        "is_additive": definition.is_additive,
        "margin_key": definition.margin_key,
        "completeness": table.completeness if table is not None else recorded_share,
        # the (source table, field) pairs it classifies: disclosure control relates the data
        # quality page's completeness of the same rows to it
        "fields": [list(f) for f in definition.fields],
        "breakdown_fields": [list(f) for f in definition.breakdown_fields],
        "notes": notes,
        "relations": table.listed_relations() if table is not None else [],
        "sources": sources,
        "section": definition.section,
        "kind": definition.kind,
        **declarations(definition.table_id, definition.margin_key),
    }


def detail_withheld_relations(
    metadata: dict[str, Any], by_id: dict[str, TidyTable], profile: Profile
) -> None:
    """Not publishing the 19-category table says its people with a recorded ethnicity are
    fewer than the setting: a bound on the 5-group table's recorded groups, declared so that
    disclosure control knows what a reader knows."""
    limit = profile.settings.ethnicity_detail_min_recorded
    for prefix in ("offenders", "victims"):
        table_id = f"{prefix}_ethnicity_5"
        table = by_id.get(table_id)
        if profile.facts.get(f"{prefix}_ethnicity_19_withheld") is None or table is None:
            continue
        groups = [c for c in ONS_GROUPS.values() if c in table.categories]
        if groups and table_id in metadata:
            metadata[table_id].setdefault("relations", []).append(
                {
                    "terms": [[table_id, "All", c, 1] for c in groups],
                    "at_most": limit - 1,
                    "description": f"the 19-category table of {prefix} is not published: "
                    f"fewer than {limit} have a recorded ethnicity",
                }
            )


def _quoted(facts: dict[str, Any], name: str) -> str:
    """A count of the profile's facts quoted in a note (controlled by the disclosure stage)."""
    return figure_in_text(name, int(facts.get(name, 0)))


def _extra_notes(profile: Profile, baseline: Baseline) -> dict[str, list[str]]:
    f = profile.facts
    s = profile.settings
    out: dict[str, list[str]] = {}
    for prefix in ("offenders", "victims"):
        withheld = f.get(f"{prefix}_ethnicity_19_withheld")
        if withheld is not None:
            # the rule, not the count: the count is the 5-group table's recorded groups,
            # which gives back its Not recorded when that is withheld (the bound is declared
            # to disclosure control, see detail_withheld_relations)
            out[f"{prefix}_ethnicity_5"] = [
                f"The 19-category table is not published: fewer than "
                f"{s.ethnicity_detail_min_recorded} {prefix} have a recorded self-defined "
                "ethnicity."
            ]
        out[f"{prefix}_sex"] = [
            f"{_quoted(f, f'{prefix}_conflicting_sex')} {prefix} have linked records that "
            "disagree on sex; the linkage stage chose one value."
        ]
        out[f"{prefix}_age_band"] = [
            f"{_quoted(f, f'{prefix}_conflicting_dob')} {prefix} have linked records that "
            "disagree on date of birth."
        ]
    source = f"Baseline: {baseline.name}." + (
        " " + " ".join(baseline.source_notes[:2]) if baseline.source_notes else ""
    )
    for table_id in REGISTRY:
        if table_id.endswith(("_lone", "_other")):
            out[table_id] = [
                "Both shares come from the same data, so they share its recording practice; "
                "'pct_not_recorded' and 'pct_not_recorded_comparison' give the share of each "
                "population left out of the comparison."
            ]
        elif table_id.startswith("baseline_"):
            recheck = baseline.recheck_for(table_id)
            out[table_id] = [
                source,
                *(
                    [
                        f"Baseline figures still to be checked against the primary table "
                        f"before publication: {', '.join(recheck)}."
                    ]
                    if recheck
                    else []
                ),
                "Rates compare the people whose value is recorded; 'pct_not_recorded' beside "
                "them is the share left out, which can change the picture entirely.",
            ]
    journey_notes = [
        *journey_rule_notes(s),
        f"{_quoted(f, 'journey_events_without_date')} victims' contacts have no "
        "date and cannot be placed before or after identification.",
    ]
    for table_id in REGISTRY:
        if table_id.startswith("journeys_"):
            out[table_id] = list(journey_notes)
    return out


def run(ctx: RunContext) -> StageResult:
    settings = ctx.config.profile
    with ctx.progress.task("profile: characteristics tables", total=BUILD_STEPS + 3) as task:
        opened = open_inputs(ctx, ctx.warn)
        profile = Profile(opened.con, settings, ctx.warn)
        task.advance()
        tables, stats = build_profile(profile, task.advance)
        completeness = build_completeness(profile)
        baseline = read_baseline(settings.baseline_file, settings.baseline_name)
        if settings.baseline_file is not None:
            ctx.note_input(settings.baseline_file)
        by_id = {t.table_id: t for t in tables}
        baseline_stats, baseline_made = baseline_statistics(baseline, by_id)
        stats += baseline_stats
        task.advance()

        extra = _extra_notes(profile, baseline)
        for table_id, notes in baseline_made.items():
            extra[table_id] = extra.get(table_id, []) + notes
        metadata: dict[str, Any] = {}
        stated = {st.table_id for st in stats}
        for table_id, definition in REGISTRY.items():
            table = by_id.get(table_id)
            made = table_id in baseline_made or (
                definition.kind == "statistics" and table_id in stated
            )
            if table is None and not made:
                continue
            not_recorded = [
                s.value
                for s in baseline_stats
                if (s.table_id, s.breakdown, s.statistic) == (table_id, "All", "pct_not_recorded")
            ]
            share = (
                1 - not_recorded[0] / 100 if not_recorded and not_recorded[0] is not None else None
            )
            metadata[table_id] = table_metadata(
                definition, table, profile, completeness, extra.get(table_id, []), share
            )
        detail_withheld_relations(metadata, by_id, profile)
        declare_journey_figures(metadata, by_id, settings.prior_contact_bands)
        declare_contact_sums(metadata, profile)
        declare_sensitivity(metadata, stats, by_id)
        declare_timeline_bounds(
            metadata,
            by_id,
            settings.time_to_identification_bands,
            settings.time_before_identification_bands,
        )
        declare_contained(metadata, by_id, settings)
        declare_band_edges(metadata, settings)
        declare_group_relations(metadata, by_id)
        declare_victim_breakdowns(metadata, {t: table.breakdowns for t, table in by_id.items()})
        for table_id, (source, columns) in compared_columns().items():
            if table_id in metadata:
                # the comparison's statistics are worked from these columns' cells
                metadata[table_id]["statistics_of"] = [source, list(columns)]
        for table in tables:
            for warning in table.warnings:
                ctx.warn(warning)
        arrow = (
            pa.concat_tables([t.to_arrow() for t in tables])
            if tables
            else TABLES_SCHEMA.empty_table()
        )
        ctx.write_table("tables", arrow)
        ctx.write_json("tables.json", metadata)
        ctx.write_table("statistics", statistics_to_arrow(stats))
        ctx.write_table("completeness", completeness)
        task.advance()
    metrics: dict[str, Any] = {
        "tables": len(metadata),
        "cells": arrow.num_rows,
        "statistics": len(stats),
    }
    for name in ("offence", "offender", "victim", "group"):
        metrics[f"{name}s"] = profile.scalar(f"SELECT count(*) FROM p_{name}")
    opened.con.close()
    return StageResult(metrics=metrics)
