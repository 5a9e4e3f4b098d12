from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gbo.disclosure.quality_page import controlled_page
from gbo.disclosure.settings import DisclosureSettings
from gbo.link.reliability import TRAINED, Reliability
from gbo.quality import stage as quality
from gbo.quality.completeness import measure_completeness
from gbo.quality.page import render_quality_page
from gbo.schema.tables import DATA_QUALITY_FINDING, REJECTED_ROW, SOURCE_FILE
from gbo.security import KeyRing
from gbo.stages import stage_folder_name
from gbo.vault import stage as vault
from tests.canonical_factory import context, write_ingest_outputs


def _ingest_reports(folder: Path) -> None:
    files = [
        {
            "agency": "police",
            "source_file": "police.csv",
            "format": "csv",
            "encoding": "cp1252",
            "sha256": "0" * 64,
            "rows_read": 10,
            "rows_accepted": 8,
            "rows_rejected": 2,
            "error": None,
        },
        {
            "agency": "health",
            "source_file": "health.xlsx",
            "format": "xlsx",
            "encoding": None,
            "sha256": "1" * 64,
            "rows_read": 0,
            "rows_accepted": 0,
            "rows_rejected": 0,
            "error": "the file is not a complete XLSX workbook (truncated?)",
        },
    ]
    rejected = [
        {
            "agency": "police",
            "source_file": "police.csv",
            "sheet": None,
            "source_row": r,
            "column": "DOB",
            "rule": "impossible_date",
            "reason": "31/02 is not a date",
        }
        for r in (3, 7)
    ]
    findings = [
        {
            "agency": "police",
            "source_file": "police.csv",
            "table": "person_record",
            "column": "ethnicity_self",
            "source_row": r,
            "rule": "unmapped_code",
            "severity": "warning",
            "detail": "ZQ",
        }
        for r in (1, 2, 5)
    ]
    pq.write_table(
        pa.Table.from_pylist(files, schema=SOURCE_FILE.schema), folder / "source_file.parquet"
    )
    pq.write_table(
        pa.Table.from_pylist(rejected, schema=REJECTED_ROW.schema), folder / "rejected_row.parquet"
    )
    pq.write_table(
        pa.Table.from_pylist(findings, schema=DATA_QUALITY_FINDING.schema),
        folder / "data_quality_finding.parquet",
    )


def _prepare(run: Path, keys: KeyRing) -> None:
    write_ingest_outputs(run, keys)
    _ingest_reports(run / stage_folder_name("ingest"))
    ctx = context(run, keys, "vault")
    vault.run(ctx)
    ctx.stage_dir.rename(run / stage_folder_name("vault"))


def test_quality_page_shows_reconciliation_quarantine_and_unmapped_codes(
    tmp_path: Path, keys: KeyRing
) -> None:
    _prepare(tmp_path, keys)
    ctx = context(tmp_path, keys, "quality")
    result = quality.run(ctx)
    html = (ctx.stage_dir / "data_quality.html").read_text()
    assert "impossible_date" in html
    # the sentence reconciles as the table does, rows left out by the mapping included
    assert "rows read = rows accepted + rows quarantined + rows left out by the mapping" in html
    assert "ZQ" in html and '<td class="num">3</td>' in html
    assert "truncated" in html
    assert "The link stage has not reported linkage quality" in html
    assert result.metrics["files_unreadable"] == 1
    assert result.metrics["rows_rejected"] == 2
    assert result.warnings == []
    # the published copy is made by the disclosure stage from the page's figures
    figures = json.loads((ctx.stage_dir / "data_quality_page.json").read_text())
    page, control = controlled_page(figures, DisclosureSettings())
    assert control is not None and control.audit.passed
    published = render_quality_page(**page)
    assert "ZQ" in published and '<td class="num">3</td>' not in published
    assert '<td class="num">[c]</td>' in published and "shown as [c]" in published


