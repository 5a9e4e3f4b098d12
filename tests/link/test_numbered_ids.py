"""Clustering on ids as numbers, with igraph, gives what it gave on ids as text with Splink.

The link stage used to keep the content-ordered ids as text after scoring (ten million
Python strings at ten million records) and to cluster with Splink's connected components
in its DuckDB database. Now the ids are numbers after scoring and the components are
igraph's, so that Splink's database can be let go first. Here one small linkage (the real
model, with clerical decisions that add and remove links) is done both ways: the old way
is rebuilt from the same trained model, scoring again and clustering on text ids, and its
components are Splink's own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from gbo.link.clusters import ClusterOutcome, cluster_pairs, record_clusters
from gbo.link.decisions import normalise_pairs
from gbo.link.linkage import LinkageResult, link_records
from gbo.link.model import LinkageModel
from gbo.link.ordering import IdMap, content_ids, id_numbers, id_text
from gbo.link.reliability import reliability
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity
from tests.link.identities import make_identities

pytestmark = pytest.mark.slow

SMALL = LinkSettings(u_max_pairs=2e5, em_max_pairs=None, threads=1)
PAIR = ["unique_id_l", "unique_id_r"]


def _decisions(standard: pa.Table) -> pd.DataFrame:
    """A match on two records no rule links and a non-match on the first link found."""
    pids = sorted(standard.column("unique_id").to_pylist())
    first = link_records(standard, SMALL).links.iloc[0]
    rows = [
        (pids[0], pids[-1], "match"),
        (first["unique_id_l"], first["unique_id_r"], "non_match"),
    ]
    frame = pd.DataFrame(rows, columns=["record_pid_l", "record_pid_r", "decision"])
    return normalise_pairs(frame.assign(reviewer="", decided_on=""))


@pytest.fixture(scope="module")
def both_ways() -> tuple[LinkageResult, ClusterOutcome, IdMap, pd.DataFrame]:
    identity, _ = make_identities(400, seed=11)
    standard = standardise_identity(identity)
    decisions = _decisions(standard)
    result = link_records(standard, SMALL, decisions=decisions)
    # The old way: text ids from scoring to persons.
    records, ids = content_ids(standard)
    model = LinkageModel(records, SMALL)
    model.load(result.model)
    pairs = model.predict().to_pandas()
    internal = ids.pairs_to_internal(
        decisions.rename(columns={"record_pid_l": "unique_id_l", "record_pid_r": "unique_id_r"})
    ).rename(columns={"unique_id_l": "record_pid_l", "unique_id_r": "record_pid_r"})
    slim = records.select(["unique_id", "sex", "birth_year_min", "birth_year_max"]).to_pandas()
    used = SMALL.model_copy(update={"match_threshold": result.match_threshold})
    reliable = reliability(result.model, SMALL.conflict_guard_max_disagreement)
    old = cluster_pairs(pairs, slim, internal, used, model.level_labels(), reliable)
    # Splink's own components of the same links, named as Splink names them.
    edges = pa.Table.from_pandas(
        old.links[[*PAIR, "match_probability"]].astype({"match_probability": np.float64}),
        preserve_index=False,
    )
    registered = model.db_api.register(edges)
    splink = model.linker.clustering.cluster_pairwise_predictions_at_threshold(
        registered, threshold_match_probability=used.match_threshold
    )
    # splink leaves SplinkDataFrame.as_pandas_dataframe unannotated
    clustered = splink.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    splink_clusters = clustered[["unique_id", "cluster_id"]]
    model.close()
    return result, old, ids, splink_clusters


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by).reset_index(drop=True)


def test_igraph_components_are_splinks(
    both_ways: tuple[LinkageResult, ClusterOutcome, IdMap, pd.DataFrame],
) -> None:
    _, old, _, splink = both_ways
    assert splink["cluster_id"].nunique() < len(splink)  # some records are linked
    pd.testing.assert_frame_equal(
        _sorted(old.clusters, ["unique_id"]), _sorted(splink, ["unique_id"]), check_dtype=False
    )


def test_persons_links_and_guards_are_those_of_text_ids(
    both_ways: tuple[LinkageResult, ClusterOutcome, IdMap, pd.DataFrame],
) -> None:
    result, old, ids, _ = both_ways
    assert (old.links["basis"] == "review").sum() == 1  # the decisions took effect
    clusters = old.clusters.assign(
        unique_id=ids.to_pseudonyms(old.clusters["unique_id"]).to_numpy(),
        cluster_id=ids.to_pseudonyms(old.clusters["cluster_id"]).to_numpy(),
    )
    pd.testing.assert_frame_equal(
        _sorted(result.clusters, ["unique_id"]), _sorted(clusters, ["unique_id"])
    )
    for new, before in (
        (result.links, old.links),
        (result.weak_links, old.weak_links),
        (result.guarded, old.guarded),
    ):
        pd.testing.assert_frame_equal(
            new.reset_index(drop=True),
            ids.pairs_to_pseudonyms(before).reset_index(drop=True),
            check_exact=False,
            rtol=1e-9,
        )


def test_ids_as_numbers_and_text_go_both_ways() -> None:
    text = pa.array(["0000000001", "0000000042", "1234567890"])
    assert id_numbers(text).to_pylist() == [1, 42, 1234567890]
    assert id_text(id_numbers(text)).equals(text)
    ids = IdMap(pseudonyms=pa.array(["rec_b", "rec_a", "rec_c"]))
    as_numbers = ids.to_pseudonyms(pd.Series([3, 1]))
    as_text = ids.to_pseudonyms(pd.Series(["0000000003", "0000000001"]))
    assert as_numbers.tolist() == as_text.tolist() == ["rec_c", "rec_b"]
    assert ids.to_internal(pd.Series(["rec_a"])).tolist() == ["0000000002"]


def test_components_cover_every_record_and_are_named_by_the_smallest() -> None:
    links = pd.DataFrame({"unique_id_l": [5, 2, 7], "unique_id_r": [9, 5, 8]})
    clusters = record_clusters(np.array([9, 8, 7, 5, 3, 2]), links)
    assert clusters.values.tolist() == [[2, 2], [3, 3], [5, 2], [7, 7], [8, 7], [9, 2]]
    alone = record_clusters(np.array([2, 1]), links.iloc[:0])
    assert alone.values.tolist() == [[1, 1], [2, 2]]
