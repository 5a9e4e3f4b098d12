"""Lessons: coder accuracy on the labelled sets, and throughput on 100 reviews of 50 pages.

Targets: micro F1 >= 0.75 on the labelled set; 100 documents of 50 pages in <= 5 minutes.
The throughput library is generated once into ``bench-data/lessons-100x50`` (not timed).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.measure import measure, report
from gbo.lessons.coding import embedding_coder
from gbo.lessons.evaluation import predict_passage_themes, read_labelled_passages, score_predictions
from gbo.lessons.generator import write_library
from gbo.lessons.run import analyse_library
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests/data/lessons"
LIBRARY = ROOT / "bench-data/lessons-100x50"


def accuracy() -> None:
    taxonomy = load_taxonomy()
    settings = LessonsSettings()
    coder = embedding_coder(taxonomy, settings.embedding_threshold, settings.embedding_top_k)
    for name, note in (
        ("labelled_passages.csv", "development set: rules were refined while reading it"),
        ("labelled_passages_holdout.csv", "held-out set: not used to refine the rules"),
    ):
        passages = read_labelled_passages(LABELLED / name)
        for label, embedder in (("keywords only", None), ("keywords + embeddings", coder)):
            per_theme, micro = score_predictions(
                taxonomy, passages, predict_passage_themes(taxonomy, passages, embedder)
            )
            print(
                f"{name} ({len(passages)} passages; {note}), {label}: micro precision "
                f"{micro.precision:.3f}, recall {micro.recall:.3f}, F1 {micro.f1:.3f}"
                f"{'   (target F1 >= 0.75)' if embedder else ''}"
            )
        print("  per theme (keywords + embeddings):")
        for theme_id, s in per_theme.items():
            print(f"    {theme_id} P {s.precision:.2f} R {s.recall:.2f} F1 {s.f1:.2f}")


def throughput() -> None:
    if not (LIBRARY / "library.csv").exists():
        print("generating 100 reviews of 50 pages (once, not timed) ...", flush=True)
        write_library(LIBRARY, n_documents=100, pages=50, seed=3)
    settings = LessonsSettings(library=LIBRARY)
    embedding_coder(load_taxonomy(), settings.embedding_threshold, settings.embedding_top_k)
    with measure() as m:
        outputs = analyse_library(LIBRARY, settings)
    s = outputs.summary
    print(
        f"read and coded {s['documents']} documents, {s['sentences']} sentences, "
        f"{s['assignments']} assignments"
    )
    report("lessons: 100 documents x 50 pages", m, "<= 300 s")


def main() -> None:
    accuracy()
    throughput()


if __name__ == "__main__":
    main()
