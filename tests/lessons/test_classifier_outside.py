"""The default coder on the outside digest sets: digests written by other hands, never read
(tests/data/lessons/README_outside_digests_v<n>.md). A file of its own so that it runs last,
on whichever worker is free, once test_classifier.py has fitted the classifier and saved it
in the cache (tests/conftest.py)."""

from __future__ import annotations

import pytest

from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.settings import LessonsSettings
from tests.lessons.outside_sets import (
    DATA,
    OUTSIDE_GUARDS,
    UNSPENT,
    check_outside,
    outside_version,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("version", "guards"), sorted(OUTSIDE_GUARDS.items()))
def test_document_scores_on_digests_written_by_other_hands(
    classifier: ThemeClassifier, settings: LessonsSettings, version: int, guards: tuple[float, int]
) -> None:
    check_outside(settings, version, guards)


def test_every_outside_digests_file_is_guarded() -> None:
    on_disk = {outside_version(p) for p in DATA.glob("outside_digests_v*.csv")}
    assert on_disk == set(OUTSIDE_GUARDS) | UNSPENT
    assert not set(OUTSIDE_GUARDS) & UNSPENT
