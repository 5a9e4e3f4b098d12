"""The prior re-estimated from scored pairs: the EM update of the prior with m and u fixed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gbo.link.prior import log2_odds, rescore, self_consistent_prior


def _weights(evidence: np.ndarray, prior: float) -> pd.Series:
    return pd.Series(evidence + log2_odds(prior))


def test_the_prior_settles_where_expected_matches_equal_it() -> None:
    n_records = 2_000
    n_pairs = n_records * (n_records - 1) / 2
    # 300 pairs with overwhelming evidence of a match, 5,000 with strong evidence against.
    evidence = np.concatenate([np.full(300, 40.0), np.full(5_000, -20.0)])
    for start in (1e-7, 1e-4, 1e-2):  # wherever the assumed prior started
        found = self_consistent_prior(_weights(evidence, start), start, n_records)
        assert found == pytest.approx(300 / n_pairs, rel=1e-3)


def test_a_prior_guessed_too_small_is_raised() -> None:
    n_records = 1_000
    n_pairs = n_records * (n_records - 1) / 2
    evidence = np.concatenate([np.full(400, 25.0), np.full(400, 10.0)])
    prior = 1e-5  # 400 + most of the 400 weaker pairs are matches at the settled prior
    found = self_consistent_prior(_weights(evidence, prior), prior, n_records)
    assert found > 400 / n_pairs > prior
    p = 1 / (1 + 2 ** -(evidence + log2_odds(found)))
    assert p.sum() / n_pairs == pytest.approx(found, rel=1e-3)


def test_rescoring_moves_every_weight_by_the_same_amount() -> None:
    pairs = pd.DataFrame({"match_weight": [-3.0, 0.0, 12.5]})
    pairs["match_probability"] = 1 / (1 + 2 ** -pairs["match_weight"])
    out = rescore(pairs, 1e-4, 4e-4)
    shift = log2_odds(4e-4) - log2_odds(1e-4)
    assert out["match_weight"].tolist() == pytest.approx((pairs["match_weight"] + shift).tolist())
    assert math.isclose(shift, 2.0, rel_tol=1e-3)
    assert out["match_probability"].tolist() == pytest.approx(
        (1 / (1 + 2 ** -out["match_weight"])).tolist()
    )
