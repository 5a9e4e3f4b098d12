"""The pair tables written from DuckDB (gbo.link.evidence) are those the pandas code made.

One small linkage (Splink on DuckDB, the real model); the expected tables are derived
from its scored pairs in pandas, the way the link stage built them before the pairs were
kept in DuckDB: labels from the gamma levels, agencies and persons by record, the smaller
pseudonym on the left, rows sorted by pair.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from gbo.link.bias import audit_bias, record_groups
from gbo.link.evidence import PairEvidence
from gbo.link.linkage import LinkageResult, link_records
from gbo.link.model import COMPARISON_NAMES
from gbo.link.persons import person_pids
from gbo.link.review import build_review_queue
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity
from gbo.security import KeyRing
from tests.link.identities import make_identities

pytestmark = pytest.mark.slow

SMALL = LinkSettings(u_max_pairs=2e5, em_max_pairs=None, threads=1)


@pytest.fixture(scope="module")
def linked() -> tuple[LinkageResult, pd.DataFrame]:
    identity, _ = make_identities(400, seed=11)
    return link_records(standardise_identity(identity), SMALL), identity


def _record_map(result: LinkageResult, identity: pd.DataFrame, keys: KeyRing) -> pd.DataFrame:
    record_map = person_pids(result.clusters, keys)
    return record_map.merge(identity[["record_pid", "agency"]], on="record_pid", how="left")


def _expected_link_pairs(result: LinkageResult, record_map: pd.DataFrame) -> pd.DataFrame:
    out = result.pairs
    for name in COMPARISON_NAMES:
        out[name] = out[f"gamma_{name}"].map(result.level_labels.get(name, {})).fillna("?")
    out = out.rename(columns={"unique_id_l": "record_pid_l", "unique_id_r": "record_pid_r"})
    agency = record_map.set_index("record_pid")["agency"]
    person = record_map.set_index("record_pid")["person_pid"]
    out["agency_l"] = out["record_pid_l"].map(agency)
    out["agency_r"] = out["record_pid_r"].map(agency)
    out["is_linked"] = out["record_pid_l"].map(person) == out["record_pid_r"].map(person)
    keep = ["record_pid_l", "record_pid_r", "agency_l", "agency_r", "match_weight"]
    keep += ["match_probability", *[f"gamma_{c}" for c in COMPARISON_NAMES]]
    keep += [*COMPARISON_NAMES, *[f"mw_{c}" for c in COMPARISON_NAMES], "is_linked"]
    return out[keep].sort_values(["record_pid_l", "record_pid_r"]).reset_index(drop=True)


def test_pair_tables_from_duckdb_are_those_of_pandas(
    linked: tuple[LinkageResult, pd.DataFrame], keys: KeyRing, tmp_path: Path
) -> None:
    result, identity = linked
    record_map = _record_map(result, identity, keys)
    expected = _expected_link_pairs(result, record_map)
    assert expected["is_linked"].any() and not expected["is_linked"].all()
    # Pairs a guard held back, above the grey zone: they enter the queue only as flagged.
    top = expected.nlargest(3, "match_probability")
    guarded = pd.DataFrame(
        {
            "unique_id_l": top["record_pid_l"].to_numpy(),
            "unique_id_r": top["record_pid_r"].to_numpy(),
            "match_probability": top["match_probability"].to_numpy(),
            "reason": "held back: birth years far apart",
        }
    )
    assert (top["match_probability"] >= SMALL.review_max_probability).all()
    grey_min = SMALL.predict_min_probability  # low enough for near misses in small data
    path = tmp_path / "link_pair.parquet"
    with PairEvidence(
        result.scored,
        result.ids,
        pa.Table.from_pandas(record_map, preserve_index=False),
        result.level_labels,
        "1GB",
    ) as evidence:
        rows = evidence.write_link_pairs(path)
        evidence.read_link_pairs(path)
        accepted = evidence.accepted_links(result.links).to_pandas()
        candidates = evidence.review_candidates(
            SMALL.review_min_probability, SMALL.review_max_probability, [result.weak_links, guarded]
        )
        near = evidence.near_miss_records(grey_min)
        agency_pairs = evidence.agency_pairs(grey_min)

    written = pq.read_table(path).to_pandas()
    assert rows == len(expected) == result.scored.num_rows
    pd.testing.assert_frame_equal(written, expected)

    scores = expected[["record_pid_l", "record_pid_r", "match_weight", "match_probability"]]
    links = result.links.rename(
        columns={"unique_id_l": "record_pid_l", "unique_id_r": "record_pid_r"}
    )
    want = links[["record_pid_l", "record_pid_r", "basis"]].merge(
        scores, on=["record_pid_l", "record_pid_r"], how="left"
    )
    want = want.sort_values(["record_pid_l", "record_pid_r"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(accepted, want)

    queue = build_review_queue(candidates, result.weak_links, None, SMALL, guarded=guarded)
    full = build_review_queue(expected, result.weak_links, None, SMALL, guarded=guarded)
    assert len(queue) > len(guarded)
    assert set(guarded["reason"]) <= set(queue["reason"])
    pd.testing.assert_frame_equal(queue, full)

    # The bias audit from the counts in DuckDB and from the pandas table.
    missed = expected[(expected["match_probability"] >= grey_min) & ~expected["is_linked"]]
    assert len(missed) > 0
    assert set(near) == set(missed["record_pid_l"]) | set(missed["record_pid_r"])
    pairs = expected.assign(
        group=expected[["agency_l", "agency_r"]].min(axis=1)
        + " - "
        + expected[["agency_l", "agency_r"]].max(axis=1),
        is_near_miss=(expected["match_probability"] >= grey_min) & ~expected["is_linked"],
    ).groupby("group")
    by_agency = pd.DataFrame(
        {
            "n_records": pairs.size(),
            "n_linked": pairs["is_linked"].sum(),
            "n_near_miss": pairs["is_near_miss"].sum(),
        }
    ).reset_index()
    pd.testing.assert_frame_equal(agency_pairs, by_agency)
    groups = record_groups(identity.assign(birth_year=np.nan), 2024)
    audit = audit_bias(groups, record_map, near, agency_pairs)
    assert audit["n_near_miss"].sum() > 0
    assert (audit["dimension"] == "agency_pair (scored pairs)").sum() == len(by_agency)
