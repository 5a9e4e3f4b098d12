"""The stage registry: order, folders, declared settings and tables."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gbo.config import RunConfig
from gbo.errors import RunFolderError
from gbo.pipeline import STAGES as PIPELINE_STAGES
from gbo.stages import STAGE_NAMES, STAGES, stage, stage_folder_name


def test_stages_are_numbered_by_their_place_and_name_their_folders() -> None:
    assert PIPELINE_STAGES is STAGES
    assert [s.number for s in STAGES] == list(range(1, len(STAGES) + 1))
    assert stage_folder_name("ingest") == "01_ingest"
    assert [s.folder for s in STAGES] == [f"{i:02d}_{n}" for i, n in enumerate(STAGE_NAMES, 1)]
    assert stage("link").partial_folder == f".{stage('link').folder}.partial"
    with pytest.raises(RunFolderError, match="no stage called 'nope'; stages are ingest"):
        stage("nope")


def test_every_declared_setting_exists_in_the_run_config() -> None:
    config = RunConfig()
    for spec in STAGES:
        for path in spec.config_sections:
            value: object = config
            for part in path.split("."):
                assert hasattr(value, part), f"{spec.name} declares {path}, which is no setting"
                value = getattr(value, part)
            assert config.section_hash(path)


def test_only_disclosure_reads_the_threshold_of_the_published_quality_page() -> None:
    # the quality stage writes the page's figures; the disclosure stage controls them
    assert not stage("quality").reads_setting("disclosure.threshold")
    assert stage("disclosure").reads_setting("disclosure.threshold")
    assert stage("publish").reads_setting("run.title")


def test_tables_are_declared_once_with_their_columns() -> None:
    person = stage("link").table("person")
    assert person.file_name == "person.parquet"
    assert str(person.column_type("birth_year")) == "int64"
    assert stage("vault").table("identity").file_name == "identity.parquet.enc"
    assert person.missing_columns({"person_pid", "sex"})[:2] == ["n_records", "birth_year"]
    with pytest.raises(RunFolderError, match="declares no table 'nope'; it declares"):
        stage("groups").table("nope")
    for spec in STAGES:
        names = [t.name for t in spec.tables]
        assert len(names) == len(set(names)), spec.name


def test_the_columns_later_stages_read_are_declared_by_the_stage_that_writes_them() -> None:
    from gbo.groups.inputs import REQUIRED_COLUMNS
    from gbo.profile.sources import INPUTS

    wanted = [(st, table, cols) for (st, table), cols in REQUIRED_COLUMNS.items()]
    wanted += [(st, table, cols) for st, table, cols in INPUTS.values()]
    for st, table, cols in wanted:
        declared = stage(st).table(table).columns
        assert [c for c in cols if c not in declared] == [], (st, table)


ROOT = Path(__file__).resolve().parents[1]
REGISTRY_AND_ITS_TEST = {ROOT / "src" / "gbo" / "stages.py", Path(__file__).resolve()}
FOLDER_NUMBER = re.compile(r"\b0[0-9]_(" + "|".join(STAGE_NAMES) + r")\b")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_string_in_the_code_spells_a_stage_folder_number() -> None:
    """Folder numbers come from the registry; prose (docstrings, comments) may name them."""
    found = []
    for folder in ("src", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path in REGISTRY_AND_ITS_TEST or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            prose = _docstrings(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in prose
                    and FOLDER_NUMBER.search(node.value)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
