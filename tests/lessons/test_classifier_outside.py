"""The default coder on the outside digest sets: digests written by other hands, never read
(tests/data/lessons/README_outside_digests_v<n>.md). A file of its own so that it runs last,
on whichever worker is free, once test_classifier.py has fitted the classifier and saved it
in the cache (tests/conftest.py). ``gbo lessons compare`` is tested here too, on that fit."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.lessons.analysis import default_coder
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.digest_file import read_digests
from gbo.lessons.evaluation import coded_paragraphs, digest_scores
from gbo.lessons.settings import LessonsSettings
from tests.lessons.outside_sets import (
    DATA,
    OUTSIDE_GUARDS,
    TAXONOMY,
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


def test_compare_scores_each_coder_as_evaluate_does_and_pairs_the_difference(
    classifier: ThemeClassifier, settings: LessonsSettings
) -> None:
    """The default coder against keyword cues alone on a spent set: the default's line is the
    one its own scoring gives, and the difference printed lies in its paired interval."""
    path = DATA / "outside_digests_v17.csv"
    documents = read_digests(path, TAXONOMY.ids)
    coder, _ = default_coder(TAXONOMY, settings)
    own = digest_scores(
        TAXONOMY.ids, documents, coded_paragraphs(TAXONOMY, documents, settings, coder)
    )
    result = CliRunner().invoke(
        app,
        ["lessons", "compare", "--digests", str(path), "--coder", "mpnet", "--coder", "keywords"],
    )
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert f"mpnet: {own.line()}" in lines
    keywords = next(line for line in lines if line.startswith("keywords: precision"))
    f1 = float(keywords.split("micro-F1 ")[1].split()[0])
    change = next(
        line for line in lines if line.startswith("micro-F1 ") and "against mpnet" in line
    )
    difference = float(change.split()[1])
    low, high = (float(x) for x in change.split("paired 95% interval ")[1].split()[0:3:2])
    assert difference == pytest.approx(f1 - own.micro.f1, abs=0.0015)
    assert low - 0.0005 <= difference <= high + 0.0005
