"""The lessons stage: the case review library named in the configuration, coded against the
learning themes. With no library configured the stage records that and writes empty tables,
so the report says the section is not available rather than failing."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from gbo.config import RunConfig
from gbo.lessons.library import METADATA_FILE, library_files
from gbo.lessons.run import analyse_library
from gbo.runfolder import RunContext, StageResult


def external_inputs(config: RunConfig) -> list[Path]:
    settings = config.lessons
    found: list[Path] = []
    if settings.library is not None and settings.library.is_dir():
        found += library_files(settings.library)
        if (settings.library / METADATA_FILE).exists():
            found.append(settings.library / METADATA_FILE)
    if settings.decisions_file is not None:
        found.append(settings.decisions_file)
    return found


def run(ctx: RunContext) -> StageResult:
    settings = ctx.config.lessons
    if settings.library is None:
        ctx.write_table("tables", pa.table({"table_id": pa.array([], pa.string())}))
        ctx.write_json("tables.json", {})
        return StageResult(
            warnings=["no case review library configured ([lessons] library): section skipped"],
            metrics={"documents": 0},
        )
    for path in external_inputs(ctx.config):
        ctx.note_input(path)
    outputs = analyse_library(settings.library, settings, ctx.progress)
    for name, table in outputs.tables.items():
        ctx.write_table(name, table)
    ctx.write_json("tables.json", outputs.tables_metadata)
    ctx.write_text("candidates.csv", outputs.candidates_csv)
    for name, text in outputs.files.items():
        ctx.write_text(name, text)
    return StageResult(warnings=outputs.warnings, metrics=outputs.summary)
