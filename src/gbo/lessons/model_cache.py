"""The fitted theme classifier and the embeddings of its training sentences, kept on disk
between runs.

Fitting the classifier (embedding some 1,500 training sentences, then six fits for the
out-of-fold thresholds) costs more than reading most libraries. The fitted state is saved
under a key: a hash of everything the fit depends on (the labelled examples as analysed,
the settings, the model and the versions of the libraries that compute it). A run whose key
matches loads it; any other key fits afresh and saves. Nothing is pickled: arrays are saved
with NumPy (``allow_pickle=False``) and everything else as JSON inside the same file, and a
file is written whole to a temporary name and then renamed, so a reader never sees half of
one. A file that cannot be read, or whose contents do not match its key, is ignored with a
warning and replaced by a fresh fit: the cache can make a run faster, never make it fail.
Processes that need the same fit at once (two runs, two test workers) fit it once: the
first holds a lock file in the folder while it fits and saves, and the others wait for it and
then load its state (filelock).

The embeddings of training sentences are kept per sentence (by SHA-256 of the text, for one
model), so a refit after a few labelled sentences change embeds only those.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from filelock import FileLock

LOG = logging.getLogger(__name__)
FORMAT = 2  # raise when the saved state changes shape or is computed otherwise (2: sparse)
KEEP = 4  # fitted classifiers kept (the most recent); older ones are removed
LIBRARIES = (
    "sentence-transformers",
    "transformers",
    "torch",
    "scikit-learn",
    "numpy",
    "negspacy",
    "spacy",
)
READ_ERRORS = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile)

Arrays = dict[str, npt.NDArray[Any]]


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/gbo``, or ``~/.cache/gbo``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gbo"


def default_folder() -> Path:
    """``$XDG_CACHE_HOME/gbo/lessons``, or ``~/.cache/gbo/lessons``."""
    return cache_root() / "lessons"


def package_version(name: str) -> str:
    """An installed package's version, or \"absent\"."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def model_key(model_name: str) -> str:
    """What the embeddings depend on: the model and the libraries that run it."""
    parts = [model_name, *(f"{n}=={package_version(n)}" for n in LIBRARIES[:3])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _digest(payload: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def state_key(model_name: str, inputs: object) -> str:
    """The key of a fitted state: a hash of its inputs (any JSON-able value), the model and
    the versions of every library the fit uses."""
    libraries = {n: package_version(n) for n in LIBRARIES}
    return _digest(
        {"format": FORMAT, "model": model_name, "libraries": libraries, "inputs": inputs}
    )


def inputs_digest(model_name: str, inputs: object) -> str:
    """What a coder was fitted on, whatever the library versions: a hash of its inputs and
    model. Figures measured of a coder (gbo.lessons.theme_accuracy) carry it."""
    return _digest({"model": model_name, "inputs": inputs})[:16]


def _write(path: Path, arrays: Arrays) -> None:
    """Save ``arrays`` to ``path`` whole: written to a temporary file, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path) -> Arrays:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


class ClassifierCache:
    """A folder of fitted states (``classifier-<key>.npz``) and training embeddings
    (``embeddings-<model key>.npz``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def fitting(self, key: str) -> Iterator[None]:
        """Held while a state is fitted and saved, so that processes fitting the same inputs
        at once (two runs, two test workers) fit it once: the second waits, then loads. A
        folder that cannot hold the lock only costs the wait (each process fits)."""
        lock = FileLock(self.folder / f".fitting-{key[:32]}.lock")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock.acquire()
            held = True
        except OSError as exc:
            LOG.warning("could not lock the classifier cache in %s (%s)", self.folder, exc)
            held = False
        try:
            yield
        finally:
            if held:
                lock.release()

    def _state_path(self, key: str) -> Path:
        return self.folder / f"classifier-{key[:32]}.npz"

    def load(self, key: str) -> tuple[dict[str, Any], Arrays] | None:
        """The saved state for ``key`` (its JSON part and its arrays), or None when there is
        none or it cannot be used."""
        path = self._state_path(key)
        if not path.is_file():
            return None
        try:
            arrays = _read(path)
            meta = json.loads(str(arrays.pop("meta")))
            if not isinstance(meta, dict) or meta.get("key") != key:
                raise ValueError("the file does not hold the state of its key")
            return meta, arrays
        except READ_ERRORS as exc:  # json.JSONDecodeError is a ValueError
            LOG.warning("ignoring the unreadable classifier cache %s (%s); refitting", path, exc)
            return None

    def save(self, key: str, meta: dict[str, Any], arrays: Arrays) -> None:
        """Save a fitted state; a cache that cannot be written only costs a refit next time."""
        try:
            _write(self._state_path(key), {**arrays, "meta": np.array(json.dumps(meta))})
            self._prune()
        except OSError as exc:
            LOG.warning("could not write the classifier cache in %s (%s)", self.folder, exc)

    def _prune(self) -> None:
        saved = sorted(
            self.folder.glob("classifier-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in saved[KEEP:]:
            old.unlink(missing_ok=True)

    def embeddings(
        self,
        key: str,
        texts: Sequence[str],
        embed: Callable[[list[str]], npt.NDArray[np.float32]],
    ) -> npt.NDArray[np.float32]:
        """Embeddings of ``texts``: those saved for this model key are read, the rest
        computed with ``embed`` and added to the file."""
        path = self.folder / f"embeddings-{key[:32]}.npz"
        digests = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        known: dict[str, npt.NDArray[np.float32]] = {}
        if path.is_file():
            try:
                saved = _read(path)
                known = dict(zip(saved["digests"].tolist(), saved["vectors"], strict=True))
            except READ_ERRORS as exc:
                LOG.warning("ignoring the unreadable embedding cache %s (%s)", path, exc)
        missing = sorted(
            {d: t for d, t in zip(digests, texts, strict=True) if d not in known}.items()
        )
        if missing:
            vectors = embed([t for _, t in missing])
            known.update(zip([d for d, _ in missing], vectors, strict=True))
            try:
                _write(
                    path,
                    {
                        "digests": np.array(list(known)),
                        "vectors": np.stack(list(known.values())).astype(np.float32),
                    },
                )
            except OSError as exc:
                LOG.warning("could not write the embedding cache %s (%s)", path, exc)
        if not texts:
            return np.asarray(embed([]), dtype=np.float32)
        try:
            return np.stack([known[d] for d in digests]).astype(np.float32)
        except ValueError as exc:  # saved vectors of another shape: a damaged file
            LOG.warning("ignoring the embedding cache %s (%s)", path, exc)
            return np.asarray(embed(list(texts)), dtype=np.float32)


def tfidf_state(vectorizer: Any) -> Arrays:
    """A fitted scikit-learn TF-IDF vectoriser's vocabulary (in column order) and weights."""
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    return {"terms": np.array(terms, dtype=str), "idf": np.asarray(vectorizer.idf_)}


def restore_tfidf(vectorizer: Any, terms: npt.NDArray[Any], idf: npt.NDArray[Any]) -> Any:
    """``vectorizer`` (unfitted, same parameters) given a saved vocabulary and weights."""
    if len(terms) != len(idf):
        raise ValueError("the saved vocabulary and its weights differ in length")
    vectorizer.set_params(vocabulary={str(t): i for i, t in enumerate(terms.tolist())})
    vectorizer.idf_ = np.asarray(idf, dtype=np.float64)
    return vectorizer


def restore_regression(coef: npt.NDArray[Any], intercept: npt.NDArray[Any]) -> Any:
    """A binary logistic regression with saved coefficients (scikit-learn predicts with it)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression()
    model.coef_ = np.asarray(coef, dtype=np.float64).reshape(1, -1)
    model.intercept_ = np.asarray(intercept, dtype=np.float64).reshape(1)
    model.classes_ = np.array([0, 1])
    model.n_features_in_ = model.coef_.shape[1]
    return model
