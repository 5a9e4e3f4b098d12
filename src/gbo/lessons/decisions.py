"""Analyst confirmation: candidate assignments out to CSV, accept/reject decisions back in.

The candidates file has one row per machine assignment with its evidence sentence and where
it is (file, page, paragraph, sentence number within the paragraph), and an empty
``decision`` column. The analyst writes ``accept`` or ``reject`` (or leaves it blank) and
gives the file back; decisions are matched on ``assignment_id``, which stays the same across
reruns on the same documents and rules.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from gbo.errors import LessonsError
from gbo.lessons.csv_input import numbered_rows

CANDIDATE_COLUMNS = (
    "assignment_id",
    "theme_id",
    "theme_title",
    "file",
    "title",
    "page",
    "paragraph",
    "sentence",
    "section",
    "method",
    "score",
    "hedged",
    "has_negated_clause",
    "evidence",
    "decision",
    "note",
)
DECISION_VALUES = {"accept": "confirmed", "reject": "rejected", "": "machine"}


@dataclass(frozen=True)
class Decision:
    assignment_id: str
    status: str  # confirmed, rejected or machine (no decision)
    note: str


def write_candidates(rows: list[dict[str, object]]) -> str:
    """The candidates CSV text (``decision`` pre-filled where a decision already exists)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CANDIDATE_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def read_decisions(path: Path) -> dict[str, Decision]:
    """Read an analyst's decisions; a bad value is an error naming its row and column."""
    if not path.is_file():
        raise LessonsError("decisions file not found", path=path)
    rows = numbered_rows(
        path,
        ("assignment_id", "decision"),
        "decisions file",
        "start from the candidates.csv that gbo wrote",
    )
    found: dict[str, Decision] = {}
    for row_number, row in rows:
        value = (row.get("decision") or "").strip().lower()
        if value not in DECISION_VALUES:
            raise LessonsError(
                f"row {row_number}, column decision: {value!r} is not accept, reject or blank",
                path=path,
            )
        assignment_id = (row.get("assignment_id") or "").strip()
        if not assignment_id:
            raise LessonsError(f"row {row_number}, column assignment_id: empty", path=path)
        found[assignment_id] = Decision(
            assignment_id, DECISION_VALUES[value], (row.get("note") or "").strip()
        )
    return found
