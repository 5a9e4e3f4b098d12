"""The stage registry: order, folders, declared settings and tables."""

from __future__ import annotations

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


def test_the_quality_stage_declares_the_threshold_its_published_page_uses() -> None:
    quality = stage("quality")
    assert quality.reads_setting("disclosure.threshold")
    assert not quality.reads_setting("disclosure.rounding")
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
