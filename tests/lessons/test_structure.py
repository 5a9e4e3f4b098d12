from __future__ import annotations

from pathlib import Path

from gbo.lessons.documents import read_document
from gbo.lessons.generator import PlannedReview
from gbo.lessons.statement_bank import RECOMMENDS
from gbo.lessons.structure import extract_items


def test_numbered_recommendations_are_extracted_with_their_page(
    small_library: tuple[Path, list[PlannedReview]],
) -> None:
    folder, reviews = small_library
    for review in reviews:
        items = extract_items(read_document(folder / review.file))
        recs = [i for i in items if i.item_type == "recommendation"]
        assert [i.number for i in recs] == [str(n) for n in range(1, len(review.themes) + 1)]
        assert [i.text for i in recs] == [RECOMMENDS[t] for t in review.themes]
        assert all(i.page == len(review.pages) for i in recs)


def test_plain_numbered_paragraphs_count_only_under_an_item_heading(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        "# Background\n\n1. The review began in spring.\n\n"
        "# Findings\n\n1. Records were incomplete.\n\n2.1 Referrals were not followed up.\n\n"
        "Consideration 4: the board may wish to review its data.\n"
    )
    items = extract_items(read_document(tmp_path / "r.txt"))
    assert [(i.item_type, i.number, i.text) for i in items] == [
        ("finding", "1", "Records were incomplete."),
        ("finding", "2.1", "Referrals were not followed up."),
        ("consideration", "4", "the board may wish to review its data."),
    ]
