"""A small, realistic run folder in the published (disclosure-controlled) form.

The disclosure stage is built alongside publish, so these tests write its outputs
themselves, following docs/run-folder.md: tidy tables with nullable counts, ``*_display``
strings carrying GSS symbols, a ``suppression`` column and a symbols legend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from gbo.stages import stage_folder_name

THRESHOLD = 5
SMALL_BASE = 50
SYMBOLS = {
    "[c]": "confidential: suppressed to protect the people in the records",
    "[x]": "not available",
    "[z]": "not applicable",
    "[u]": "low reliability",
    "[low]": "rounds to zero, but is not zero",
}


@dataclass(frozen=True)
class TableSpec:
    """Raw counts of one table: breakdown -> category -> count, and its metadata."""

    table_id: str
    counts: dict[str, dict[str, int]]
    meta: dict[str, Any]


def _suppress(cells: dict[str, int]) -> dict[str, str | None]:
    """Primary suppression below the threshold, then the next smallest cell if only one."""
    marks: dict[str, str | None] = {
        k: ("primary" if 0 < v < THRESHOLD else None) for k, v in cells.items()
    }
    if sum(m is not None for m in marks.values()) == 1:
        others = sorted((v, k) for k, v in cells.items() if marks[k] is None and v > 0)
        if others:
            marks[others[0][1]] = "secondary"
    return marks


def _shown(value: float | None, text: str, hidden: bool, small_base: bool) -> str:
    """Display text: [c] when suppressed, [z] when not applicable, [u] on a small base."""
    if hidden:
        return "[c]"
    if value is None:
        return "[z]"
    return f"{text} [u]" if small_base else text


def tidy_rows(spec: TableSpec) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    additive = bool(spec.meta["is_additive"])
    for breakdown, cells in spec.counts.items():
        denominator = sum(cells.values())
        recorded = denominator - cells.get("Not recorded", 0)
        small = denominator < SMALL_BASE
        marks = _suppress(cells)
        for order, (category, count) in enumerate(cells.items(), start=1):
            is_nr = category == "Not recorded"
            hidden = marks[category] is not None
            pct: float | None = None
            pct_rec: float | None = None
            low: float | None = None
            high: float | None = None
            if additive:
                pct = 100 * count / denominator
                ci = proportion_confint(count, denominator, method="wilson")
                low, high = 100 * float(ci[0]), 100 * float(ci[1])
                pct_rec = None if is_nr or recorded == 0 else 100 * count / recorded
            rows.append(
                {
                    "table_id": spec.table_id,
                    "breakdown": breakdown,
                    "category": category,
                    "category_order": order,
                    "count": None if hidden else count,
                    "denominator": denominator,
                    "pct_of_all": None if hidden else pct,
                    "pct_of_recorded": None if hidden else pct_rec,
                    "ci_lower": None if hidden else low,
                    "ci_upper": None if hidden else high,
                    "is_not_recorded": is_nr,
                    "count_display": _shown(count, str(count), hidden, False),
                    "denominator_display": str(denominator),
                    "pct_of_all_display": _shown(pct, f"{pct or 0:.1f}", hidden, small),
                    "pct_of_recorded_display": _shown(
                        pct_rec, f"{pct_rec or 0:.1f}", hidden, small
                    ),
                    "ci_lower_display": _shown(low, f"{low or 0:.1f}", hidden, small),
                    "ci_upper_display": _shown(high, f"{high or 0:.1f}", hidden, small),
                    "suppression": marks[category],
                }
            )
    return rows


def _meta(title: str, section: str, category_label: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": title,
        "definition": "",
        "population": "Offenders named on a recorded group-based CSE offence",
        "unit": "people",
        "period": "April 2019 to March 2024",
        "category_label": category_label,
        "breakdown_label": None,
        "is_additive": True,
        "margin_key": None,
        "completeness": None,
        "notes": [],
        "sources": ["Police"],
        "section": section,
    }
    base.update(extra)
    return base


SPECS: list[TableSpec] = [
    TableSpec(
        "scale_summary",
        {"All": {"Offences": 412, "Offenders": 236, "Victims": 189, "Groups": 41}},
        _meta(
            "Offences, offenders, victims and groups identified",
            "scale",
            "Measure",
            unit="offences, people or groups",
            population="Everything recorded in the period",
            is_additive=False,
            sources=["Police", "Children's social care", "Health"],
        ),
    ),
    TableSpec(
        "offenders_sex",
        {
            "In a group": {"Female": 3, "Male": 181, "Not recorded": 12},
            "Alone": {"Female": 6, "Male": 30, "Not recorded": 4},
        },
        _meta(
            "Offenders by sex and whether they offended in a group",
            "offenders",
            "Sex",
            breakdown_label="Offending",
            definition="Sex as recorded by the police.",
            completeness=0.93,
            notes=["Sex is as recorded by the agency; the basis of recording is not known."],
        ),
    ),
    TableSpec(
        "offenders_ethnicity",
        {
            "All": {
                "Asian or Asian British": 38,
                "Black, Black British, Caribbean or African": 9,
                "Mixed or Multiple ethnic groups": 2,
                "White": 61,
                "Other ethnic group": 4,
                "Not recorded": 122,
            }
        },
        _meta(
            "Offenders by self-defined ethnic group",
            "offenders",
            "Ethnic group (self-defined)",
            definition="Ethnic group as the person described it (ONS 2021 Census groups).",
            completeness=114 / 236,
            notes=[
                "Officer-observed ethnicity is published separately and never merged with "
                "self-defined ethnicity.",
                "Sex is as recorded by the agency; the basis of recording is not known.",
            ],
        ),
    ),
    TableSpec(
        "victims_age",
        {
            "All": {
                "Under 10": 7,
                "10 to 12": 24,
                "13 to 15": 98,
                "16 to 17": 51,
                "Not recorded": 9,
            }
        },
        _meta(
            "Victims by age when exploitation was first identified",
            "victims",
            "Age band",
            population="Children recorded as victims of a group-based CSE offence",
            sources=["Police", "Children's social care"],
            completeness=180 / 189,
        ),
    ),
    TableSpec(
        "groups_size",
        {
            "All": {
                "2 offenders": 17,
                "3 to 4 offenders": 14,
                "5 to 9 offenders": 8,
                "10 or more": 2,
            }
        },
        _meta(
            "Offending groups by number of offenders",
            "groups",
            "Group size",
            unit="groups",
            population="Offending groups under the published group rule",
        ),
    ),
    TableSpec(
        "journeys_contacts_before",
        {
            "All": {
                "None": 23,
                "1 to 2 contacts": 61,
                "3 to 5 contacts": 57,
                "6 or more contacts": 48,
            }
        },
        _meta(
            "Victims by agency contacts before exploitation was identified",
            "journeys",
            "Contacts before identification",
            population="Children recorded as victims of a group-based CSE offence",
            sources=["Children's social care", "Health"],
        ),
    ),
    TableSpec(
        "lessons_themes",
        {
            "All": {
                "Information sharing": 11,
                "Missing episodes not followed up": 8,
                "Children seen as consenting": 6,
                "Other": 3,
            }
        },
        _meta(
            "Case reviews by learning theme",
            "lessons",
            "Learning theme",
            unit="case reviews",
            population="Published case reviews in the library",
            is_additive=False,
            sources=["Case review library"],
        ),
    ),
]

STATISTICS: list[dict[str, Any]] = [
    {
        "table_id": "journeys_contacts_before",
        "breakdown": "All",
        "statistic": "Median days from first contact to identification",
        "value": 412.0,
        "n": 166,
        "ci_lower": 351.0,
        "ci_upper": 480.0,
        "value_display": "412",
        "n_display": "166",
        "ci_lower_display": "351",
        "ci_upper_display": "480",
        "suppression": None,
    },
    {
        "table_id": "journeys_contacts_before",
        "breakdown": "Looked-after children",
        "statistic": "Median days from first contact to identification",
        "value": None,
        "n": None,
        "ci_lower": None,
        "ci_upper": None,
        "value_display": "[c]",
        "n_display": "[c]",
        "ci_lower_display": "[c]",
        "ci_upper_display": "[c]",
        "suppression": "primary",
    },
]


def write_run_folder(
    run_dir: Path, *, optional_items: bool = True, specs: list[TableSpec] | None = None
) -> Path:
    """Write a run folder holding 08_disclosure (and, optionally, the aggregate items)."""
    specs = SPECS if specs is None else specs
    run_dir.mkdir(parents=True, exist_ok=True)
    stages = ["ingest", "vault", "link", "quality", "groups", "profile", "lessons", "disclosure"]
    manifest = {
        "run_id": run_dir.name,
        "code_version": "0.1.0+gfixture",
        "is_synthetic": True,
        "created": "2026-11-20T09:00:00+00:00",
        "config": {"disclosure": {"threshold": THRESHOLD}},
        "stages": {s: {"status": "ran", "number": i} for i, s in enumerate(stages, start=1)},
    }
    (run_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    disclosure = run_dir / stage_folder_name("disclosure")
    disclosure.mkdir(exist_ok=True)
    rows = [r for spec in specs for r in tidy_rows(spec)]
    frame = pd.DataFrame(rows).astype({"count": "Int64"})
    frame.to_parquet(disclosure / "tables.parquet", index=False)
    tables_json: dict[str, Any] = {spec.table_id: spec.meta for spec in specs}
    tables_json["symbols"] = SYMBOLS
    (disclosure / "tables.json").write_text(json.dumps(tables_json, indent=2), encoding="utf-8")
    stats = pd.DataFrame([s for s in STATISTICS if s["table_id"] in {t.table_id for t in specs}])
    if not stats.empty:
        stats = stats.astype({"n": "Int64"})
    stats.to_parquet(disclosure / "statistics.parquet", index=False)
    if optional_items:
        _write_optional_items(run_dir)
    return run_dir


def _write_optional_items(run_dir: Path) -> None:
    quality = run_dir / stage_folder_name("quality")
    quality.mkdir(exist_ok=True)
    pd.DataFrame(
        {
            "agency": ["Police", "Police", "Children's social care", "Health"],
            "table": ["person_record", "person_record", "person_record", "event"],
            "field": ["sex", "ethnicity", "date_of_birth", "event_date"],
            "n": [1200, 1200, 1497, 1499],
            "n_recorded": [1116, 576, 1482, 1496],
            "share_recorded": [0.93, 0.48, 0.99, 1496 / 1499],
        }
    ).to_parquet(quality / "completeness.parquet", index=False)
    # the published page is the disclosure stage's controlled copy, and so are its
    # completeness figures (three health events without a date: withheld)
    disclosure = run_dir / stage_folder_name("disclosure")
    disclosure.mkdir(exist_ok=True)
    controlled = pd.read_parquet(quality / "completeness.parquet").astype(object)
    controlled.loc[3, ["n_recorded", "share_recorded"]] = ["[c]", None]
    (disclosure / "quality_completeness.json").write_text(
        json.dumps(controlled.to_dict("records")), encoding="utf-8"
    )
    (disclosure / "data_quality.html").write_text(
        "<!doctype html><html lang='en'><head><title>Data quality</title></head>"
        "<body><h1>Data quality</h1></body></html>",
        encoding="utf-8",
    )
    link = run_dir / stage_folder_name("link")
    link.mkdir(exist_ok=True)
    facts = json.dumps(
        {
            "threshold_match_probability": 0.9,
            "estimated_precision": 0.982,
            "estimated_recall": 0.947,
            "n_clusters": 4210,
            "review_queue_pairs": 57,
        }
    )
    (link / "linkage_quality.json").write_text(facts, encoding="utf-8")
    # the report lists the disclosure stage's controlled copy of the facts
    (disclosure / "linkage_quality.json").write_text(facts, encoding="utf-8")
    groups = run_dir / stage_folder_name("groups")
    groups.mkdir(exist_ok=True)
    (groups / "group_rule.json").write_text(
        json.dumps(
            {
                "version": "2",
                "edge_types": ["shared_offence", "shared_victim"],
                "window_days": 730,
                "min_size": 2,
                "community_detection": "leiden above 50 offenders, resolution 0.1, seed 7",
            }
        ),
        encoding="utf-8",
    )
    pd.DataFrame(
        {
            "window_days": [365, 730, 1095],
            "edge_types": ["shared_offence"] * 3,
            "n_groups": [36, 41, 44],
            "median_size": [3.0, 3.0, 4.0],
        }
    ).to_parquet(groups / "group_sensitivity.parquet", index=False)
    lessons = run_dir / stage_folder_name("lessons")
    lessons.mkdir(exist_ok=True)
    pd.DataFrame(
        {
            "theme_id": ["info_sharing", "missing"],
            "theme_label": ["Information sharing", "Missing episodes not followed up"],
            "document_title": ["Review A (synthetic)", "Review B (synthetic)"],
            "page": [12, 4],
            "excerpt": [
                "Agencies held relevant information that was not shared at strategy meetings.",
                "Return home interviews were not offered after each missing episode.",
            ],
        }
    ).to_parquet(lessons / "excerpts.parquet", index=False)


def profile_rows(spec: TableSpec) -> list[dict[str, Any]]:
    """The true (not yet disclosure-controlled) rows, as the profile stage writes them."""
    rows: list[dict[str, Any]] = []
    additive = bool(spec.meta["is_additive"])
    for breakdown, cells in spec.counts.items():
        denominator = sum(cells.values())
        recorded = denominator - cells.get("Not recorded", 0)
        for order, (category, count) in enumerate(cells.items(), start=1):
            is_nr = category == "Not recorded"
            low, high = proportion_confint(count, denominator, method="wilson")
            rows.append(
                {
                    "table_id": spec.table_id,
                    "breakdown": breakdown,
                    "category": category,
                    "category_order": order,
                    "count": count,
                    "denominator": denominator,
                    "pct_of_all": 100 * count / denominator if additive else None,
                    "pct_of_recorded": (
                        100 * count / recorded if additive and not is_nr and recorded else None
                    ),
                    "ci_lower": 100 * float(low) if additive else None,
                    "ci_upper": 100 * float(high) if additive else None,
                    "is_not_recorded": is_nr,
                }
            )
    return rows


def write_profile_folder(run_dir: Path) -> Path:
    """A run folder holding ``06_profile`` (true counts) and the optional aggregate items."""
    run_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"run_id": run_dir.name, "code_version": "0.1.0+gfixture", "is_synthetic": True}
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    profile = run_dir / stage_folder_name("profile")
    profile.mkdir(exist_ok=True)
    rows = [r for spec in SPECS for r in profile_rows(spec)]
    pd.DataFrame(rows).to_parquet(profile / "tables.parquet", index=False)
    meta = {spec.table_id: spec.meta for spec in SPECS}
    (profile / "tables.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    stats = pd.DataFrame(
        [
            {
                "table_id": "journeys_contacts_before",
                "breakdown": "All",
                "statistic": "Median days from first contact to identification",
                "value": 412.0,
                "n": 166,
                "ci_lower": 351.0,
                "ci_upper": 480.0,
            },
            {
                "table_id": "journeys_contacts_before",
                "breakdown": "Looked-after children",
                "statistic": "Median days from first contact to identification",
                "value": 380.0,
                "n": 3,
                "ci_lower": 120.0,
                "ci_upper": 700.0,
            },
        ]
    )
    stats.to_parquet(profile / "statistics.parquet", index=False)
    _write_optional_items(run_dir)
    return run_dir
