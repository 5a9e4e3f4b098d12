from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from gbo.errors import LessonsError
from gbo.lessons.documents import read_document
from gbo.lessons.generator import PlannedReview


def _page_of(doc_path: Path, text: str) -> int:
    document = read_document(doc_path)
    pages = [p.page for p in document.paragraphs if p.text == text]
    assert pages, f"{text!r} not found in {doc_path.name}"
    return pages[0]


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_pages_are_numbered_as_written(
    small_library: tuple[Path, list[PlannedReview]], suffix: str
) -> None:
    folder, reviews = small_library
    review = next(r for r in reviews if r.file.endswith(suffix))
    for page_number, page in enumerate(review.pages, start=1):
        kind, text = next((k, t) for k, t in page if k == "body")
        assert _page_of(folder / review.file, text) == page_number
    assert read_document(folder / review.file).n_pages == len(review.pages)


def test_docx_headings_keep_their_level(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", level=2)
    document.add_paragraph("Information was not shared between agencies.")
    document.save(str(tmp_path / "r.docx"))
    paragraphs = read_document(tmp_path / "r.docx").paragraphs
    assert [(p.heading_level, p.text) for p in paragraphs] == [
        (2, "Findings"),
        (0, "Information was not shared between agencies."),
    ]


def test_html_and_text_are_read_with_pages(tmp_path: Path) -> None:
    (tmp_path / "r.html").write_text(
        "<html><head><style>p{}</style></head><body><h1>Review</h1>"
        "<p>First finding.</p><ul><li>Second point.</li></ul><script>x()</script></body></html>"
    )
    html = read_document(tmp_path / "r.html")
    assert [(p.heading_level, p.text) for p in html.paragraphs] == [
        (1, "Review"),
        (0, "First finding."),
        (0, "Second point."),
    ]
    (tmp_path / "r.txt").write_text("# Title\n\nOn page one.\n\fOn page two,\nwrapped.\n")
    text = read_document(tmp_path / "r.txt")
    assert [(p.page, p.text) for p in text.paragraphs] == [
        (1, "Title"),
        (1, "On page one."),
        (2, "On page two, wrapped."),
    ]


def test_a_pdf_without_a_text_layer_is_reported(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(tmp_path / "scan.pdf"))
    document = read_document(tmp_path / "scan.pdf")
    assert document.has_text_layer is False
    assert document.problem is not None and "no text layer" in document.problem


def test_unreadable_and_unsupported_files_are_errors_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    with pytest.raises(LessonsError, match="broken.pdf"):
        read_document(tmp_path / "broken.pdf")
    (tmp_path / "notes.rtf").write_text("{\\rtf1}")
    with pytest.raises(LessonsError, match="unsupported document type"):
        read_document(tmp_path / "notes.rtf")


def test_text_without_blank_lines_gives_a_paragraph_per_sentence_line_and_page_markers(
    tmp_path: Path,
) -> None:
    (tmp_path / "r.txt").write_text(
        "REVIEW OF PRACTICE\n"
        "The first finding is stated on one line.\n"
        "The second finding is wrapped over\n"
        "two lines.\n"
        "--- Page 2 ---\n"
        "A finding on the second page.\n"
    )
    doc = read_document(tmp_path / "r.txt")
    assert [(p.page, p.number, p.text) for p in doc.paragraphs if not p.heading_level] == [
        (1, 2, "The first finding is stated on one line."),
        (1, 3, "The second finding is wrapped over two lines."),
        (2, 4, "A finding on the second page."),
    ]
    assert doc.n_pages == 2


LIST_TEXT = (
    "The panel found the following:\n"
    "- Strategy meetings not held after the second referral\n"
    "- Risk assessments not updated when the young person moved\n"
    "  to a new placement\n"
    "Each of these is taken up in the recommendations.\n"
)


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_bullet_items_are_paragraphs_of_their_own(tmp_path: Path, gap: str) -> None:
    (tmp_path / "r.txt").write_text(LIST_TEXT.replace("following:\n", "following:" + gap))
    paragraphs = read_document(tmp_path / "r.txt").paragraphs
    assert [(p.list_item, p.text) for p in paragraphs] == [
        (False, "The panel found the following:"),
        (True, "- Strategy meetings not held after the second referral"),
        (True, "- Risk assessments not updated when the young person moved to a new placement"),
        (False, "Each of these is taken up in the recommendations."),
    ]


def test_html_and_docx_list_items_are_marked(tmp_path: Path) -> None:
    (tmp_path / "r.html").write_text(
        "<p>Findings:</p><ul><li>Strategy meetings not held</li><li>Plans not updated</li></ul>"
    )
    html = read_document(tmp_path / "r.html").paragraphs
    assert [p.list_item for p in html] == [False, True, True]
    document = docx.Document()
    document.add_paragraph("Findings:")
    document.add_paragraph("Strategy meetings not held", style="List Bullet")
    document.save(str(tmp_path / "r.docx"))
    assert [p.list_item for p in read_document(tmp_path / "r.docx").paragraphs] == [False, True]
