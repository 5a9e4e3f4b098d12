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
    return LessonsSettings(library=library, use_embeddings=False, **extra)


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
    path.write_text("assignment_id,note\nasg_1,fine\n")
    with pytest.raises(LessonsError, match="the decisions file has no decision column"):
        read_decisions(path)
    with pytest.raises(LessonsError, match="decisions file not found"):
        read_decisions(tmp_path / "gone.csv")


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


def test_cli_refuses_a_faulty_probe_before_coding(tmp_path: Path) -> None:
    probe = tmp_path / "mine.csv"
    probe.write_text("statement_id,kind,themes,denied,text\nS1,negated,,T01;T02,a\n")
    result = CliRunner().invoke(app, ["lessons", "evaluate", "--probe", str(probe)])
    said = "".join(result.output.split())  # the console wraps long lines wherever it likes
    assert result.exit_code == 2
    assert "mine.csv:row2,columndenied:'T01;T02'isnotathemeid" in said
    assert "Traceback" not in said


def test_standalone_outputs_mark_machine_only_findings(
    small_library: tuple[Path, list[PlannedReview]], tmp_path: Path
) -> None:
    folder, _ = small_library
    first = analyse_library(folder, _settings(folder))
    rows = list(csv.DictReader(io.StringIO(first.candidates_csv)))
    assert {"file", "page", "paragraph", "sentence"} <= set(rows[0])
    assert all(r["file"].startswith("review_") and int(r["paragraph"]) >= 1 for r in rows)
    accepted = rows[0]
    accepted["decision"] = "accept"
    edited = tmp_path / "decisions.csv"
    with edited.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(accepted))
        writer.writeheader()
        writer.writerows(rows)
    outputs = analyse_library(folder, _settings(folder, decisions_file=edited))
    html = outputs.files["lessons.html"]
    assert "machine only, not yet accepted" in html and "accepted by an analyst" in html
    evidence = list(csv.DictReader(io.StringIO(outputs.files["evidence.csv"])))
    status = {r["assignment_id"]: r["status"] for r in evidence}
    assert status[accepted["assignment_id"]] == "accepted by an analyst"
    assert sum(s == "machine only, not yet accepted" for s in status.values()) == len(status) - 1
    recurrence = list(csv.DictReader(io.StringIO(outputs.files["theme_recurrence.csv"])))
    by_theme = {r["theme_id"]: r for r in recurrence}
    theme = by_theme[accepted["theme_id"]]
    assert int(theme["accepted"]) == 1 and theme["quote_status"] == "accepted by an analyst"
    assert all(int(r["reviews"]) == int(r["accepted"]) + int(r["machine_only"]) for r in recurrence)
    assert all(", paragraph " in r["quote_location"] for r in recurrence if r["quote"])


def test_cli_run_writes_a_page_and_csv_tables(
    small_library: tuple[Path, list[PlannedReview]], tmp_path: Path
) -> None:
    folder, _ = small_library
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["lessons", "run", str(folder), "--out", str(out_dir), "--no-embeddings"]
    )
    assert result.exit_code == 0, result.output
    for name in ("lessons.html", "theme_recurrence.csv", "evidence.csv", "candidates.csv"):
        assert (out_dir / name).stat().st_size > 0, name
    assert (out_dir / "lessons.html").read_text().startswith("<!DOCTYPE html>")


def test_a_missing_probe_file_is_a_lessons_error(tmp_path: Path) -> None:
    from gbo.lessons.evaluation import read_probe

    with pytest.raises(LessonsError, match="negation probe not found"):
        read_probe(tmp_path / "nowhere.csv")


def test_cli_refuses_an_unknown_sentence_model() -> None:
    result = CliRunner().invoke(app, ["lessons", "evaluate", "--encoder", "bert"])
    assert result.exit_code == 2
    words = [w for w in result.output.split() if w.strip("│╭╮╰╯─")]
    assert "'bert' is not one of 'minilm', 'mpnet'" in " ".join(words)
