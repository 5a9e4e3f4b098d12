"""The outside reader reads every number and bounded phrase of every published text.

Three releases made by hand, each giving a figure away only in text the reader did not
read before: a count of a withheld cell in a sentence of the table's section, a share of a
stated whole in the workbook's cover sheet, and "fewer than 5" in a note that the data
quality page's rows without a date narrow further.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd

from gbo.quality.page import render_quality_page
from tests.disclosure.attacker import Finding, attack_tables, solve
from tests.disclosure.attacker_pages import add_quality_page, small_counts_in_text
from tests.disclosure.attacker_text import published_texts, read_every_text

SEX = pd.DataFrame(
    [
        ["victims_sex", "All", "Female", "False", "[c]", "60"],
        ["victims_sex", "All", "Male", "False", "[c]", "60"],
        ["victims_sex", "All", "Not recorded", "True", "55", "60"],
    ],
    columns=["table_id", "breakdown", "category", "is_not_recorded", "count_display",
             "denominator_display"],
).assign(pct_of_all_display="[c]", pct_of_recorded_display="[c]")  # fmt: skip


def _release(folder: Path, section: str = "", note: str = "", cover: str = "") -> None:
    (folder / "report").mkdir(parents=True)
    (folder / "report" / "index.html").write_text(
        "<html><body>"
        '<section class="gbo-table-block" id="table-victims-sex">'
        f'<p>{section}</p></section><ol><li id="note-1">{note}</li></ol></body></html>',
        encoding="utf-8",
    )
    manifest = {"tables": [{"number": 1, "sheet": "T1", "table_id": "victims_sex"}]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active.append([cover])
    book.save(folder / "tables.xlsx")


def _attack(folder: Path, k: int = 5) -> tuple[list[Finding], list[str]]:
    tables = {"victims_sex": SEX}
    attack = attack_tables(tables, {"victims_sex": "Victims"}, {}, {"victims_sex": True}, k)
    page = folder / "report" / "data-quality.html"
    if page.exists():
        add_quality_page(attack, page, k)
    read_every_text(attack, folder, tables, k)
    attack.small_shown += small_counts_in_text(folder, k, published_texts(folder))
    narrow, _ = solve(attack, k)
    return narrow, attack.small_shown


def test_a_sentence_giving_a_withheld_cell_is_read(tmp_path: Path) -> None:
    _release(tmp_path, section="The largest published category is Female (3 people).")
    narrow, _ = _attack(tmp_path)
    assert {(f.cell[-1], f.low, f.high) for f in narrow} == {("Female", 3, 3), ("Male", 2, 2)}


def test_a_share_in_the_workbook_cover_is_read(tmp_path: Path) -> None:
    _release(tmp_path, cover="In all, 99.6% of 250 records were linked.")
    _, shown = _attack(tmp_path)
    assert any("xlsx/Cover" in s and "99.6% of 250" in s for s in shown), shown


def test_fewer_than_k_in_a_note_is_narrowed_by_the_page(tmp_path: Path) -> None:
    # the page: 2 of the 100 event rows have no date, so "fewer than 5" contacts is 1 or 2
    _release(tmp_path, note="fewer than 5 victims' contacts have no date.")
    page = {
        "completeness": [
            {"agency": "police", "table": "event", "field": "event_date", "n": 100,
             "n_recorded": 98, "share_recorded": 0.98}
        ],
        "withheld_below": 5,
    }  # fmt: skip
    html = render_quality_page(**page)
    (tmp_path / "report" / "data-quality.html").write_text(html, encoding="utf-8")
    narrow, _ = _attack(tmp_path)
    assert [(f.low, f.high) for f in narrow if f.cell[0] == "text"] == [(1, 2)]


def test_a_percentage_after_a_share_is_not_its_whole(tmp_path: Path) -> None:
    """ "7.4% of offences by lone offenders (95% confidence interval ...)": 95 is a
    percentage, not the number the share is of (a false alarm at k = 10 on a world of 2,000
    records, seed 52)."""
    _release(
        tmp_path,
        cover="against 7.4% of offences by lone offenders (95% confidence interval 4.5% to "
        "11.8%); their 95% confidence intervals overlap",
    )
    _, shown = _attack(tmp_path, k=10)  # 7.4% of 95 would be 7, below 10
    assert not any("of 95" in s for s in shown), shown
