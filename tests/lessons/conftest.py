from __future__ import annotations

from pathlib import Path

import pytest

from gbo.lessons.analysis import trained_classifier
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.generator import PlannedReview, write_library
from gbo.lessons.settings import LessonsSettings
from tests.lessons.outside_sets import TAXONOMY


@pytest.fixture(scope="session")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[PlannedReview]]:
    """Four synthetic reviews of three pages each (two PDF, two DOCX)."""
    folder = tmp_path_factory.mktemp("library")
    return folder, write_library(folder, n_documents=4, pages=3, seed=11)


@pytest.fixture(scope="module")
def settings() -> LessonsSettings:
    """The default settings: the classifier any run on this machine gets, from the user's
    cache when it holds a fit of the same inputs, else fitted and saved there once, under a
    lock, for the classifier's test files and the worked example of test_python_api.py alike
    (the MiniLM file tests fitting, saving and loading in folders of its own)."""
    return LessonsSettings()


@pytest.fixture(scope="module")
def classifier(settings: LessonsSettings) -> ThemeClassifier:
    """The default classifier, fitted or loaded once per worker."""
    return trained_classifier(TAXONOMY, settings)
