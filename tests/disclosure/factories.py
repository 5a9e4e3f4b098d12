"""Tidy tables made from synthetic person attributes, in the format of docs/run-folder.md.

The disclosure stage is built against the tidy table contract, not against the profile
stage's code: these factories tabulate made-up people (random attributes, no identifiers)
into ``tables.parquet`` rows, ``tables.json`` metadata and ``statistics.parquet`` rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

ALL = "All"
NOT_RECORDED = "Not recorded"

SEX = ("Female", "Male")
AGE_BANDS = ("10 to 17", "18 to 24", "25 to 29", "30 to 39", "40 to 49", "50 and over")
ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
ETHNICITY_19 = tuple(f"Ethnicity {i:02d}" for i in range(1, 20))
MARKERS = ("Looked after", "Missing episode", "SEND", "Mental health", "Substance misuse")


def tabulate(
    people: pd.DataFrame,
    table_id: str,
    column: str,
    categories: Sequence[str],
    *,
    breakdown: str | None = None,
    breakdowns: Sequence[str] = (),
    has_not_recorded: bool = True,
) -> pd.DataFrame:
    """An additive table: people by ``column`` (null = Not recorded), by ``breakdown``."""
    labels = list(categories) + ([NOT_RECORDED] if has_not_recorded else [])
    values = people[column].fillna(NOT_RECORDED) if has_not_recorded else people[column]
    parts: list[tuple[str, pd.Series]] = [(ALL, values)]
    if breakdown is not None:
        order = list(breakdowns) or sorted(people[breakdown].dropna().unique())
        for b in order:
            parts.append((str(b), values[people[breakdown] == b]))
    rows = []
    for b, series in parts:
        counts = series.value_counts()
        denominator = int(len(series))
        not_recorded = int(counts.get(NOT_RECORDED, 0))
        for order_index, label in enumerate(labels, start=1):
            rows.append(
                _row(
                    table_id,
                    b,
                    label,
                    order_index,
                    int(counts.get(label, 0)),
                    denominator,
                    denominator - not_recorded,
                    label == NOT_RECORDED,
                )
            )
    return pd.DataFrame(rows)


def tabulate_markers(
    people: pd.DataFrame,
    table_id: str,
    markers: Sequence[str],
    *,
    breakdown: str | None = None,
    breakdowns: Sequence[str] = (),
) -> pd.DataFrame:
    """A multi-response table: people with each marker (columns of booleans)."""
    parts: list[tuple[str, pd.DataFrame]] = [(ALL, people)]
    if breakdown is not None:
        order = list(breakdowns) or sorted(people[breakdown].dropna().unique())
        parts += [(str(b), people[people[breakdown] == b]) for b in order]
    rows = []
    for b, frame in parts:
        denominator = len(frame)
        flags = frame[list(markers)].astype(bool)
        none = int((~flags.any(axis=1)).sum())
        for i, marker in enumerate(markers, start=1):
            rows.append(
                _row(
                    table_id,
                    b,
                    marker,
                    i,
                    int(flags[marker].sum()),
                    denominator,
                    denominator - none,
                    False,
                )
            )
        rows.append(
            _row(table_id, b, NOT_RECORDED, len(markers) + 1, none, denominator, denominator, True)
        )
    return pd.DataFrame(rows)


def _row(
    table_id: str,
    breakdown: str,
    category: str,
    order: int,
    count: int,
    denominator: int,
    recorded: int,
    is_not_recorded: bool,
) -> dict[str, Any]:
    if denominator > 0:
        low, high = proportion_confint(count, denominator, alpha=0.05, method="wilson")
        pct, ci_lower, ci_upper = 100 * count / denominator, 100 * low, 100 * high
    else:
        pct = ci_lower = ci_upper = float("nan")
    pct_rec = 100 * count / recorded if recorded > 0 and not is_not_recorded else float("nan")
    return {
        "table_id": table_id,
        "breakdown": breakdown,
        "category": category,
        "category_order": order,
        "count": count,
        "denominator": denominator,
        "pct_of_all": pct,
        "pct_of_recorded": pct_rec,
        "ci_lower": ci_lower,
        "ci_upper": ci_upper,
        "is_not_recorded": is_not_recorded,
    }


def metadata_for(
    table_id: str,
    *,
    margin_key: str | None,
    is_additive: bool = True,
    breakdown_label: str | None = None,
    section: str = "offenders",
    **extra: Any,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": table_id.replace("_", " ").capitalize(),
        "definition": "Synthetic table.",
        "population": margin_key or table_id,
        "unit": "people",
        "period": "2020 to 2024",
        "category_label": "Category",
        "breakdown_label": breakdown_label,
        "is_additive": is_additive,
        "margin_key": margin_key,
        "completeness": None,
        "notes": [],
        "sources": ["police"],
        "section": section,
    }
    meta.update(extra)
    return meta


def make_people(
    n: int, seed: int, *, n_areas: int = 40, area_exponent: float = 1.3, missing: float = 0.2
) -> pd.DataFrame:
    """Synthetic people: population, group status, sex, age band, ethnicity, area, markers."""
    rng = np.random.default_rng(seed)

    def pick(options: Sequence[str], weights: npt.ArrayLike) -> np.ndarray:
        p = np.asarray(weights, dtype=float)
        values = rng.choice(np.asarray(options, dtype=object), size=n, p=p / p.sum())
        values[rng.random(n) < missing] = None
        return values

    area_weights = 1.0 / np.arange(1, n_areas + 1) ** area_exponent
    people = pd.DataFrame(
        {
            "population": rng.choice(["offender", "victim"], size=n, p=[0.45, 0.55]),
            "group_status": rng.choice(["In a group", "Alone"], size=n, p=[0.4, 0.6]),
            "sex": pick(SEX, [0.15, 0.85]),
            "age_band": pick(AGE_BANDS, [8, 20, 18, 25, 17, 12]),
            "ethnic_group": pick(ETHNIC_GROUPS, [12, 4, 3, 78, 3]),
            "ethnicity_19": pick(ETHNICITY_19, np.linspace(30, 0.05, 19) ** 2),
            "area": pick([f"Area {i:03d}" for i in range(1, n_areas + 1)], area_weights),
        }
    )
    for i, marker in enumerate(MARKERS):
        people[marker] = rng.random(n) < 0.08 + 0.06 * i
    return people


def make_tables(
    n: int, seed: int = 1, *, n_areas: int = 40, area_exponent: float = 1.3
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], pd.DataFrame]:
    """A realistic set of tidy tables (rows, metadata, statistics) from ``n`` people."""
    people = make_people(n, seed, n_areas=n_areas, area_exponent=area_exponent)
    frames: list[pd.DataFrame] = []
    metadata: dict[str, dict[str, Any]] = {}
    split = ("In a group", "Alone")
    for population in ("offender", "victim"):
        who = people[people["population"] == population]
        key = f"{population}s"
        specs: list[tuple[str, str, Sequence[str]]] = [
            ("group_status", "group_status", split),
            ("sex", "sex", SEX),
            ("age_band", "age_band", AGE_BANDS),
            ("ethnicity_5", "ethnic_group", ETHNIC_GROUPS),
            ("ethnicity_19", "ethnicity_19", ETHNICITY_19),
            ("area", "area", sorted(people["area"].dropna().unique())),
        ]
        for name, column, categories in specs:
            table_id = f"{key}_{name}"
            if name == "group_status":
                frames.append(tabulate(who, table_id, column, categories, has_not_recorded=False))
                metadata[table_id] = metadata_for(table_id, margin_key=key, section=key)
            else:
                frames.append(
                    tabulate(
                        who,
                        table_id,
                        column,
                        categories,
                        breakdown="group_status",
                        breakdowns=split,
                    )
                )
                metadata[table_id] = metadata_for(
                    table_id, margin_key=key, section=key, breakdown_label="Offending"
                )
        if population == "victim":
            table_id = "victims_vulnerabilities"
            frames.append(
                tabulate_markers(who, table_id, MARKERS, breakdown="group_status", breakdowns=split)
            )
            metadata[table_id] = metadata_for(
                table_id,
                margin_key=key,
                is_additive=False,
                section="victims",
                breakdown_label="Offending",
            )
    lessons = pd.DataFrame(
        [
            _row("lessons_themes", ALL, f"Theme {i}", i, c, 12, 12, False)
            for i, c in enumerate([1, 3, 7, 2], start=1)
        ]
    )
    frames.append(lessons)
    metadata["lessons_themes"] = metadata_for(
        "lessons_themes",
        margin_key=None,
        is_additive=False,
        section="lessons",
        personal=False,
        unit="case reviews",
    )
    rows = pd.concat(frames, ignore_index=True)
    stats = pd.DataFrame(
        [
            {
                "table_id": "offenders_age_band",
                "breakdown": b,
                "statistic": "median_age",
                "value": 31.5,
                "n": int(n_b),
                "ci_lower": None,
                "ci_upper": None,
            }
            for b, n_b in rows[
                (rows["table_id"] == "offenders_age_band") & (rows["category"] == AGE_BANDS[0])
            ][["breakdown", "denominator"]].itertuples(index=False)
        ]
        + [
            {
                "table_id": "victims_age",
                "breakdown": ALL,
                "statistic": "median_age",
                "value": 14.0,
                "n": 3,
                "ci_lower": None,
                "ci_upper": None,
            }
        ]
    )
    return rows, metadata, stats
