"""RunFolder reads a run by stage and table name; RunContext gives a stage only the settings
it declares, so a setting it reads always counts in its fingerprint."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from gbo.config import RunConfig
from gbo.errors import RunFolderError, UndeclaredSettingError, VaultError
from gbo.pipeline import InputHashes, _fingerprint
from gbo.runfolder import RunContext, RunFolder, file_sha256
from gbo.security import KeyRing
from gbo.stages import stage


def _context(run_dir: Path, name: str, config: RunConfig | None = None) -> RunContext:
    return RunContext(run_dir=run_dir, config=config or RunConfig(), stage=name)


def _finish(ctx: RunContext) -> None:
    ctx.stage_dir.rename(ctx.run_dir / stage(ctx.stage).folder)


def test_a_stage_reads_only_the_settings_it_declares(tmp_path: Path) -> None:
    config = RunConfig.model_validate({"run": {"is_synthetic": True}})
    quality = _context(tmp_path, "quality", config)
    assert quality.config.run.is_synthetic is True
    with pytest.raises(UndeclaredSettingError, match="'quality' read setting 'run.title'"):
        _ = quality.config.run.title
    with pytest.raises(UndeclaredSettingError, match="'disclosure'.*it declares run.is_synthetic"):
        _ = quality.config.disclosure.threshold
    publish = _context(tmp_path, "publish", config)
    assert publish.config.run.title == config.run.title
    assert publish.config.publish == config.publish
    with pytest.raises(UndeclaredSettingError, match="add the setting to the stage"):
        _ = publish.config.disclosure


def test_a_declared_setting_changes_the_stage_fingerprint_and_another_does_not() -> None:
    threshold = RunConfig.model_validate({"disclosure": {"threshold": 11}})
    groups = RunConfig.model_validate({"groups": {"sensitivity": False}})
    disclosure = stage("disclosure")
    base = _fingerprint(disclosure, RunConfig(), "prev", [], "key")
    assert _fingerprint(disclosure, threshold, "prev", [], "key") != base
    assert _fingerprint(disclosure, groups, "prev", [], "key") == base
    quality = stage("quality")
    synthetic = RunConfig.model_validate({"run": {"is_synthetic": True}})
    base = _fingerprint(quality, RunConfig(), "prev", [], "key")
    assert _fingerprint(quality, synthetic, "prev", [], "key") != base
    assert _fingerprint(quality, threshold, "prev", [], "key") == base


def test_run_folder_reads_tables_by_stage_and_declared_name(tmp_path: Path, keys: KeyRing) -> None:
    link = RunContext(run_dir=tmp_path, config=RunConfig(), stage="link", key_loader=lambda: keys)
    link.write_table("person", pa.table({"person_pid": ["per_1"], "sex": ["F"]}))
    link.write_json("linkage_quality.json", {"pairs": 3})
    _finish(link)
    run = RunFolder(tmp_path)
    assert [s.name for s in run.stages()] == ["link"]
    assert run.table("link", "person").column("person_pid").to_pylist() == ["per_1"]
    assert run.read_json("link", "linkage_quality.json") == {"pairs": 3}
    assert run.has_table("link", "person") and not run.has_table("link", "link_pair")
    assert run.stage_dir("link") == tmp_path / stage("link").folder
    with pytest.raises(RunFolderError, match="declares no table 'persons'"):
        run.table("link", "persons")
    with pytest.raises(RunFolderError, match="stage 'groups' has not been run"):
        run.table("groups", "group")
    with pytest.raises(RunFolderError, match="is a vault file"):
        run.table("vault", "identity")
    with pytest.raises(RunFolderError, match="no such run folder"):
        RunFolder(tmp_path / "absent")


def test_a_later_stage_reads_through_its_context_and_records_its_outputs(
    tmp_path: Path, keys: KeyRing
) -> None:
    vault = RunContext(run_dir=tmp_path, config=RunConfig(), stage="vault", key_loader=lambda: keys)
    vault.write_vault_table("identity", pa.table({"record_pid": ["rec_1"]}))
    _finish(vault)
    link = RunContext(run_dir=tmp_path, config=RunConfig(), stage="link", key_loader=lambda: keys)
    assert link.read_vault_table("vault", "identity").num_rows == 1
    assert RunFolder(tmp_path).vault_table("vault", "identity", keys).num_rows == 1
    assert [o.path for o in vault.outputs] == [f"{stage('vault').folder}/identity.parquet.enc"]
    assert vault.outputs[0].encrypted and vault.outputs[0].personal_data


def test_an_external_input_is_hashed_once_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "export.csv"
    export.write_text("id,name\n1,A\n")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    ingest = stage("ingest")
    first = _fingerprint(ingest, RunConfig(), "", [export], "key", InputHashes(run_dir))
    InputHashes(run_dir).save()  # nothing new: the file is not rewritten
    hashes = InputHashes(run_dir)
    hashes.sha256(export)
    hashes.save()
    read: list[Path] = []

    def counting(path: Path) -> str:
        read.append(path)
        return file_sha256(path)

    monkeypatch.setattr("gbo.pipeline.file_sha256", counting)
    again = _fingerprint(ingest, RunConfig(), "", [export], "key", InputHashes(run_dir))
    assert again == first and read == []  # taken from the run folder, not read again
    export.write_text("id,name\n1,B\n")  # same size: seen by its times
    changed = _fingerprint(ingest, RunConfig(), "", [export], "key", InputHashes(run_dir))
    assert changed != first and read == [export]
    assert changed == _fingerprint(ingest, RunConfig(), "", [export], "key")


def test_a_vault_table_reads_with_a_key_file_or_the_key_text(
    tmp_path: Path, keys: KeyRing, vault_key: str
) -> None:
    """The key as a notebook user has it: the file `gbo vault new-key` wrote, or its text;
    anything else is a GboError that says what to pass, not a raw AttributeError."""
    run_dir = tmp_path / "run"
    vault = RunContext(run_dir=run_dir, config=RunConfig(), stage="vault", key_loader=lambda: keys)
    vault.write_vault_table("identity", pa.table({"record_pid": ["rec_1"]}))
    _finish(vault)
    key_file = tmp_path / "gbo.key"
    key_file.write_text(vault_key, encoding="ascii")
    run = RunFolder(run_dir)
    for given in (key_file, str(key_file), vault_key):
        assert run.vault_table("vault", "identity", given).num_rows == 1
    with pytest.raises(VaultError, match="key ring, a key file's path or the key's text"):
        run.vault_table("vault", "identity", 42)  # type: ignore[arg-type]
    inside = run_dir / "gbo.key"
    inside.write_text(vault_key, encoding="ascii")
    with pytest.raises(VaultError, match="inside the run folder"):
        run.vault_table("vault", "identity", inside)


def test_a_warning_is_shown_as_written_brackets_and_all(tmp_path: Path) -> None:
    from rich.console import Console

    from gbo.cli_support import RichProgress

    console = Console(record=True, width=200)
    ctx = RunContext(
        run_dir=tmp_path, config=RunConfig(), stage="ingest", progress=RichProgress(console)
    )
    ctx.warn("police.csv: codes names 'gender', which is not in [codes]")
    assert ctx.warnings == ["police.csv: codes names 'gender', which is not in [codes]"]
    shown = console.export_text()
    assert "warning police.csv: codes names 'gender', which is not in [codes]" in shown
