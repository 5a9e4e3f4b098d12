"""Linkage does not depend on the vault key: the same records under two keys link alike."""

from __future__ import annotations

import pandas as pd
import pytest

from gbo.link.linkage import link_records
from gbo.link.ordering import content_ids
from gbo.link.quality import cluster_scores
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity
from gbo.security import pseudonymise
from gbo.security.keys import key_ring_from_master
from tests.link.identities import make_identities

SMALL = LinkSettings(u_max_pairs=1e5, em_max_pairs=None, threads=1)


def _under_key(identity: pd.DataFrame, master: bytes) -> pd.DataFrame:
    """The identity table as the vault would hold it under ``master``: other pseudonyms,
    rows in pseudonym order."""
    keys = key_ring_from_master(master)
    out = identity.assign(
        record_pid=[pseudonymise(keys, "record", f"{a}:{i}", "rec")
                    for a, i in zip(identity["agency"], identity["local_id"], strict=True)]
    )  # fmt: skip
    return out.sort_values("record_pid").reset_index(drop=True)


def test_content_ids_ignore_pseudonyms_and_row_order() -> None:
    identity, _ = make_identities(60, seed=3)
    a = standardise_identity(_under_key(identity, b"a" * 32))
    b = standardise_identity(_under_key(identity, b"b" * 32))
    table_a, ids_a = content_ids(a)
    table_b, ids_b = content_ids(b)
    assert table_a.drop_columns(["unique_id"]).equals(table_b.drop_columns(["unique_id"]))
    assert table_a.column("unique_id").equals(table_b.column("unique_id"))
    assert len(ids_a.pseudonym_of) == len(identity)


@pytest.mark.slow
def test_two_vault_keys_give_the_same_persons_and_scores() -> None:
    identity, _ = make_identities(250, seed=21)
    outcomes = []
    for master in (b"k" * 32, b"q" * 32):
        keyed = _under_key(identity, master)
        result = link_records(standardise_identity(keyed), SMALL)
        back = keyed.set_index("record_pid")["local_id"]
        clusters = result.clusters.assign(
            unique_id=result.clusters["unique_id"].map(back),
            entity_id=result.clusters["cluster_id"].map(back),
        )
        pairs = result.pairs.assign(
            a=result.pairs["unique_id_l"].map(back), b=result.pairs["unique_id_r"].map(back)
        )
        pairs["key"] = pairs[["a", "b"]].min(axis=1) + "|" + pairs[["a", "b"]].max(axis=1)
        outcomes.append((clusters, pairs.set_index("key")["match_probability"].sort_index()))
    (clusters_a, scores_a), (clusters_b, scores_b) = outcomes
    # The same partition of records into persons, whatever the cluster labels.
    same = cluster_scores(clusters_a[["unique_id", "cluster_id"]],
                          clusters_b[["unique_id", "entity_id"]])  # fmt: skip
    assert same.precision == 1.0 and same.recall == 1.0
    pd.testing.assert_series_equal(scores_a, scores_b)
