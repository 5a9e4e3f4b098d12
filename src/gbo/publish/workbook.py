"""The XLSX workbook, written with gptables to the Analysis Function spreadsheet guidance.

Cover sheet (title, about, code version, run id, dates, contact, caveats), contents, notes,
then one table per sheet. Notes are referenced as ``[note N]`` in titles and column
headers, never in data cells; symbols are explained in each sheet's legend.
"""

from __future__ import annotations

import warnings
from datetime import datetime, time
from pathlib import Path

import gptables as gpt
import pandas as pd

from gbo.publish.inputs import Publication
from gbo.publish.layout import workbook_frame
from gbo.publish.notes import NoteBook
from gbo.publish.plan import PublicationPlan, TablePlan
from gbo.publish.settings import PublishSettings
from gbo.schema.agencies import agencies_phrase

SYNTHETIC_WARNING = (
    "These figures are made from synthetic (invented) data. They describe no real person "
    "and must not be quoted as statistics."
)


def _refs(numbers: tuple[int, ...] | list[int]) -> str:
    """gptables note markers, each preceded by a space (gptables turns them into [note N])."""
    return "".join(f" $${NoteBook.key(n)}$$" for n in numbers)


def _gptable(plan: TablePlan, publication: Publication) -> gpt.GPTable:
    table = plan.table
    meta = table.meta
    frame_source = table.statistics if plan.is_statistics else table.rows
    places = 2 if plan.is_statistics else 1
    frame = workbook_frame(frame_source, plan.columns, places=places)
    subtitles = []
    if meta.definition:
        subtitles.append(meta.definition)
    if meta.population:
        subtitles.append(f"Population: {meta.population}")
    if meta.period:
        subtitles.append(f"Period: {meta.period}")
    if meta.completeness is not None and not plan.is_statistics:
        subtitles.append(f"Share of records with this item recorded: {meta.completeness:.1%}")
    legend = [f"{s} = {publication.symbols.get(s, 'see the notes sheet')}" for s in plan.symbols]
    column_notes = {
        c.header: f"$${NoteBook.key(plan.notes.columns[c.key])}$$"
        for c in plan.columns
        if c.key in plan.notes.columns
    }
    formats = []
    for i, column in enumerate(plan.columns):
        if column.is_numeric:
            whole = column.key in ("count", "denominator", "n")
            number_format = "#,##0" if whole else ("0.0" if places == 1 else "#,##0.##")
            formats.append(
                {
                    "column": {
                        "columns": [i],
                        "format": {"align": "right", "num_format": number_format},
                    }
                }
            )
    return gpt.GPTable(
        table=frame,
        table_name=plan.sheet.lower(),
        title=f"{plan.title}{_refs(plan.notes.title)}",
        subtitles=subtitles,
        source=f"Source: {', '.join(meta.sources)}" if meta.sources else None,
        legend=legend,
        table_notes=column_notes or None,
        index_columns={1: 0, 2: 1} if plan.columns[0].key == "breakdown" else {2: 0},
        additional_formatting=formats,
    )


def _cover(publication: Publication, settings: PublishSettings) -> gpt.Cover:
    intro = []
    if publication.is_synthetic:
        intro.append(SYNTHETIC_WARNING)
    intro += [
        "Aggregate statistics on group-based child sexual exploitation, drawn from linked "
        f"records of {agencies_phrase(publication.agencies)}. No figure relates to an "
        "identifiable person: small numbers are suppressed.",
        "This workbook has a contents sheet, a notes sheet, and one table on each other "
        "sheet. Notes are referred to as [note N] in titles and column headings.",
    ]
    period = settings.period or publication.period
    about = [
        f"Release date: {publication.release_date:%d %B %Y}",
        f"Next release: {settings.next_release}",
        f"Period covered: {period or 'see each table'}",
        f"Produced by: {settings.organisation}",
        f"Run id: {publication.run_id}",
        f"Code version: {publication.code_version}",
        "Symbols used in the tables: "
        + "; ".join(f"{k} {v}" for k, v in publication.symbols.items()),
        *[f"Caveat: {c}" for c in settings.caveats],
    ]
    contact = [f"Email: {settings.contact_email}"]
    return gpt.Cover(title=publication.title, intro=intro, about=about, contact=contact)


def write_workbook(
    path: Path, publication: Publication, plan: PublicationPlan, settings: PublishSettings
) -> Path:
    """Write the XLSX workbook and return its path."""
    sheets = {p.sheet: _gptable(p, publication) for p in plan.tables}
    notes_table = pd.DataFrame(
        {
            "Note number": [NoteBook.key(i + 1) for i in range(len(plan.notes.texts))],
            "Note text": plan.notes.texts,
        }
    )
    with warnings.catch_warnings():
        # gptables warns when a workbook has no notes; the report says so itself
        warnings.simplefilter("ignore", UserWarning)
        workbook = gpt.produce_workbook(
            filename=str(path),
            sheets=sheets,
            cover=_cover(publication, settings),
            notes_table=notes_table if plan.notes.texts else None,
            contentsheet_options={"additional_elements": ["subtitles"]},
            auto_width=True,
        )
    stamp = datetime.combine(publication.release_date, time(0, 0))
    workbook.set_properties(
        {
            "title": publication.title,
            "author": settings.organisation,
            "created": stamp,
            "comments": f"run {publication.run_id}; code {publication.code_version}",
        }
    )
    workbook.close()
    return path
