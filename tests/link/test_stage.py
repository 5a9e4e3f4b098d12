"""The link stage on a small synthetic run: outputs, no identifiers, stable pseudonyms,
decisions applied on rerun, and linkage quality against the generator's ground truth."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gbo.config import RunConfig, load_config
from gbo.link.decisions import DECISION_COLUMNS
from gbo.link.settings import LinkSettings
from gbo.pipeline import run_pipeline
from gbo.schema.codes import ONS_GROUPS
from gbo.security import load_key_ring, read_encrypted_table
from gbo.stages import stage_folder_name
from gbo.synth import generate

pytestmark = pytest.mark.slow


def _config(out: Path, **link: object) -> tuple[RunConfig, Path]:
    path = out / "config.toml"
    config = load_config(path)
    truth = out / "ground_truth" / "person_records.parquet"
    settings = LinkSettings(ground_truth_file=truth, u_max_pairs=5e5, **link)
    return config.model_copy(update={"link": settings}), path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(size=1500, seed=21, out_dir=out)
    return out


@pytest.fixture(scope="module")
def key(synthetic: Path) -> str:
    from gbo.security.keys import make_throwaway_key

    return make_throwaway_key()


def _run(synthetic: Path, key: str, monkeypatch: pytest.MonkeyPatch, **link: object) -> Path:
    monkeypatch.setenv("GBO_VAULT_KEY", key)
    config, path = _config(synthetic, **link)
    return run_pipeline(config, config_path=path, resume=False, until="link")


def test_stage_writes_every_output_without_identifiers(
    synthetic: Path, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_dir = _run(synthetic, key, monkeypatch)
    folder = run_dir / stage_folder_name("link")
    for name in ("person_record_map.parquet", "person.parquet", "link_pair.parquet",
                 "review_queue.csv", "model.json", "linkage_quality.json",
                 "linkage_bias.parquet"):  # fmt: skip
        assert (folder / name).is_file(), name

    record_map = pq.read_table(folder / "person_record_map.parquet").to_pandas()
    records = pq.read_table(
        run_dir / stage_folder_name("vault") / "person_record.parquet"
    ).to_pandas()
    assert set(record_map["record_pid"]) == set(records["record_pid"])
    persons = pq.read_table(folder / "person.parquet").to_pandas()
    assert persons["n_records"].sum() == len(record_map)
    assert set(persons["person_pid"]) == set(record_map["person_pid"])

    identity = read_encrypted_table(
        load_key_ring(), run_dir / stage_folder_name("vault") / "identity.parquet.enc"
    ).to_pandas()
    secrets = set(identity["family_name"].dropna().str.upper()) | set(identity["local_id"].dropna())
    vocabulary = {w.upper() for label in ONS_GROUPS.values() for w in re.findall(r"\w+", label)}
    secrets = {s.upper() for s in secrets if len(s) >= 5} - vocabulary
    for path in folder.iterdir():
        if path.suffix == ".parquet":
            text = pq.read_table(path).to_pandas().to_csv().upper()
        else:
            text = path.read_text(encoding="utf-8").upper()
        words = set(re.findall(r"[A-Z0-9'\-]+", text))
        leaked = sorted(secrets & words)
        assert not leaked, f"{path.name} holds identifiers"

    quality = json.loads((folder / "linkage_quality.json").read_text())
    cluster = quality["ground_truth"]["cluster"]
    assert cluster["precision"] >= 0.99 and cluster["recall"] >= 0.9
    bias = pq.read_table(folder / "linkage_bias.parquet").to_pandas()
    assert {"sex", "ethnicity_group", "age_band"} <= set(bias["dimension"])
    assert "Not recorded" in set(bias.loc[bias["dimension"] == "ethnicity_group", "group"])

    # Same inputs and key, a new run folder: the same person pseudonyms.
    again = _run(synthetic, key, monkeypatch)
    second = pq.read_table(
        again / stage_folder_name("link") / "person_record_map.parquet"
    ).to_pandas()
    merged = record_map.merge(second, on="record_pid", suffixes=("", "_again"))
    assert (merged["person_pid"] == merged["person_pid_again"]).all()


def test_decisions_are_applied_on_rerun(
    synthetic: Path, key: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run_dir = _run(synthetic, key, monkeypatch)
    pairs = pq.read_table(run_dir / stage_folder_name("link") / "link_pair.parquet").to_pandas()
    linked = pairs[pairs["is_linked"]].iloc[0]
    apart = pairs[~pairs["is_linked"]].sort_values("match_probability").iloc[0]
    store = tmp_path / "decisions.csv"
    pd.DataFrame(
        [
            [linked["record_pid_l"], linked["record_pid_r"], "non_match", "tester", "2026-01-01"],
            [apart["record_pid_l"], apart["record_pid_r"], "match", "tester", "2026-01-01"],
        ],
        columns=DECISION_COLUMNS,
    ).to_csv(store, index=False)
    rerun = _run(synthetic, key, monkeypatch, decisions_file=store)
    record_map = pq.read_table(
        rerun / stage_folder_name("link") / "person_record_map.parquet"
    ).to_pandas()
    person = record_map.set_index("record_pid")["person_pid"]
    assert person[apart["record_pid_l"]] == person[apart["record_pid_r"]]
    quality = json.loads((rerun / stage_folder_name("link") / "linkage_quality.json").read_text())
    assert quality["n_decisions"] == 2 and quality["n_links_from_review"] == 1
    queue = pd.read_csv(rerun / stage_folder_name("link") / "review_queue.csv")
    decided = {(linked["record_pid_l"], linked["record_pid_r"])}
    assert not decided & set(zip(queue["record_pid_l"], queue["record_pid_r"], strict=True))
