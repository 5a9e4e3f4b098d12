from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from gbo.cli import app
from gbo.errors import LessonsError
from gbo.lessons.decisions import read_decisions
from gbo.lessons.generator import PlannedReview
from gbo.lessons.run import analyse_library
from gbo.lessons.settings import LessonsSettings


def _settings(library: Path, **extra: object) -> LessonsSettings:
    return LessonsSettings(library=library, use_embeddings=False, **extra)  # type: ignore[arg-type]


def test_runs_are_deterministic(small_library: tuple[Path, list[PlannedReview]]) -> None:
    folder, _ = small_library
    first = analyse_library(folder, _settings(folder))
    second = analyse_library(folder, _settings(folder))
    for name, table in first.tables.items():
        assert table.equals(second.tables[name]), name
    assert first.candidates_csv == second.candidates_csv


def test_planted_themes_are_recovered_and_negated_ones_are_not(
    small_library: tuple[Path, list[PlannedReview]],
) -> None:
    folder, reviews = small_library
    outputs = analyse_library(folder, _settings(folder))
    documents = outputs.tables["documents"].to_pylist()
    doc_file = {d["doc_id"]: d["file"] for d in documents}
    found: dict[str, set[str]] = {r.file: set() for r in reviews}
    for row in outputs.tables["theme_review_matrix"].to_pylist():
        found[doc_file[row["doc_id"]]].add(row["theme_id"])
    for review in reviews:
        assert found[review.file] == set(review.themes), review.file


def test_recurrence_table_counts_reviews_per_theme(
    small_library: tuple[Path, list[PlannedReview]],
) -> None:
    folder, reviews = small_library
    outputs = analyse_library(folder, _settings(folder))
    rows = [
        r
        for r in outputs.tables["tables"].to_pylist()
        if r["table_id"] == "lessons_theme_recurrence" and r["breakdown"] == "All"
    ]
    from gbo.lessons.taxonomy import load_taxonomy

    titles = {t.theme_id: t.title for t in load_taxonomy().themes}
    for theme_id, title in titles.items():
        expected = sum(theme_id in r.themes for r in reviews)
        row = next(r for r in rows if r["category"] == title)
        assert (row["count"], row["denominator"]) == (expected, len(reviews))
        if expected:
            assert row["ci_lower"] <= row["pct_of_all"] <= row["ci_upper"]
    assert set(outputs.tables_metadata) == {
        "lessons_theme_recurrence",
        "lessons_themes_by_year",
        "lessons_themes_by_area",
    }
    excerpts = outputs.tables["excerpts"].to_pylist()
    assert excerpts and all(e["page"] >= 1 and e["title"] for e in excerpts)


def test_analyst_decisions_round_trip_through_csv(
    small_library: tuple[Path, list[PlannedReview]], tmp_path: Path
) -> None:
    folder, _ = small_library
    first = analyse_library(folder, _settings(folder))
    rows = list(csv.DictReader(io.StringIO(first.candidates_csv)))
    rows[0]["decision"], rows[1]["decision"] = "accept", "reject"
    edited = tmp_path / "decisions.csv"
    with edited.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    second = analyse_library(folder, _settings(folder, decisions_file=edited))
    status = {
        a["assignment_id"]: a["status"] for a in second.tables["theme_assignment"].to_pylist()
    }
    assert status[rows[0]["assignment_id"]] == "confirmed"
    assert status[rows[1]["assignment_id"]] == "rejected"
    assert second.summary["confirmed"] == 1 and second.summary["rejected"] == 1
    assert second.summary["decisions_applied"] == 2
    again = list(csv.DictReader(io.StringIO(second.candidates_csv)))
    assert again[0]["decision"] == "accept" and again[1]["decision"] == "reject"


def test_a_bad_decision_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("assignment_id,decision\nasg_1,accept\nasg_2,maybe\n")
    with pytest.raises(LessonsError, match="row 3, column decision"):
        read_decisions(path)


def test_cli_makes_a_library_and_codes_it(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(
        app, ["lessons", "make-library", str(tmp_path / "lib"), "--documents", "2", "--pages", "2"]
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        app,
        [
            "lessons",
            "run",
            str(tmp_path / "lib"),
            "--out",
            str(tmp_path / "out"),
            "--no-embeddings",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(tmp_path / "out")
    assert pq.read_table(tmp_path / "out" / "documents.parquet").num_rows == 2
    missing = runner.invoke(app, ["lessons", "run", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "not a folder" in missing.output


@pytest.mark.slow
def test_embedding_coder_meets_its_target_on_the_labelled_set() -> None:
    from gbo.lessons.coding import embedding_coder
    from gbo.lessons.evaluation import (
        predict_passage_themes,
        read_labelled_passages,
        score_predictions,
    )
    from gbo.lessons.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    settings = LessonsSettings()
    coder = embedding_coder(taxonomy, settings.embedding_threshold, settings.embedding_top_k)
    passages = read_labelled_passages(
        Path(__file__).parents[1] / "data/lessons/labelled_passages.csv"
    )
    _, micro = score_predictions(
        taxonomy, passages, predict_passage_themes(taxonomy, passages, coder)
    )
    assert micro.f1 >= 0.75
    negated = [p for p in passages if not p.themes]
    predicted = predict_passage_themes(taxonomy, negated, coder)
    assert sum(bool(p) for p in predicted) <= 1
