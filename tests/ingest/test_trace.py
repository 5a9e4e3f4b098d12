"""``gbo trace``: a source row to its pseudonyms, person and link waterfalls; writes nothing."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.config import load_config
from gbo.ingest.trace import (
    Lookup,
    TraceError,
    find_by_pseudonym,
    find_record,
    waterfall,
    with_adjustments,
)
from gbo.link.settings import LinkSettings
from gbo.pipeline import run_pipeline
from gbo.security import load_key_ring, pseudonymise
from gbo.stages import stage_folder_name

MODEL = {
    "probability_two_random_records_match": 0.001,
    "comparisons": [
        {
            "output_column_name": "surname",
            "comparison_levels": [
                {"is_null_level": True, "label_for_charts": "null"},
                {"label_for_charts": "exact", "m_probability": 0.9, "u_probability": 0.01},
                {"label_for_charts": "else", "m_probability": 0.1, "u_probability": 0.99},
            ],
        },
        {
            "output_column_name": "dob",
            "comparison_levels": [
                {"is_null_level": True, "label_for_charts": "null"},
                {"label_for_charts": "exact", "m_probability": 0.8, "u_probability": 0.002},
                {"label_for_charts": "else", "m_probability": 0.2, "u_probability": 0.998},
            ],
        },
    ],
}


def test_waterfall_adds_the_prior_and_each_level_weight() -> None:
    pair = pd.Series({"gamma_surname": 1, "gamma_dob": -1})
    steps = waterfall(MODEL, pair)
    assert [(s.comparison, s.level) for s in steps] == [
        ("prior", ""),
        ("surname", "exact"),
        ("dob", "null (no evidence)"),
    ]
    assert steps[0].match_weight == pytest.approx(math.log2(0.001 / 0.999))
    assert steps[1].match_weight == pytest.approx(math.log2(90))
    total = sum(s.match_weight for s in steps)
    adjusted = with_adjustments(steps, total + 1.5)
    assert adjusted[-1].comparison == "adjustments"
    assert sum(s.match_weight for s in adjusted) == pytest.approx(total + 1.5)
    assert with_adjustments(steps, total) == steps


def test_find_record_names_what_is_missing() -> None:
    people = pd.DataFrame(
        {"source_file": ["a.csv"], "source_row": [2], "local_id": ["P1"], "record_pid": ["r"]}
    )
    assert find_record(people, "a.csv", 2, None)["local_id"] == "P1"
    assert find_record(people, "a.csv", None, "P1")["source_row"] == 2
    with pytest.raises(TraceError, match="no accepted person record at line 3"):
        find_record(people, "a.csv", 3, None)
    with pytest.raises(TraceError, match="no person records came from"):
        find_record(people, "b.csv", 2, None)


def test_a_pseudonym_finds_its_record_or_says_why_not() -> None:
    people = pd.DataFrame({"source_file": ["a.csv", "b.csv"], "record_pid": ["rec_1", "rec_2"]})
    record_map = pd.DataFrame({"record_pid": ["rec_2", "rec_1"], "person_pid": ["per_9"] * 2})
    assert find_by_pseudonym(people, record_map, Lookup(record_pid="rec_2"))["source_file"] == (
        "b.csv"
    )
    # a person's first record, in pseudonym order
    assert find_by_pseudonym(people, record_map, Lookup(person_pid="per_9"))["record_pid"] == (
        "rec_1"
    )
    with pytest.raises(TraceError, match="no record 'rec_3' in this run"):
        find_by_pseudonym(people, record_map, Lookup(record_pid="rec_3"))
    with pytest.raises(TraceError, match="no person 'per_8' in this run"):
        find_by_pseudonym(people, record_map, Lookup(person_pid="per_8"))
    with pytest.raises(TraceError, match="no person"):
        find_by_pseudonym(people, None, Lookup(person_pid="per_9"))


@pytest.mark.parametrize(
    "lookup",
    [
        Lookup(),
        Lookup("a.csv", row=2, local_id="P1"),
        Lookup("a.csv", row=2, record_pid="rec_1"),
        Lookup(record_pid="rec_1", person_pid="per_1"),
        Lookup(row=2),
    ],
)
def test_a_trace_needs_exactly_one_way_to_its_record(lookup: Lookup) -> None:
    with pytest.raises(TraceError):
        lookup.check()


@pytest.mark.slow
def test_trace_a_linked_record_through_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gbo.security.keys import make_throwaway_key
    from gbo.synth import generate

    out = tmp_path / "synth"
    generate(size=1500, seed=21, out_dir=out)
    monkeypatch.setenv("GBO_VAULT_KEY", make_throwaway_key())
    config = load_config(out / "config.toml")
    config = config.model_copy(update={"link": LinkSettings(u_max_pairs=5e5)})
    run_dir = run_pipeline(config, config_path=out / "config.toml", resume=False, until="link")
    accepted = pq.read_table(
        run_dir / stage_folder_name("link") / "accepted_link.parquet"
    ).to_pandas()
    assert len(accepted) > 0 and set(accepted["basis"]) <= {"model", "review"}
    pairs = pq.read_table(run_dir / stage_folder_name("link") / "link_pair.parquet").to_pandas()
    # Every accepted link joins records of one person (is_linked), not the other way round.
    keyed = pairs.set_index(["record_pid_l", "record_pid_r"])["is_linked"]
    assert all(
        keyed.get((a, b), True) for a, b in accepted[["record_pid_l", "record_pid_r"]].values
    )
    # Pick the police record of an accepted link and find its source line.
    keys = load_key_ring()
    from gbo.security import read_encrypted_table

    people = read_encrypted_table(
        keys, run_dir / stage_folder_name("ingest") / "person_record.parquet.enc"
    )
    frame = people.to_pandas()
    frame["record_pid"] = [pseudonymise(keys, "record", k, "rec") for k in frame["record_key"]]
    linked = frame[frame["record_pid"].isin(accepted["record_pid_l"])].iloc[0]
    before = sorted((p, p.stat().st_mtime_ns) for p in run_dir.rglob("*"))
    result = CliRunner().invoke(
        app,
        ["trace", str(run_dir), str(linked["source_file"]), "--row", str(linked["source_row"])],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert str(linked["record_pid"]) in result.stdout
    assert "Same person" in result.stdout and "running total" in result.stdout
    assert sorted((p, p.stat().st_mtime_ns) for p in run_dir.rglob("*")) == before
    # the same record from its pseudonym, and from its person's
    person = pq.read_table(
        run_dir / stage_folder_name("link") / "person_record_map.parquet"
    ).to_pandas()
    person_pid = person.set_index("record_pid")["person_pid"][linked["record_pid"]]
    for option, value in (("--record-pid", linked["record_pid"]), ("--person-pid", person_pid)):
        by_pid = CliRunner().invoke(
            app, ["trace", str(run_dir), option, str(value)], env={"COLUMNS": "200"}
        )
        assert by_pid.exit_code == 0, by_pid.output
        assert str(person_pid) in by_pid.stdout and "Same person" in by_pid.stdout
    assert result.stdout.splitlines()[0].endswith(f"person {person_pid}")
    # Without the key, no trace.
    monkeypatch.delenv("GBO_VAULT_KEY")
    refused = CliRunner().invoke(
        app, ["trace", str(run_dir), str(linked["source_file"]), "--row", "2"]
    )
    assert refused.exit_code != 0