def test_linkage_quality_is_shown_when_the_link_stage_wrote_it(
    tmp_path: Path, keys: KeyRing
) -> None:
    _prepare(tmp_path, keys)
    link = tmp_path / stage_folder_name("link")
    link.mkdir()
    # The sex guards abstain (EM's 5% share, too few anchor pairs): the page says so.
    guards = Reliability(0.004, 0.05, 0.02, 0.001, {"sex": {"measured_from": TRAINED}})
    (link / "linkage_quality.json").write_text(
        json.dumps({"pairwise_precision": 0.998, "conflict_guards": guards.as_dict()})
    )
    pq.write_table(
        pa.table({"subgroup": ["sex: F"], "match_rate": [0.41]}), link / "linkage_bias.parquet"
    )
    ctx = context(tmp_path, keys, "quality")
    quality.run(ctx)
    html = (ctx.stage_dir / "data_quality.html").read_text()
    assert "pairwise precision" in html and "0.998" in html
    assert "sex: F" in html and "0.410" in html
    sex_row = next(row for row in html.split("<tr>") if row.startswith("<td>Sex conflicts"))
    assert "No: left to the model" in sex_row and "5.0%" in sex_row and TRAINED in sex_row


def test_completeness_counts_recorded_values_per_agency(tmp_path: Path, keys: KeyRing) -> None:
    _prepare(tmp_path, keys)
    people = pq.read_table(tmp_path / stage_folder_name("vault") / "person_record.parquet")
    rows = {
        (r["agency"], r["field"]): r
        for r in measure_completeness({"person_record": people}).to_pylist()
    }
    police = [p for p in people.to_pylist() if p["agency"] == "police"]
    expected = sum(p["ethnicity_self"] is not None for p in police)
    assert rows[("police", "ethnicity_self")]["n_recorded"] == expected
    assert rows[("police", "ethnicity_self")]["n"] == len(police)
    assert rows[("social_care", "sex")]["share_recorded"] == 1.0
    assert ("police", "record_pid") not in rows


def test_invalid_nhs_numbers_are_counted_without_their_values(
    tmp_path: Path, keys: KeyRing
) -> None:
    _prepare(tmp_path, keys)
    findings = [
        {
            "agency": "health",
            "source_file": "health.csv",
            "table": "person_record",
            "column": "nhs_number",
            "source_row": r,
            "rule": "invalid_nhs_number",
            "severity": "warning",
            "detail": detail,
        }
        for r, detail in ((1, "check digit fails"), (4, "check digit fails"), (9, "not ten digits"))
    ]
    pq.write_table(
        pa.Table.from_pylist(findings, schema=DATA_QUALITY_FINDING.schema),
        tmp_path / stage_folder_name("ingest") / "data_quality_finding.parquet",
    )
    ctx = context(tmp_path, keys, "quality")
    quality.run(ctx)
    html = (ctx.stage_dir / "data_quality.html").read_text()
    assert (
        "<td>health</td><td>person_record</td><td>nhs_number</td><td>invalid_nhs_number</td>\n"
        '<td>warning</td><td class="num">3</td>'
    ) in html


def test_counts_on_the_quality_page_carry_thousands_separators() -> None:
    """A bare count in a cell could read as somebody's serial number to the leak audit."""
    row = {"agency": "police", "file": "p.csv", "format": "csv", "reconciles": True,
           "rows_read": 11732111, "rows_accepted": np.int64(11690254), "rows_rejected": 41857,
           "rows_left_out": 0}  # fmt: skip
    html = render_quality_page(files=[row])
    assert '<td class="num">11,732,111</td>' in html and "11,690,254" in html
    assert "41,857" in html and "11732111" not in html


def test_rows_quarantined_by_a_rule_are_counted_sheet_by_sheet(
    tmp_path: Path, keys: KeyRing
) -> None:
    """Each sheet of a workbook numbers its rows from the top: row 4 of two sheets is two
    rows (counted as one, the rules of a file covered fewer rows than it quarantined)."""
    _prepare(tmp_path, keys)
    problems = [("Children", 4, "Ref"), ("Contacts", 4, "Ref"), ("Contacts", 4, "Case ref")]
    rejected = [
        {
            "agency": "social_care",
            "source_file": "care.xlsx",
            "sheet": sheet,
            "source_row": row,
            "column": column,
            "rule": "unknown_reference",
            "reason": "no such record",
        }
        for sheet, row, column in problems
    ]
    pq.write_table(
        pa.Table.from_pylist(rejected, schema=REJECTED_ROW.schema),
        tmp_path / stage_folder_name("ingest") / "rejected_row.parquet",
    )
    ctx = context(tmp_path, keys, "quality")
    quality.run(ctx)
    figures = json.loads((ctx.stage_dir / "data_quality_page.json").read_text())
    (rule,) = figures["rejected_by_rule"]
    assert (rule["source_file"], rule["n_problems"], rule["n_rows"]) == ("care.xlsx", 3, 2)
