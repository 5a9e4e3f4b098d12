"""The lessons outputs: documents, items, assignments, the theme x review matrix, the tidy
tables the report and spreadsheets use, and short evidence excerpts with citations."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
from statsmodels.stats.proportion import proportion_confint

from gbo.lessons.analysis import LibraryCoding
from gbo.lessons.taxonomy import Taxonomy
from gbo.schema.codes import NOT_RECORDED

LIVE = ("machine", "confirmed")


def documents_table(coding: LibraryCoding) -> pa.Table:
    rows = []
    for entry in coding.documents:
        doc, meta = entry.document, entry.metadata
        rows.append(
            {
                "doc_id": doc.doc_id if doc else None,
                "file": meta.file,
                "title": meta.title,
                "area": meta.area,
                "year": meta.year,
                "review_type": meta.review_type,
                "kind": doc.kind if doc else None,
                "n_pages": doc.n_pages if doc else 0,
                "n_paragraphs": len(doc.paragraphs) if doc else 0,
                "has_text_layer": doc.has_text_layer if doc else False,
                "problem": entry.problem,
            }
        )
    return pa.Table.from_pylist(rows)


def items_table(coding: LibraryCoding) -> pa.Table:
    schema = pa.schema(
        [
            ("doc_id", pa.string()),
            ("item_type", pa.string()),
            ("number", pa.string()),
            ("page", pa.int64()),
            ("paragraph", pa.int64()),
            ("section", pa.string()),
            ("text", pa.string()),
        ]
    )
    rows = [
        {
            "doc_id": doc_id,
            "item_type": i.item_type,
            "number": i.number,
            "page": i.page,
            "paragraph": i.paragraph,
            "section": i.section,
            "text": i.text,
        }
        for doc_id, i in coding.items
    ]
    return pa.Table.from_pylist(rows, schema=schema)


def matrix_table(coding: LibraryCoding) -> pa.Table:
    """Theme x review: passages per review and theme, and how many an analyst confirmed."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for a in coding.assignments:
        if a["status"] in LIVE:
            cell = counts[(str(a["doc_id"]), str(a["theme_id"]))]
            cell[0] += 1
            cell[1] += a["status"] == "confirmed"
    rows = [
        {
            "doc_id": d,
            "theme_id": t,
            "n_passages": n,
            "n_confirmed": c,
            "status": "confirmed" if c else "machine",
        }
        for (d, t), (n, c) in sorted(counts.items())
    ]
    schema = pa.schema(
        [
            ("doc_id", pa.string()),
            ("theme_id", pa.string()),
            ("n_passages", pa.int64()),
            ("n_confirmed", pa.int64()),
            ("status", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _tidy_rows(
    table_id: str, taxonomy: Taxonomy, breakdowns: dict[str, tuple[int, dict[str, int]]]
) -> list[dict[str, Any]]:
    """Rows of a tidy table: breakdown -> (number of reviews, theme -> reviews with it)."""
    rows = []
    for breakdown, (denominator, per_theme) in breakdowns.items():
        counts = np.array([per_theme.get(t.theme_id, 0) for t in taxonomy.themes])
        if denominator:
            low, high = proportion_confint(counts, denominator, alpha=0.05, method="wilson")
        else:
            low = high = np.full(len(counts), np.nan)
        for order, (theme, count) in enumerate(zip(taxonomy.themes, counts, strict=True)):
            pct = 100 * count / denominator if denominator else None
            rows.append(
                {
                    "table_id": table_id,
                    "breakdown": breakdown,
                    "category": theme.title,
                    "category_order": order,
                    "count": int(count),
                    "denominator": denominator,
                    "pct_of_all": pct,
                    "pct_of_recorded": pct,
                    "ci_lower": None if pct is None else float(100 * low[order]),
                    "ci_upper": None if pct is None else float(100 * high[order]),
                    "is_not_recorded": False,
                }
            )
    return rows


def tidy_tables(coding: LibraryCoding, taxonomy: Taxonomy) -> tuple[pa.Table, dict[str, Any]]:
    """Theme recurrence (all, confirmed, machine only), themes by year and by area."""
    docs = {e.document.doc_id: e.metadata for e in coding.documents if e.document}
    status: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in coding.assignments:
        if a["status"] in LIVE:
            status[(str(a["doc_id"]), str(a["theme_id"]))].add(str(a["status"]))

    def count(doc_ids: list[str], rule: str) -> tuple[int, dict[str, int]]:
        per_theme: dict[str, int] = defaultdict(int)
        for (doc_id, theme_id), statuses in status.items():
            if doc_id not in doc_ids:
                continue
            confirmed = "confirmed" in statuses
            if rule == "all" or (rule == "confirmed") == confirmed:
                per_theme[theme_id] += 1
        return len(doc_ids), per_theme

    all_ids = sorted(docs)
    rows = _tidy_rows(
        "lessons_theme_recurrence",
        taxonomy,
        {
            "All": count(all_ids, "all"),
            "Confirmed by an analyst": count(all_ids, "confirmed"),
            "Machine only": count(all_ids, "machine"),
        },
    )
    for table_id, attribute in (
        ("lessons_themes_by_year", "year"),
        ("lessons_themes_by_area", "area"),
    ):
        groups: dict[str, list[str]] = defaultdict(list)
        for doc_id, meta in docs.items():
            value = getattr(meta, attribute)
            groups[NOT_RECORDED if value is None else str(value)].append(doc_id)
        rows += _tidy_rows(
            table_id, taxonomy, {k: count(v, "all") for k, v in sorted(groups.items())}
        )
    common = {
        "unit": "case reviews",
        "category_label": "Learning theme",
        "is_additive": False,
        "margin_key": "lessons_reviews",
        "completeness": 1.0,
        "sources": ["case reviews"],
        "section": "lessons",
        "personal": False,
        "population": f"{len(docs)} case reviews in the library",
        "period": _period(docs),
    }
    note = (
        f"Themes from taxonomy version {taxonomy.version}. A review counts once per theme "
        "however many passages show it. 'Machine only' themes have not been confirmed by an "
        "analyst; rejected assignments are not counted. A review can show several themes."
    )
    metadata = {
        "lessons_theme_recurrence": {
            **common,
            "title": "Learning themes found in case reviews",
            "definition": "Number of reviews in which each learning theme was found.",
            "breakdown_label": "Confirmation",
            "notes": [note],
        },
        "lessons_themes_by_year": {
            **common,
            "title": "Learning themes found in case reviews, by year of review",
            "definition": "Number of reviews of each year in which each theme was found.",
            "breakdown_label": "Year of review",
            "notes": [note],
        },
        "lessons_themes_by_area": {
            **common,
            "title": "Learning themes found in case reviews, by area",
            "definition": "Number of reviews of each area in which each theme was found.",
            "breakdown_label": "Area",
            "notes": [note],
        },
    }
    return pa.Table.from_pylist(rows), metadata


def _period(docs: dict[str, Any]) -> str:
    years = sorted(m.year for m in docs.values() if m.year is not None)
    return f"{years[0]} to {years[-1]}" if years else NOT_RECORDED


def excerpts_table(coding: LibraryCoding, per_theme: int, max_chars: int) -> pa.Table:
    """A few short evidence excerpts per theme, from different reviews, best first."""
    rank = {"confirmed": 0, "machine": 1}
    method_rank = {"classifier+keyword": 0, "classifier": 1, "keyword": 2}
    by_theme: dict[str, list[dict[str, object]]] = defaultdict(list)
    for a in coding.assignments:
        if a["status"] in LIVE:
            by_theme[str(a["theme_id"])].append(a)
    rows = []
    for theme_id, found in sorted(by_theme.items()):
        found.sort(
            key=lambda a: (
                rank[str(a["status"])],
                method_rank[str(a["method"])],
                -float(str(a["score"])),
                str(a["assignment_id"]),
            )
        )
        used: set[object] = set()
        for a in found:
            if a["doc_id"] in used:
                continue
            used.add(a["doc_id"])
            text = str(a["evidence"])
            if len(text) > max_chars:
                text = text[: max_chars - 1].rsplit(" ", 1)[0] + "…"
            rows.append(
                {
                    "theme_id": theme_id,
                    "theme_title": a["theme_title"],
                    "doc_id": a["doc_id"],
                    "title": a["title"],
                    "file": a["file"],
                    "page": a["page"],
                    "paragraph": a["paragraph"],
                    "sentence": a["sentence"],
                    "excerpt": text,
                    "status": a["status"],
                    "assignment_id": a["assignment_id"],
                }
            )
            if len(used) >= per_theme:
                break
    return (
        pa.Table.from_pylist(rows)
        if rows
        else pa.table(
            {
                k: pa.array([], pa.string())
                for k in (
                    "theme_id",
                    "theme_title",
                    "doc_id",
                    "title",
                    "file",
                    "excerpt",
                    "status",
                    "assignment_id",
                )
            }
        )
    )
