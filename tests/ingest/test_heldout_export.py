"""A held-out export mapped the way the docs tell a newcomer to: ``gbo mapping draft``, the
reviewed edits the draft asks for (and nothing else), ``gbo mapping check``, then the run.

Done when every planted problem is accounted for, no good row is rejected, and a mapping
that lists the four-digit year first reads 06.06.04 (or 06/06/04) as 2004.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.cli_support import out
from gbo.config import RunConfig, RunSettings
from gbo.ingest.ingest_run import ingest_sources
from gbo.ingest.settings import IngestSettings, SourceSettings
from gbo.pipeline import run_pipeline
from gbo.security import KeyRing
from gbo.stages import stage_folder_name
from tests.ingest.exports import assert_reconciled
from tests.ingest.heldout_export import REFERENCE_DATE, Planted, write_export

runner = CliRunner()
PLANTED = Planted()


def _cli(*args: str) -> str:
    # the mapping check's tables wrap their cells in a narrow console, and the console may
    # have taken its width from the environment when it was made: set it for this call only
    previous = out._width
    out._width = 200
    try:
        result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    finally:
        out._width = previous
    assert result.exit_code == 0, result.output
    return result.stdout


def _check(mapping: Path, export: Path) -> str:
    return _cli("mapping", "check", str(mapping), str(export), "--reference-date",
                str(REFERENCE_DATE))  # fmt: skip


@pytest.mark.parametrize("separator", [".", "/"])
def test_draft_check_run(tmp_path: Path, separator: str, keys: KeyRing) -> None:
    export = write_export(tmp_path, separator)
    mapping = tmp_path / "force.toml"
    _cli("mapping", "draft", str(export), "-o", str(mapping), "--agency", "police")
    text = mapping.read_text(encoding="utf-8")
    drafted = tomllib.loads(text)

    # How to read the file, found from the file alone.
    assert drafted["encoding"] in {"cp1252", "latin-1", "iso-8859-1"}
    assert drafted["delimiter"] == ";"
    assert drafted["header_row"] == 3
    s = separator
    assert drafted["date_formats"] == [f"%d{s}%m{s}%Y", f"%d{s}%m{s}%y"]
    assert drafted["crosswalks"] == {"ho_offence_code": "home_office_offences"}
    # Class/subclass numbers however written, translated by meaning (019/16 is a rape of a
    # female child under 13: gbo's 19D, the Home Office's 19E).
    assert drafted["codes"]["ho_offence_code"] == {
        "019/16": "19D", "01916": "19D", "19/7": "19C", "022/06": "22B", "086/10": "86",
    }  # fmt: skip
    assert '# "019/08" = ""' in text and "victim aged 16 or over" in text
    assert '# "Witness" = ""' in text and '# "informant" = ""' in text
    assert {code.upper() for code in drafted["codes"]["role"]} == {"VICTIM", "SUSPECT"}

    # Before review the check names every value to decide on.
    before = _check(mapping, export)
    for value in ("019/08", "Witness", "informant"):
        assert value in before
    # Not the closest code by spelling (019/08 is no 19D): why the crosswalk has none.
    assert "none: Home Office 019/08, victim aged 16 or over" in before

    # The reviewed edits: take up the draft's exclude lines, nothing more.
    mapping.write_text(text.replace("# exclude = {", "exclude = {"), encoding="utf-8")
    after = _check(mapping, export)
    assert "11 rows read, 6 would be accepted, 2 rejected, 3 left out by the mapping" in after

    run = ingest_sources(
        [SourceSettings(agency="police", path=export, mapping=mapping)],
        IngestSettings(reference_date=REFERENCE_DATE),
    )
    assert_reconciled(run)
    rejected = {(r["source_row"], r["rule"]) for r in run.output.rejected_row.to_pylist()}
    assert rejected == set(PLANTED.rejected)
    people = {p["local_id"]: p for p in run.output.tables["person_record"].to_pylist()}
    lines = {p["source_row"] for p in people.values()}
    assert lines == PLANTED.good  # no good row rejected, none of the left-out rows kept
    assert not lines & PLANTED.left_out
    (record,) = run.files
    assert (record.rows_read, record.rows_accepted) == (11, 6)
    assert (record.rows_rejected, record.rows_left_out) == (2, 3)
    blank = [f for f in run.output.findings.to_pylist() if f["rule"] == "blank_lines"]
    assert len(blank) == 1 and blank[0]["detail"].endswith(
        ", ".join(str(n) for n in PLANTED.blank_lines)
    )

    # Two-digit years: the four-digit format is tried first, dates of birth never in the
    # future, offence dates never after the extract.
    assert people["N102"]["dob"] == date(2004, 6, 6)
    assert people["N101"]["dob"] == date(1968, 1, 17)
    assert people["N105"]["dob"] == date(2005, 5, 5)
    assert people["N109"]["dob"] == date(1992, 12, 12)
    assert people["N100"]["dob"] == date(2008, 3, 14)
    offences = {o["crime_ref"]: o for o in run.output.tables["offence"].to_pylist()}
    assert offences["CR4"]["first_date"] == date(2025, 2, 1)
    assert {k: o["ho_offence_code"] for k, o in offences.items()} == {
        "CR1": "19D", "CR2": "19C", "CR4": "22B", "CR6": "86",
    }  # fmt: skip
    # Latin-1 names, a quoted delimiter, codes in any case, "Not Known" as not recorded.
    assert (people["N100"]["given_name"], people["N102"]["given_name"]) == ("Zoë", "Anaïs")
    assert people["N102"]["address"] == "Flat 2; Dock Road"
    assert {p["sex"] for p in people.values()} == {"F", "M", None}
    assert people["N105"]["sex"] is None
    roles = {i["role"] for i in run.output.tables["involvement"].to_pylist()}
    assert roles == {"VICTIM", "SUSPECT"}

    # The run: the same mapping through the pipeline's ingest stage.
    config = RunConfig(
        run=RunSettings(runs_dir=tmp_path / "runs", is_synthetic=True),
        sources=[SourceSettings(agency="police", path=export, mapping=mapping)],
        ingest=IngestSettings(reference_date=REFERENCE_DATE),
    )
    run_dir = run_pipeline(config, until="ingest")
    files = pq.read_table(run_dir / stage_folder_name("ingest") / "source_file.parquet")
    assert [
        (f["rows_read"], f["rows_accepted"], f["rows_rejected"], f["rows_left_out"])
        for f in files.to_pylist()
    ] == [(11, 6, 2, 3)]
