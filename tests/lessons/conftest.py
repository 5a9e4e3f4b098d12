from __future__ import annotations

from pathlib import Path

import pytest

from gbo.lessons.generator import PlannedReview, write_library


@pytest.fixture(scope="session")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[PlannedReview]]:
    """Four synthetic reviews of three pages each (two PDF, two DOCX)."""
    folder = tmp_path_factory.mktemp("library")
    return folder, write_library(folder, n_documents=4, pages=3, seed=11)
