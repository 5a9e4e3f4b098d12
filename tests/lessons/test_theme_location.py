"""The theme-location model: where in a sentence a coded theme is found."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.lessons.theme_location import EMPTY, FEATURES, ThemeLocation, Views, pair_features

GATE = 0.55
THEMES = 3


def _probs(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def _mixed(good: float, failing: float) -> Views:
    """A sentence of two affirmed clauses: one the gate passes (theme 0 at ``failing``) and
    one it does not (theme 0 at ``good``); theme 1 is the failing clause's own."""
    return Views(
        whole=_probs(max(good, failing), 0.8, 0.01),
        affirmed=_probs(max(good, failing), 0.8, 0.01),
        affirmed_gate=0.9,
        clauses=((_probs(good, 0.05, 0.01), 0.1), (_probs(failing, 0.8, 0.01), 0.9)),
    )


def test_a_sentence_without_clauses_or_negation_is_read_from_its_affirmed_part() -> None:
    views = Views(whole=_probs(0.5, 0.1, 0.0), affirmed=_probs(0.5, 0.1, 0.0), affirmed_gate=0.3)
    found = pair_features(views, 0, GATE)
    assert found.shape == (FEATURES,)
    assert found[0] == found[1] == pytest.approx(0.0)  # log-odds of 0.5
    assert found[3] == found[5] == 0.0  # no negated part, no scope
    assert found[7] == 0.0 and found[9] == EMPTY and found[10] == 0.3
    assert (found[11], found[12]) == (0.0, 1.0)  # below the gate: not a failing


def test_the_clauses_are_split_by_the_gate() -> None:
    found = pair_features(_mixed(good=0.7, failing=0.02), 0, GATE)
    assert found[7] == 1.0
    assert found[8] < found[9]  # the theme is found in the clause the gate does not pass
    assert found[10] == 0.1  # the gate of the clause that carries the theme best
    assert (found[11], found[12]) == (1.0, 1.0)


@given(
    st.lists(st.floats(0.0, 1.0), min_size=THEMES, max_size=THEMES),
    st.lists(st.floats(0.0, 1.0), min_size=THEMES, max_size=THEMES),
    st.floats(0.0, 1.0),
    st.booleans(),
)
def test_every_figure_is_finite(
    whole: list[float], negated: list[float], gate: float, split: bool
) -> None:
    views = Views(
        whole=_probs(*whole),
        affirmed=_probs(*whole),
        affirmed_gate=gate,
        negated=_probs(*negated),
        scope=_probs(*negated),
        clauses=((_probs(*whole), gate), (_probs(*negated), 1 - gate)) if split else (),
    )
    for k in range(THEMES):
        assert np.isfinite(pair_features(views, k, GATE)).all()


def _training() -> tuple[list[Views], np.ndarray, np.ndarray]:
    """40 mixed sentences: theme 0 is denied in the 20 where its good-practice clause carries
    it and stated in the 20 where the failing clause does; theme 1 is always stated."""
    rng = np.random.default_rng(0)
    views, stated, denied = [], np.zeros((40, THEMES), bool), np.zeros((40, THEMES), bool)
    for i in range(40):
        high, low = rng.uniform(0.5, 0.9), rng.uniform(0.01, 0.1)
        in_good = i < 20
        views.append(_mixed(good=high if in_good else low, failing=low if in_good else high))
        denied[i, 0], stated[i, 0], stated[i, 1] = in_good, not in_good, True
    return views, stated, denied


def test_a_theme_found_only_where_the_sentence_praises_is_read_as_denied() -> None:
    views, stated, denied = _training()
    model = ThemeLocation(seed=7, gate=GATE).fit(views, stated, denied)
    found = np.array([model.predict(v, [0, 1]) for v in views])
    assert found[denied[:, 0], 0].min() > 0.5 > found[stated[:, 0], 0].max()
    assert found[:20, 1].max() < found[:20, 0].min()
    assert model.predict(views[0], []).shape == (0,)


def test_the_saved_state_predicts_the_same() -> None:
    views, stated, denied = _training()
    model = ThemeLocation(seed=7, gate=GATE).fit(views, stated, denied)
    restored = ThemeLocation(seed=7, gate=GATE).restore(model.state())
    assert np.array_equal(restored.predict(views[3], [0, 1]), model.predict(views[3], [0, 1]))
    state = model.state() | {"coef": np.zeros(FEATURES + 1)}
    with pytest.raises(ValueError, match="other features"):
        ThemeLocation(seed=7, gate=GATE).restore(state)
