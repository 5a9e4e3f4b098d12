"""A synthetic library of case reviews, for the demo, the tests and the benchmark.

Each review has a title page, an introduction, findings composed from statements that show
some themes and say others were not found, neutral text padding it to length, and numbered
recommendations. Reviews alternate between PDF (fpdf2) and DOCX (python-docx). The planted
themes are written to ``planted_themes.csv`` beside ``library.csv`` for tests. All of it is
generated from a seed and has no real-world meaning.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from gbo.lessons.library import METADATA_COLUMNS, METADATA_FILE
from gbo.lessons.statement_bank import AGENCIES, NEUTRAL, NOT_FOUND, RECOMMENDS, SHOWS
from gbo.progress import Progress, SilentProgress

REVIEW_TYPES = ("Child safeguarding practice review", "Serious case review", "Thematic review")
PARAGRAPHS_PER_PAGE = 6


@dataclass(frozen=True)
class PlannedReview:
    file: str
    title: str
    area: str
    year: int
    review_type: str
    themes: tuple[str, ...]
    pages: list[list[tuple[str, str]]]  # per page: (kind, text), kind heading or body


def neutral(rng: random.Random) -> str:
    template = rng.choice(NEUTRAL)
    return template.format(
        n=rng.randint(2, 60), year=rng.randint(2008, 2025), agency=rng.choice(AGENCIES)
    )


def plan_review(rng: random.Random, number: int, pages: int) -> PlannedReview:
    themes = tuple(sorted(rng.sample(sorted(SHOWS), k=rng.randint(3, 6))))
    negated = [t for t in sorted(NOT_FOUND) if t not in themes]
    review_type = rng.choice(REVIEW_TYPES)
    area, year = f"Area {rng.randint(1, 8)}", rng.randint(2012, 2025)
    title = f"{review_type}: {area}, review {number}"
    body: list[tuple[str, str]] = [("heading", "1. Introduction"), ("body", neutral(rng))]
    body.append(("heading", "2. Findings"))
    for theme in themes:
        body.append(("body", " ".join(SHOWS[theme]) + " " + neutral(rng)))
    for theme in rng.sample(negated, k=min(2, len(negated))):
        body.append(("body", NOT_FOUND[theme][0] + " " + neutral(rng)))
    filler_needed = max(0, pages * PARAGRAPHS_PER_PAGE - len(body) - len(themes) - 2)
    body += [("body", " ".join(neutral(rng) for _ in range(3))) for _ in range(filler_needed)]
    body.append(("heading", "3. Recommendations"))
    for i, theme in enumerate(themes, start=1):
        body.append(("body", f"Recommendation {i}: {RECOMMENDS[theme]}"))
    split = [body[i : i + PARAGRAPHS_PER_PAGE] for i in range(0, len(body), PARAGRAPHS_PER_PAGE)]
    suffix = "pdf" if number % 2 else "docx"
    return PlannedReview(
        f"review_{number:03d}.{suffix}", title, area, year, review_type, themes, split
    )


def write_pdf(review: PlannedReview, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(review.title)
    for page in review.pages:
        pdf.add_page()
        for kind, text in page:
            pdf.set_font("Helvetica", style="B" if kind == "heading" else "", size=11)
            pdf.multi_cell(0, 6, text)
            pdf.ln(4)
    pdf.output(str(path))


def write_docx(review: PlannedReview, path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = review.title
    for page_number, page in enumerate(review.pages):
        if page_number:
            document.add_page_break()  # type: ignore[no-untyped-call]
        for kind, text in page:
            if kind == "heading":
                document.add_heading(text, level=1)
            else:
                document.add_paragraph(text)
    document.save(str(path))


def write_library(
    out_dir: Path,
    n_documents: int = 6,
    pages: int = 4,
    seed: int = 7,
    progress: Progress | None = None,
) -> list[PlannedReview]:
    """Write ``n_documents`` reviews of about ``pages`` pages each, with ``library.csv``."""
    progress = progress or SilentProgress()
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    reviews = [plan_review(rng, n, pages) for n in range(1, n_documents + 1)]
    with progress.task("Writing case reviews", total=len(reviews)) as task:
        for review in reviews:
            writer = write_pdf if review.file.endswith(".pdf") else write_docx
            writer(review, out_dir / review.file)
            task.advance()
    with (out_dir / METADATA_FILE).open("w", encoding="utf-8", newline="") as fh:
        writer_csv = csv.writer(fh)
        writer_csv.writerow(METADATA_COLUMNS)
        for r in reviews:
            writer_csv.writerow([r.file, r.title, r.area, r.year, r.review_type])
    with (out_dir / "planted_themes.csv").open("w", encoding="utf-8", newline="") as fh:
        writer_csv = csv.writer(fh)
        writer_csv.writerow(["file", "themes"])
        for r in reviews:
            writer_csv.writerow([r.file, "|".join(r.themes)])
    return reviews
