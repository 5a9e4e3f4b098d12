"""Files a reviewer can open without gbo: an HTML page and CSV tables.

``lessons.html`` shows, for each theme, in how many reviews it was found (accepted by an
analyst, and machine only) and quotes with their file, page, paragraph and sentence.
``theme_recurrence.csv`` is the same table with the best quote per theme, ``evidence.csv``
every live assignment with its location. Until an analyst accepts an assignment it is
marked "machine only, not yet accepted" wherever it appears. Beside each theme's count, for
the default coder, is how often that coder finds the theme in reviews it was not fitted on
(gbo.lessons.theme_accuracy): a theme it often misses is undercounted.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from gbo.lessons.analysis import LibraryCoding
from gbo.lessons.taxonomy import Taxonomy
from gbo.lessons.theme_accuracy import ThemeAccuracy, ThemeFigures, accuracy_for

LIVE = ("machine", "confirmed")
STATUS_TEXT = {"confirmed": "accepted by an analyst", "machine": "machine only, not yet accepted"}
QUOTES_PER_THEME = 3
# each theme's figures measured on reviews the coder was not fitted on, for the default coder
MEASURED = (
    "measured_stated",
    "measured_found",
    "measured_given",
    "measured_recall",
    "measured_recall_low",
    "measured_recall_high",
    "measured_precision",
)


def _location(a: dict[str, object]) -> str:
    return f"{a['file']}, page {a['page']}, paragraph {a['paragraph']}, sentence {a['sentence']}"


def _measured(figures: ThemeFigures | None) -> dict[str, object]:
    """A theme's measured figures (gbo.lessons.theme_accuracy), blank when there are none."""
    if figures is None:
        return dict.fromkeys(MEASURED, None)
    interval = figures.recall_interval
    return {
        "measured_stated": figures.stated,
        "measured_found": figures.found,
        "measured_given": figures.given,
        "measured_recall": None if figures.recall is None else round(figures.recall, 3),
        "measured_recall_low": None if interval is None else round(interval.low, 3),
        "measured_recall_high": None if interval is None else round(interval.high, 3),
        "measured_precision": None if figures.precision is None else round(figures.precision, 3),
    }


def _recurrence(
    coding: LibraryCoding, taxonomy: Taxonomy, accuracy: ThemeAccuracy | None
) -> list[dict[str, Any]]:
    measured = accuracy.by_theme() if accuracy else {}
    n_docs = sum(1 for e in coding.documents if e.document is not None)
    by_theme: dict[str, list[dict[str, object]]] = defaultdict(list)
    for a in coding.assignments:
        if a["status"] in LIVE:
            by_theme[str(a["theme_id"])].append(a)
    rows = []
    for theme in taxonomy.themes:
        found = by_theme.get(theme.theme_id, [])
        docs = {str(a["doc_id"]) for a in found}
        accepted = {str(a["doc_id"]) for a in found if a["status"] == "confirmed"}
        found.sort(key=lambda a: (a["status"] != "confirmed", -float(str(a["score"]))))
        quotes, seen = [], set()
        for a in found:
            if a["doc_id"] in seen:
                continue
            seen.add(a["doc_id"])
            quotes.append(
                {
                    "text": str(a["evidence"]),
                    "title": str(a["title"]),
                    "location": _location(a),
                    "status": STATUS_TEXT[str(a["status"])],
                    "machine_only": a["status"] == "machine",
                }
            )
            if len(quotes) == QUOTES_PER_THEME:
                break
        rows.append(
            {
                "theme_id": theme.theme_id,
                "title": theme.title,
                "definition": theme.definition,
                "reviews": len(docs),
                "accepted": len(accepted),
                "machine_only": len(docs - accepted),
                "of_reviews": n_docs,
                "pct": round(100 * len(docs) / n_docs, 1) if n_docs else None,
                "quotes": quotes,
                **_measured(measured.get(theme.theme_id)),
            }
        )
    rows.sort(key=lambda r: (-int(str(r["reviews"])), str(r["theme_id"])))
    return rows


def _csv(fieldnames: list[str], rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def standalone_files(
    coding: LibraryCoding, taxonomy: Taxonomy, summary: dict[str, Any]
) -> dict[str, str]:
    """File name -> text of ``lessons.html``, ``theme_recurrence.csv`` and ``evidence.csv``."""
    accuracy = accuracy_for(coding.classifier, taxonomy.version)
    recurrence = _recurrence(coding, taxonomy, accuracy)
    flat = []
    for r in recurrence:
        best = r["quotes"][0] if r["quotes"] else {}
        flat.append(
            {
                **{k: r[k] for k in ("theme_id", "title", "reviews", "accepted", "machine_only")},
                "reviews_in_library": r["of_reviews"],
                "pct_of_reviews": r["pct"],
                "quote": best.get("text", ""),
                "quote_from": best.get("title", ""),
                "quote_location": best.get("location", ""),
                "quote_status": best.get("status", ""),
                **{k: r[k] for k in MEASURED},
            }
        )
    evidence = [
        {**a, "status": STATUS_TEXT[str(a["status"])]}
        for a in sorted(
            coding.assignments,
            key=lambda a: (str(a["theme_id"]), str(a["file"]), str(a["paragraph"]).zfill(8)),
        )
        if a["status"] in LIVE
    ]
    environment = Environment(
        loader=PackageLoader("gbo.lessons", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    html = environment.get_template("lessons.html").render(
        taxonomy=taxonomy,
        themes=recurrence,
        summary=summary,
        classifier=coding.classifier,
        accuracy=accuracy,
    )
    return {
        "lessons.html": html,
        "theme_recurrence.csv": _csv(list(flat[0]) if flat else ["theme_id"], flat),
        "evidence.csv": _csv(
            [
                "theme_id",
                "theme_title",
                "file",
                "title",
                "page",
                "paragraph",
                "sentence",
                "section",
                "evidence",
                "method",
                "score",
                "hedged",
                "status",
                "assignment_id",
            ],
            evidence,
        ),
    }
