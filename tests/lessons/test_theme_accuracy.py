"""Each theme's measured accuracy: the packaged figures describe the default coder, are
shown beside its counts, and are never shown beside another coder's."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.errors import LessonsError
from gbo.lessons.classifier import ThemeClassifier
from gbo.lessons.generator import PlannedReview
from gbo.lessons.labelled import (
    SPENT_SETS,
    LabelledDocument,
    LabelledParagraph,
    published_wording_documents,
)
from gbo.lessons.run import analyse_library
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.theme_accuracy import (
    ThemeFigures,
    accuracy_for,
    load_theme_accuracy,
    measure,
    packaged_path,
)
from tests.lessons.outside_sets import TAXONOMY


def _document(doc_id: str, themes: set[str]) -> LabelledDocument:
    paragraph = LabelledParagraph(
        doc_id, "", "train", 1, "finding", frozenset(), frozenset(themes), "A finding."
    )
    return LabelledDocument(doc_id, "", "train", (paragraph,))


def test_counts_are_by_document() -> None:
    documents = [_document("a", {"T01", "T02"}), _document("b", {"T02"}), _document("c", set())]
    predicted = [frozenset({"T01"}), frozenset({"T01", "T02"}), frozenset({"T02"})]
    figures = {f.theme_id: f for f in measure(["T01", "T02", "T03"], documents, predicted)}
    assert (figures["T01"].stated, figures["T01"].found, figures["T01"].given) == (1, 1, 2)
    assert (figures["T02"].stated, figures["T02"].found, figures["T02"].given) == (2, 1, 2)
    assert figures["T03"].recall is None and figures["T03"].recall_interval is None
    assert figures["T02"].recall == 0.5 and figures["T01"].precision == 0.5


@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_found_cannot_exceed_what_was_stated_or_given(stated: int, found: int, given: int) -> None:
    if found <= min(stated, given):
        figures = ThemeFigures(theme_id="T01", stated=stated, found=found, given=given)
        interval = figures.recall_interval
        assert interval is None or interval.low - 1e-12 <= found / stated <= interval.high + 1e-12
    else:
        with pytest.raises(ValueError, match="must lie between 0 and both"):
            ThemeFigures(theme_id="T01", stated=stated, found=found, given=given)


def test_a_faulty_file_names_itself_and_the_field(tmp_path: Path) -> None:
    with pytest.raises(LessonsError, match="no such file; write it again with"):
        load_theme_accuracy(tmp_path / "gone.json")
    bad = tmp_path / "bad.json"
    text = packaged_path().read_text(encoding="utf-8")
    bad.write_text(text.replace('"documents"', '"docs"', 1), encoding="utf-8")
    with pytest.raises(LessonsError, match=r"bad\.json: documents: Field required"):
        load_theme_accuracy(bad)


def test_the_packaged_figures_describe_the_default_coder(classifier: ThemeClassifier) -> None:
    figures = load_theme_accuracy()
    assert figures.inputs_digest == classifier.inputs_digest
    assert figures.taxonomy_version == TAXONOMY.version
    assert [t.theme_id for t in figures.themes] == TAXONOMY.ids
    # measured on the spent sets: every theme they state is counted, document by document
    spent = [
        d
        for d in published_wording_documents()
        if d.doc_id.startswith(sum(SPENT_SETS.values(), ()))
    ]
    assert figures.documents == len(spent)
    stated = {t: sum(t in d.themes for d in spent) for t in TAXONOMY.ids}
    assert {t.theme_id: t.stated for t in figures.themes} == stated
    assert accuracy_for(classifier.describe(), TAXONOMY.version) == figures
    assert accuracy_for({**classifier.describe(), "inputs_digest": "other"}, "2026.2") is None
    assert accuracy_for(classifier.describe(), "another version") is None
    assert accuracy_for(None, TAXONOMY.version) is None  # keyword cues alone


def test_the_page_and_table_show_them_beside_the_counts(
    small_library: tuple[Path, list[PlannedReview]], settings: LessonsSettings
) -> None:
    folder, _ = small_library
    outputs = analyse_library(folder, settings.model_copy(update={"library": folder}))
    html = outputs.files["lessons.html"]
    assert "Found where a review states it (measured)" in html
    assert "A theme the coder often misses is undercounted here" in html
    figures = load_theme_accuracy().by_theme()
    rows = list(csv.DictReader(io.StringIO(outputs.files["theme_recurrence.csv"])))
    assert len(rows) == len(TAXONOMY.ids)
    for row in rows:
        theme = figures[row["theme_id"]]
        assert int(row["measured_stated"]) == theme.stated
        assert int(row["measured_found"]) == theme.found
        if theme.stated:
            assert f"{theme.found} of {theme.stated} (" in html
            assert float(row["measured_recall_low"]) <= float(row["measured_recall"])


def test_no_figures_beside_another_coders_counts(
    small_library: tuple[Path, list[PlannedReview]],
) -> None:
    folder, _ = small_library
    outputs = analyse_library(folder, LessonsSettings(library=folder, use_embeddings=False))
    assert "No measured accuracy by theme is shown" in outputs.files["lessons.html"]
    assert "Found where a review states it" not in outputs.files["lessons.html"]
    rows = list(csv.DictReader(io.StringIO(outputs.files["theme_recurrence.csv"])))
    assert rows and all(r["measured_stated"] == r["measured_recall"] == "" for r in rows)
