"""The classifier cache: saved whole, read back exactly, and ignored (never fatal) when it is
damaged or belongs to other inputs."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.lessons.model_cache import (
    ClassifierCache,
    default_folder,
    restore_regression,
    restore_tfidf,
    state_key,
    tfidf_state,
)

KEY = state_key("model", {"examples": ["one", "two"]})


def test_a_state_is_read_back_as_saved(tmp_path: Path) -> None:
    cache = ClassifierCache(tmp_path)
    arrays = {"coef": np.arange(6.0).reshape(2, 3), "terms": np.array(["not_ignored", "delay"])}
    cache.save(KEY, {"key": KEY, "tuning": {"gate": 0.6}}, arrays)
    loaded = cache.load(KEY)
    assert loaded is not None
    meta, read = loaded
    assert meta["tuning"] == {"gate": 0.6}
    assert np.array_equal(read["coef"], arrays["coef"])
    assert read["terms"].tolist() == ["not_ignored", "delay"]
    assert not list(tmp_path.glob(".writing-*")), "no temporary file is left behind"


def test_the_key_changes_with_any_input() -> None:
    assert state_key("model", {"examples": ["one", "two"]}) == KEY
    assert state_key("model", {"examples": ["one", "three"]}) != KEY
    assert state_key("other model", {"examples": ["one", "two"]}) != KEY


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=300))
def test_a_damaged_state_is_ignored_not_fatal(garbage: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        cache = ClassifierCache(Path(folder))
        cache.save(KEY, {"key": KEY}, {"coef": np.ones(3)})
        saved = next(Path(folder).glob("classifier-*.npz"))
        saved.write_bytes(garbage)
        assert cache.load(KEY) is None


def test_a_state_under_another_key_is_not_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ClassifierCache(tmp_path)
    cache.save(KEY, {"key": "something else"}, {"coef": np.ones(3)})
    with caplog.at_level(logging.WARNING):
        assert cache.load(KEY) is None
    assert "refitting" in caplog.text
    assert ClassifierCache(tmp_path / "absent").load(KEY) is None


def test_an_unwritable_folder_costs_only_the_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = ClassifierCache(blocked / "cache")
    cache.save(KEY, {"key": KEY}, {"coef": np.ones(3)})  # logs, does not raise
    assert cache.load(KEY) is None
    with cache.fitting(KEY):  # no lock either: logs, does not raise
        pass
    vectors = cache.embeddings(
        "model", ["a text"], lambda texts: np.ones((len(texts), 4), np.float32)
    )
    assert vectors.shape == (1, 4)


def test_embeddings_are_computed_once_per_text(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        calls.append(texts)
        return np.array([[len(t), t.count("a")] for t in texts], dtype=np.float32)

    cache = ClassifierCache(tmp_path)
    first = cache.embeddings("model", ["alpha", "beta", "alpha"], embed)
    assert calls == [["alpha", "beta"]]
    again = ClassifierCache(tmp_path).embeddings("model", ["gamma", "beta", "alpha"], embed)
    assert calls[-1] == ["gamma"], "only the new text is embedded"
    assert np.array_equal(again[1:], first[[1, 0]])
    next(tmp_path.glob("embeddings-*.npz")).write_bytes(b"damaged")
    recomputed = ClassifierCache(tmp_path).embeddings("model", ["beta"], embed)
    assert calls[-1] == ["beta"] and np.array_equal(recomputed, first[[1]])


def test_a_restored_vectoriser_and_regression_predict_as_fitted() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [
        "concerns were not_ignored",
        "information was not not_shared",
        "records were complete",
        "referrals were not not_followed up",
    ]

    def vectoriser() -> TfidfVectorizer:
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")

    fitted = vectoriser().fit(texts)
    x = fitted.transform(texts).toarray()
    model = LogisticRegression(random_state=0).fit(x, [0, 1, 0, 1])
    state = tfidf_state(fitted)
    restored = restore_tfidf(vectoriser(), state["terms"], state["idf"])
    assert np.allclose(restored.transform(texts).toarray(), x)
    again = restore_regression(model.coef_[0], model.intercept_)
    assert np.allclose(again.predict_proba(x), model.predict_proba(x))


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_folder() == tmp_path / "gbo" / "lessons"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_folder() == Path.home() / ".cache" / "gbo" / "lessons"


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from gbo.lessons.model_cache import ClassifierCache
folder, key = Path(sys.argv[1]), sys.argv[2]
with ClassifierCache(folder).fitting(key):
    (folder / "entered").write_text("")
    time.sleep(1.0)
    (folder / "left").write_text("")
"""


def test_a_second_process_fitting_the_same_inputs_waits_for_the_first(tmp_path: Path) -> None:
    first = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(tmp_path), KEY])
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "entered").exists():
            assert first.poll() is None and time.monotonic() < deadline, "never took the lock"
            time.sleep(0.05)
        with ClassifierCache(tmp_path).fitting(KEY):
            assert (tmp_path / "left").exists()
    finally:
        assert first.wait(timeout=60) == 0
