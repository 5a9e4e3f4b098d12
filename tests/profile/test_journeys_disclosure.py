"""No journeys statistic about fewer people than the minimum reaches the published files.

The profile stage's outputs for the planted world (tests/profile/test_journeys.py) go
through the real disclosure control; every quartile, median, mean or total of the journeys
section resting on fewer than ``statistic_threshold`` people must come out withheld, and
the ones resting on enough people must still be shown.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import is_symbol
from tests.profile.outputs import Outputs, run_profile
from tests.profile.test_journeys import planted_world

KEY = ["table_id", "breakdown", "statistic"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return run_profile(tmp_path_factory.mktemp("planted"), planted_world(), review_pairs=[])


def _published(out: Outputs, settings: DisclosureSettings) -> pd.DataFrame:
    folder = Path(out.folder)
    rows = pq.read_table(folder / "tables.parquet").to_pandas()
    metadata = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    stats = pq.read_table(folder / "statistics.parquet").to_pandas()
    result = control_disclosure(rows, metadata, settings, stats)
    published = result.statistics
    raw = stats[KEY + ["n"]].rename(columns={"n": "n_people"})
    merged = published.merge(raw, on=KEY, how="left", validate="one_to_one")
    journeys: pd.DataFrame = merged[merged["table_id"].str.startswith("journeys_")]
    return journeys


def test_no_journeys_statistic_on_few_people_is_published(out: Outputs) -> None:
    minimum = 5
    journeys = _published(out, DisclosureSettings(statistic_threshold=minimum))
    few = journeys[journeys["n_people"] < minimum]
    enough = journeys[(journeys["n_people"] >= minimum) & journeys["value"].notna()]
    assert len(few) > 20
    assert few["value_display"].map(is_symbol).all()
    assert few["value"].isna().all() and few["ci_lower"].isna().all()
    # the victims counted in the sensitivity table (7) rest on enough people
    assert len(enough) > 0
    assert not enough["value_display"].map(is_symbol).any()
    assert (enough["n_people"] >= minimum).all()
