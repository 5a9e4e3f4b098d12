"""How well the default coder finds each theme in reviews it was not fitted on.

A count of reviews per theme means little without knowing how often the coder finds the
theme where a review states it. ``data/theme_accuracy.json`` holds, for each theme, what the
default coder did on the digests of published reports in their authors' wording, each set
scored by a fit without it (``python -m benchmarks.bench_wording_folds --write-accuracy``): in how
many documents that state the theme it was found, and in how many documents given the theme
the document states it. The file carries the digest of the inputs of the coder it describes
(:func:`gbo.lessons.model_cache.inputs_digest`); the outputs show its figures only for that
coder, so figures of another coder are never printed beside this one's counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ValidationError, model_validator

from gbo.errors import LessonsError
from gbo.lessons.labelled import LabelledDocument
from gbo.lessons.scores import score_sets
from gbo.lessons.uncertainty import Interval, share_interval

FILE = "theme_accuracy.json"
HINT = "write it again with python -m benchmarks.bench_wording_folds --write-accuracy"


class ThemeFigures(BaseModel):
    theme_id: str
    stated: int  # documents that state the theme
    found: int  # of those, documents given the theme
    given: int  # documents given the theme

    @model_validator(mode="after")
    def _counts_fit(self) -> ThemeFigures:
        if not 0 <= self.found <= min(self.stated, self.given):
            raise ValueError(
                f"{self.theme_id}: found {self.found} must lie between 0 and both stated "
                f"{self.stated} and given {self.given}"
            )
        return self

    @property
    def recall(self) -> float | None:
        return self.found / self.stated if self.stated else None

    @property
    def precision(self) -> float | None:
        return self.found / self.given if self.given else None

    @property
    def recall_interval(self) -> Interval | None:
        return share_interval(self.found, self.stated)

    @property
    def precision_interval(self) -> Interval | None:
        return share_interval(self.found, self.given)


class ThemeAccuracy(BaseModel):
    inputs_digest: str  # of the coder measured
    taxonomy_version: str
    measured_on: str  # the documents, in words
    documents: int
    themes: list[ThemeFigures]

    def by_theme(self) -> dict[str, ThemeFigures]:
        return {t.theme_id: t for t in self.themes}


def measure(
    ids: Sequence[str],
    documents: Sequence[LabelledDocument],
    predicted: Sequence[frozenset[str]],
) -> list[ThemeFigures]:
    """Each theme's counts by document: stated, found where stated, given."""
    per_theme, _ = score_sets(ids, [d.themes for d in documents], predicted)
    return [
        ThemeFigures(
            theme_id=t,
            stated=s.true_positives + s.false_negatives,
            found=s.true_positives,
            given=s.true_positives + s.false_positives,
        )
        for t, s in per_theme.items()
    ]


def packaged_path() -> Path:
    return Path(str(resources.files("gbo.lessons") / "data" / FILE))


def load_theme_accuracy(path: Path | None = None) -> ThemeAccuracy:
    """The figures in ``path`` (the packaged file by default)."""
    path = path or packaged_path()
    try:
        return ThemeAccuracy.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LessonsError(f"{path}: no such file; {HINT}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LessonsError(f"{path}: {where}: {first['msg']}; {HINT}") from exc


def accuracy_for(
    description: dict[str, object] | None, taxonomy_version: str
) -> ThemeAccuracy | None:
    """The packaged figures when they were measured of the coder described (its
    ``describe()``) under this taxonomy version; None for any other coder, or keywords alone."""
    if description is None:
        return None
    figures = load_theme_accuracy()
    if (
        figures.inputs_digest != description.get("inputs_digest")
        or figures.taxonomy_version != taxonomy_version
    ):
        return None
    return figures
