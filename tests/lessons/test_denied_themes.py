"""The denied-theme models: one regression per theme, fitted only where both sides are seen."""

from __future__ import annotations

import numpy as np
import pytest

from gbo.lessons.denied_themes import MIN_EACH, DeniedThemes

IDS = ["T01", "T02", "T03"]


def _training() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """40 sentences: T01 denied in the first 20 (a signal in the first feature and in the
    marked words) and stated in the rest; T02 stated everywhere, never denied; T03 denied
    in one sentence only."""
    rng = np.random.default_rng(0)
    n = 40
    denial = np.arange(n) < n // 2
    x = rng.normal(size=(n, 6))
    x[denial, 0] += 3.0
    marked = ["concerns were not_ignored" if d else "concerns were ignored" for d in denial]
    stated = np.zeros((n, len(IDS)), dtype=bool)
    denied = np.zeros((n, len(IDS)), dtype=bool)
    stated[~denial, 0], denied[denial, 0] = True, True
    stated[:, 1] = True
    stated[1:, 2], denied[0, 2] = True, True
    return marked, x, stated, denied


def test_a_theme_is_read_as_denied_where_it_was_denied_in_training() -> None:
    marked, x, stated, denied = _training()
    model = DeniedThemes(IDS, seed=7).fit(marked, x, stated, denied)
    found = model.predict(marked, x)
    assert found.shape == (len(marked), len(IDS))
    assert found[denied[:, 0], 0].min() > 0.5 > found[stated[:, 0], 0].max()


def test_a_theme_seen_on_one_side_only_gets_no_model_and_is_never_dropped() -> None:
    marked, x, stated, denied = _training()
    assert denied[:, 2].sum() < MIN_EACH
    model = DeniedThemes(IDS, seed=7).fit(marked, x, stated, denied)
    assert model.fitted.tolist() == [True, False, False]
    assert not model.predict(marked, x)[:, 1:].any()


def test_the_saved_state_predicts_the_same() -> None:
    marked, x, stated, denied = _training()
    model = DeniedThemes(IDS, seed=7).fit(marked, x, stated, denied)
    restored = DeniedThemes(IDS, seed=7).restore(model.state())
    assert np.array_equal(restored.predict(marked, x), model.predict(marked, x))
    assert restored.predict([], np.zeros((0, 6))).shape == (0, len(IDS))
    with pytest.raises(ValueError, match="other themes"):
        DeniedThemes(IDS[:2], seed=7).restore(model.state())
