"""``gbo mapping schema`` and ``gbo mapping check``, end to end through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from gbo.cli import app
from tests.ingest.exports import police_row

runner = CliRunner()


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["mapping", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "gbo agency mapping file"


def test_check_reports_accepted_rejected_and_unknown_codes(
    police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police(
        [police_row("P1"), police_row("P2", role="Witness"), police_row("P3", sex="Zed")]
    )
    result = runner.invoke(
        app, ["mapping", "check", str(police_mapping), str(data), "--reference-date", "2025-01-01"]
    )
    assert result.exit_code == 0, result.output
    assert "3 rows read, 2 would be accepted, 1 rejected" in result.stdout
    assert "unknown_code" in result.stdout and "Witness" in result.stdout
    assert "Zed" in result.stdout


def test_check_fails_on_a_missing_column(
    police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    data = write_police([["P1"]], header=["PersonID"])
    result = runner.invoke(app, ["mapping", "check", str(police_mapping), str(data)])
    assert result.exit_code == 2
    assert "names column 'Forename'" in result.output


def test_check_names_a_translation_no_column_reads(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    typo = tmp_path / "police_typo.toml"
    typo.write_text(
        police_mapping.read_text().replace("[codes.role]", '[codes.sexx]\nM = "M"\n\n[codes.role]')
        + '\n[codes.is_online]\nY = "yes"\n',
        encoding="utf-8",
    )
    data = write_police([police_row("P1")])
    result = runner.invoke(app, ["mapping", "check", str(typo), str(data)])
    assert result.exit_code == 2
    # the console wraps long lines, anywhere in a long path: compare without white space
    output = "".join(result.output.split())

    def said(text: str) -> bool:
        return "".join(text.split()) in output

    assert said("police_typo.toml: invalid mapping file (2 problems)")
    assert said("codes.sexx: no mapped column reads this translation; did you mean 'sex'?")
    assert said("codes.is_online: is_online is a yes/no column, which reads no translation")


def test_an_error_message_keeps_its_square_brackets(
    tmp_path: Path, police_mapping: Path, write_police: Callable[..., Path]
) -> None:
    wrong = tmp_path / "police.toml"
    wrong.write_text(
        police_mapping.read_text().replace(
            'sex = "Sex"', 'sex = { column = "Sex", codes = "gender" }'
        )
    )
    result = runner.invoke(app, ["mapping", "check", str(wrong), str(write_police([]))])
    assert result.exit_code == 2
    assert "codes names 'gender', which is not in [codes]" in " ".join(result.output.split())
