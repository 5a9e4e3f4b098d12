"""``analyse_library``: a library folder in, every lessons output out (as data), used by both
the pipeline stage and ``gbo lessons run``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from gbo.lessons.analysis import code_library
from gbo.lessons.decisions import read_decisions, write_candidates
from gbo.lessons.library import read_library
from gbo.lessons.outputs import (
    documents_table,
    excerpts_table,
    items_table,
    matrix_table,
    tidy_tables,
)
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.standalone import standalone_files
from gbo.lessons.taxonomy import load_taxonomy
from gbo.progress import Progress, SilentProgress


@dataclass
class LessonsOutputs:
    tables: dict[str, pa.Table] = field(default_factory=dict)
    tables_metadata: dict[str, Any] = field(default_factory=dict)
    candidates_csv: str = ""
    files: dict[str, str] = field(default_factory=dict)  # lessons.html and the CSV tables
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def analyse_library(
    library: Path, settings: LessonsSettings, progress: Progress | None = None
) -> LessonsOutputs:
    progress = progress or SilentProgress()
    taxonomy = load_taxonomy()
    decisions = read_decisions(settings.decisions_file) if settings.decisions_file else {}
    documents = read_library(library, progress)
    coding = code_library(documents, taxonomy, settings, decisions, progress)
    tidy, metadata = tidy_tables(coding, taxonomy)
    assignments = pa.Table.from_pylist(coding.assignments) if coding.assignments else None
    outputs = LessonsOutputs(
        tables={
            "documents": documents_table(coding),
            "items": items_table(coding),
            "theme_review_matrix": matrix_table(coding),
            "excerpts": excerpts_table(
                coding, settings.excerpts_per_theme, settings.excerpt_max_chars
            ),
            "tables": tidy,
        },
        tables_metadata=metadata,
        candidates_csv=write_candidates(coding.assignments),
    )
    if assignments is not None:
        outputs.tables["theme_assignment"] = assignments
    known = {str(a["assignment_id"]) for a in coding.assignments}
    stale = sorted(set(decisions) - known)
    if stale:
        outputs.warnings.append(
            f"{len(stale)} decision(s) match no current assignment (documents or rules changed)"
        )
    for entry in documents:
        if entry.problem:
            outputs.warnings.append(f"{entry.metadata.file}: {entry.problem}")
    statuses = [str(a["status"]) for a in coding.assignments]
    outputs.summary = {
        "taxonomy_version": taxonomy.version,
        "documents": len(documents),
        "documents_with_problems": sum(1 for e in documents if e.problem),
        "sentences": coding.n_sentences,
        "sentences_not_coded": coding.n_skipped,
        "items": len(coding.items),
        "assignments": len(statuses),
        "confirmed": statuses.count("confirmed"),
        "rejected": statuses.count("rejected"),
        "machine_only": statuses.count("machine"),
        "decisions_applied": len(
            {k for k, d in decisions.items() if d.status != "machine"} & known
        ),
    }
    outputs.files = standalone_files(coding, taxonomy, outputs.summary)
    if coding.classifier is not None:
        outputs.files["classifier.json"] = json.dumps(coding.classifier, indent=2)
        outputs.summary["classifier"] = coding.classifier["fingerprint"]
    return outputs
