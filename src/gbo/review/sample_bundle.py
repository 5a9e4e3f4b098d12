"""A small synthetic release bundle that follows the contract of docs/run-folder.md.

The demo uses it when no pipeline run has made a bundle yet, and the tests build their
bundles (good and crafted) from it. Every figure in it is made up.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gbo.bundle.bundle_json import BundleFile, BundleManifest
from gbo.bundle.format import BUNDLE_JSON, BUNDLE_NAME, REPORT_PATH

SAMPLE_TITLE = "Group-based exploitation: synthetic statistics"
SECTIONS: list[tuple[str, str, list[tuple[str, str, list[tuple[str, int]]]]]] = [
    (
        "scale",
        "Scale of recorded group-based exploitation",
        [
            (
                "offences_year",
                "Recorded offences with a CSE flag, by year",
                [("2021", 41), ("2022", 47), ("2023", 52), ("Not recorded", 3)],
            ),
        ],
    ),
    (
        "offenders",
        "Offenders",
        [
            (
                "offenders_sex",
                "Offenders by sex",
                [("Male", 118), ("Female", 9), ("Not recorded", 6)],
            ),
            (
                "offenders_age",
                "Offenders by age band at first offence",
                [
                    ("Under 18", 14),
                    ("18 to 24", 39),
                    ("25 to 39", 57),
                    ("40 and over", 17),
                    ("Not recorded", 6),
                ],
            ),
        ],
    ),
    (
        "victims",
        "Victims",
        [
            (
                "victims_age",
                "Victims by age band at first identification",
                [("Under 13", 11), ("13 to 15", 64), ("16 to 17", 38), ("Not recorded", 5)],
            ),
        ],
    ),
    (
        "journeys",
        "Time known to agencies before identification",
        [
            (
                "journeys_time",
                "Time from first agency contact to identification",
                [
                    ("Under 6 months", 22),
                    ("6 to 12 months", 31),
                    ("1 to 2 years", 40),
                    ("Over 2 years", 19),
                    ("Not recorded", 6),
                ],
            ),
        ],
    ),
]


def _table_html(table_id: str, title: str, rows: list[tuple[str, int]]) -> str:
    body = "".join(
        f'<tr><th scope="row">{label}</th><td>{count}</td></tr>' for label, count in rows
    )
    return (
        f'<table data-table-id="{table_id}"><caption>{title}</caption>'
        '<thead><tr><th scope="col">Category</th><th scope="col">Number</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


WIDE_COLUMNS = 18


def _wide_table() -> str:
    """A table wider than the reading column, as many of a real report's are."""
    years = [str(2006 + i) for i in range(WIDE_COLUMNS)]
    head = "".join(f'<th scope="col">Offences recorded in {y}</th>' for y in years)
    cells = "".join(f"<td>{10 + i}</td>" for i in range(WIDE_COLUMNS))
    return (
        '<table data-table-id="scale_by_year"><caption>Recorded offences by year, '
        f'{years[0]} to {years[-1]}</caption><thead><tr><th scope="col">Measure</th>{head}'
        f'</tr></thead><tbody><tr><th scope="row">Offences</th>{cells}</tr></tbody></table>'
    )


def _chart_svg(rows: list[tuple[str, int]]) -> str:
    bars = "".join(
        f'<rect x="{10 + i * 40}" y="{120 - n}" width="30" height="{n}" fill="#1d70b8"/>'
        for i, (_, n) in enumerate(rows)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="220" height="130">{bars}</svg>'


def sample_report(revision: int = 0) -> tuple[str, dict[str, bytes]]:
    """The report's HTML and its other files (CSV per table, one chart) for a revision."""
    files: dict[str, bytes] = {}
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Group-based exploitation: synthetic statistics</title></head><body>",
        "<h1>Group-based exploitation: synthetic statistics</h1>",
    ]
    for section_id, heading, tables in SECTIONS:
        if section_id == "offenders":  # a part that only holds sections, each with its h2
            parts.append('<section id="characteristics" aria-label="Characteristics">')
        parts.append(f'<section id="{section_id}"><h2>{heading}</h2>')
        parts.append("<p>Synthetic figures made for testing the review app.</p>")
        for table_id, title, rows in tables:
            if revision and table_id == "offenders_age":
                rows = [(label, n + revision) for label, n in rows]
            parts.append(_table_html(table_id, title, rows))
            csv = "category,count\n" + "".join(f"{label},{n}\n" for label, n in rows)
            files[f"csv/{table_id}.csv"] = csv.encode("utf-8")
        if section_id == "scale":
            files["charts/offences_year.svg"] = _chart_svg(tables[0][2]).encode("utf-8")
            parts.append(
                '<figure><img src="../charts/offences_year.svg" alt="Bar chart of recorded '
                'offences by year; the figures are in the table above.">'
                "<figcaption>Recorded offences by year</figcaption></figure>"
            )
            parts.append(_wide_table())
        if revision and section_id == "offenders":
            parts.append(f"<p>Revision {revision}: age bands recounted after review.</p>")
        parts.append("</section>")
        if section_id == "victims":
            parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts), files


def write_bundle(
    files: Mapping[str, bytes],
    *,
    title: str = SAMPLE_TITLE,
    run_id: str = "sample-run",
    manifest_overrides: Mapping[str, Any] | None = None,
    extra_members: Mapping[str, bytes] | None = None,
) -> bytes:
    """A zip of ``files`` with a correct ``bundle.json`` (overrides make it wrong on purpose)."""
    listed = [
        BundleFile(path=path, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
        for path, data in sorted(files.items())
    ]
    manifest = BundleManifest.describe(
        listed,
        run_id=run_id,
        code_version="0.1.0",
        created="2026-01-01T00:00:00+00:00",
        title=title,
        is_synthetic=True,
    ).to_json()
    manifest.update(manifest_overrides or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(BUNDLE_JSON, json.dumps(manifest, indent=2))
        for path, data in sorted(files.items()):
            zf.writestr(path, data)
        for path, data in (extra_members or {}).items():
            zf.writestr(path, data)
    return out.getvalue()


def sample_files(revision: int = 0) -> dict[str, bytes]:
    html, files = sample_report(revision)
    return {REPORT_PATH: html.encode("utf-8"), **files}


def build_sample_bundle(revision: int = 0, run_id: str = "sample-run") -> bytes:
    """The synthetic bundle, zipped by the publish stage's own bundle writer.

    Each revision changes one table, so its content hash differs.
    """
    from gbo.publish.bundle import build_bundle

    files = sample_files(revision)
    with tempfile.TemporaryDirectory(prefix="gbo-sample-bundle-") as tmp:
        folder = Path(tmp)
        for path, data in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        build_bundle(
            folder,
            sorted(files),
            run_id=f"{run_id}-r{revision}",
            code_version="0.1.0",
            created="2026-01-01T00:00:00+00:00",
            title=SAMPLE_TITLE,
            is_synthetic=True,
        )
        return (folder / BUNDLE_NAME).read_bytes()
