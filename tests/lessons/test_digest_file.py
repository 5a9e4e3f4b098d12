"""Reading an analyst's own labelled digests (``gbo lessons evaluate --digests``), and the
denied themes a document's predicted themes include."""

from __future__ import annotations

import re
import tempfile
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from gbo.cli import app
from gbo.errors import LessonsError
from gbo.lessons.digest_file import read_digests
from gbo.lessons.evaluation import denied_assigned
from gbo.lessons.labelled import (
    DENYING_KINDS,
    PARAGRAPH_KINDS,
    LabelledDocument,
    labelled_documents,
)
from tests.lessons.csv_files import THEMES, write_csv

HEADER = ["doc_id", "line", "kind", "themes", "denied", "text"]


def _write(folder: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    return write_csv(folder / "digests.csv", header, rows)


@pytest.mark.parametrize("name", ["labelled_reviews.csv", "other_hands_reviews.csv"])
def test_gbos_own_digests_read_as_an_analysts_file_give_the_same_documents(name: str) -> None:
    """The repository's labelled digests are in the format an analyst writes: read by the
    analyst's reader they give the same documents, paragraphs, themes and denied themes."""
    with resources.as_file(resources.files("gbo.lessons") / "data" / name) as path:
        own = read_digests(path, THEMES)
    shipped = {d.doc_id: d for d in labelled_documents()}
    assert len(own) >= 40
    for mine in own:
        theirs = shipped[mine.doc_id]
        assert (mine.themes, mine.denied_only, mine.source) == (
            theirs.themes,
            theirs.denied_only,
            theirs.source,
        )
        assert [(p.line, p.kind, p.text) for p in mine.paragraphs] == [
            (p.line, p.kind, " ".join(p.text.split())) for p in theirs.paragraphs
        ]


@st.composite
def _documents(draw: st.DrawFn) -> list[list[tuple[str, frozenset[str], frozenset[str], str]]]:
    documents = []
    for _ in range(draw(st.integers(1, 4))):
        paragraphs = []
        for _ in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(PARAGRAPH_KINDS))
            ids = frozenset(draw(st.lists(st.sampled_from(THEMES), max_size=3)))
            themes = ids if kind == "finding" else frozenset()
            denied = ids if kind in DENYING_KINDS else frozenset()
            if kind == "finding" and draw(st.booleans()):  # a mixed paragraph
                denied = frozenset(draw(st.lists(st.sampled_from(THEMES), max_size=2))) - ids
            words = draw(st.lists(st.text("abcxyz ,.;'\"", min_size=1, max_size=8), min_size=1))
            text = " ".join(" ".join(words).split()) or "x"
            paragraphs.append((kind, themes, denied, text))
        documents.append(paragraphs)
    return documents


@given(_documents())
def test_digests_read_back_as_written(
    documents: list[list[tuple[str, frozenset[str], frozenset[str], str]]],
) -> None:
    rows = [
        [f"doc_{d}", str(line), kind, "|".join(sorted(themes)), "|".join(sorted(denied)), text]
        for d, paragraphs in enumerate(documents)
        for line, (kind, themes, denied, text) in enumerate(paragraphs, start=1)
    ]
    with tempfile.TemporaryDirectory() as folder:
        read = read_digests(_write(Path(folder), rows), THEMES)
    assert [d.doc_id for d in read] == [f"doc_{d}" for d in range(len(documents))]
    for doc, paragraphs in zip(read, documents, strict=True):
        assert [(p.kind, p.themes, p.denied, p.text) for p in doc.paragraphs] == paragraphs
        assert [p.line for p in doc.paragraphs] == list(range(1, len(paragraphs) + 1))
        assert doc.themes == frozenset().union(*(t for _, t, _, _ in paragraphs))


@given(st.text(min_size=1, max_size=12).filter(lambda k: k.strip() not in PARAGRAPH_KINDS))
def test_an_unknown_kind_is_refused_naming_its_row_and_column(kind: str) -> None:
    rows = [["a", "1", "title", "", "", "A review"], ["a", "2", kind, "", "", "b"]]
    with (
        tempfile.TemporaryDirectory() as folder,
        pytest.raises(LessonsError, match="row 3, column kind"),
    ):
        read_digests(_write(Path(folder), rows))


@pytest.mark.parametrize(
    ("rows", "header", "where"),
    [
        ([["a", "finding", "x"]], ["doc_id", "kind", "paragraph"], "no text column"),
        ([["a", "1", "finding", "T01;T02", "", "x"]], HEADER, "row 2, column themes"),
        ([["a", "1", "negated", "", "T99", "x"]], HEADER, "row 2, column denied"),
        ([["a", "1", "negated", "T04", "", "x"]], HEADER, "row 2, column themes: a negated"),
        ([["a", "1", "heading", "", "T05", "x"]], HEADER, "row 2, column denied: a heading"),
        ([["a", "1", "finding", "T04|T05", "T05", "x"]], HEADER, "row 2, column denied: T05 is"),
        ([["a", "one", "finding", "T04", "", "x"]], HEADER, "row 2, column line"),
        ([["../a", "1", "finding", "T04", "", "x"]], HEADER, "row 2, column doc_id"),
        ([["a", "1", "finding", "T04", "", "  "]], HEADER, "row 2, column text"),
        ([["a", "1", "finding", "T04", "", "x"], ["b", "1", "finding", "", "", "y"],
          ["a", "2", "finding", "", "", "z"]], HEADER, "row 4, column doc_id: the rows of 'a'"),
        ([], HEADER, "no rows"),
    ],
)  # fmt: skip
def test_a_faulty_digests_file_is_refused_naming_the_file_and_where(
    tmp_path: Path, rows: list[list[str]], header: list[str], where: str
) -> None:
    with pytest.raises(LessonsError, match=where) as caught:
        read_digests(_write(tmp_path, rows, header), THEMES)
    assert "digests.csv" in str(caught.value)


def test_without_a_line_column_paragraphs_are_numbered_within_their_document(
    tmp_path: Path,
) -> None:
    rows = [["a", "title", "A"], ["a", "finding", "x"], ["b", "title", "B"]]
    documents = read_digests(_write(tmp_path, rows, ["doc_id", "kind", "text"]))
    assert [[p.line for p in d.paragraphs] for d in documents] == [[1, 2], [1]]


def test_a_missing_digests_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LessonsError, match="not found"):
        read_digests(tmp_path / "absent.csv")


def test_denied_themes_assigned_count_only_themes_a_document_never_states(
    tmp_path: Path,
) -> None:
    rows = [
        ["a", "1", "finding", "T01", "", "x"],
        ["a", "2", "negated", "", "T01|T02", "y"],  # T01 is stated too: not denied only
        ["b", "1", "good_practice", "", "T03", "z"],
        ["b", "2", "finding", "T04", "", "w"],
        ["b", "3", "hedged", "", "T05", "v"],  # a failing left open counts as denied
    ]
    documents: list[LabelledDocument] = read_digests(_write(tmp_path, rows), THEMES)
    assert [d.denied_only for d in documents] == [
        frozenset({"T02"}),
        frozenset({"T03", "T05"}),
    ]
    predicted = [frozenset({"T01", "T02"}), frozenset({"T04", "T05"})]
    assert denied_assigned(documents, predicted) == (2, 3)


def test_a_mixed_finding_denies_what_it_does_not_state(tmp_path: Path) -> None:
    rows = [
        ["a", "1", "finding", "T07", "T11", "no wilful neglect, but little curiosity"],
        ["a", "2", "negated", "", "T07", "y"],  # T07 is stated in the mixed row
    ]
    (document,) = read_digests(_write(tmp_path, rows), THEMES)
    assert document.themes == {"T07"}
    assert document.denied_only == {"T11"}
    assert denied_assigned([document], [frozenset({"T07", "T11"})]) == (1, 1)


def test_cli_refuses_a_faulty_digests_file_before_coding(tmp_path: Path) -> None:
    path = _write(tmp_path, [["a", "1", "heading", "T01", "", "Findings"]])
    result = CliRunner().invoke(app, ["lessons", "evaluate", "--digests", str(path)])
    said = "".join(result.output.split())  # the console wraps long lines wherever it likes
    assert result.exit_code == 2
    assert "digests.csv:row2,columnthemes:aheadingparagraphstatesnofailing" in said
    assert "Traceback" not in said


def test_cli_takes_a_split_or_digests_not_both(tmp_path: Path) -> None:
    path = _write(tmp_path, [["a", "1", "finding", "T01", "", "x"]])
    result = CliRunner().invoke(
        app, ["lessons", "evaluate", "--digests", str(path), "--split", "dev"]
    )
    assert result.exit_code == 2
    assert "not both" in result.output


@pytest.mark.parametrize("command", ["evaluate", "run"])
def test_cli_refuses_published_wording_without_the_classifier(tmp_path: Path, command: str) -> None:
    where = [str(tmp_path)] if command == "run" else []
    result = CliRunner().invoke(
        app, ["lessons", command, *where, "--published-wording", "--no-embeddings"]
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 2
    assert "--no-embeddings turns off" in said
    assert "Traceback" not in said


@pytest.mark.parametrize(
    ("asked", "embeddings", "setting"),
    [(None, True, True), (None, False, False), (False, True, False), (True, True, True)],
)
def test_cli_trains_on_published_wording_whenever_the_classifier_is_used_unless_told_not(
    asked: bool | None, embeddings: bool, setting: bool
) -> None:
    from gbo.lessons.cli import _published_wording

    assert _published_wording(asked, embeddings) is setting


def test_cli_says_where_the_denied_themes_it_assigned_were_found(tmp_path: Path) -> None:
    """Keyword cues alone (no polarity gate): the praised theme is given on its praise. With
    two documents, micro-F1 has an interval as well as the share of denied themes."""
    path = _write(
        tmp_path,
        [
            ["a", "1", "title", "", "", "Review A"],
            ["a", "2", "finding", "T10", "", "The problem profile had not been refreshed."],
            ["a", "3", "good_practice", "", "T06", "Multi-agency meetings were well attended."],
            ["b", "1", "title", "", "", "Review B"],
            ["b", "2", "finding", "T10", "", "The problem profile had not been refreshed."],
        ],
    )
    result = CliRunner().invoke(
        app, ["lessons", "evaluate", "--digests", str(path), "--no-embeddings"]
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "denied themes: 1 of 1 assigned" in said
    assert "1 of them found in the paragraph that denies them" in said
    assert "share's 95% interval, documents as clusters, 0.207 to 1.000" in said
    assert "micro-F1, 95% interval resampling the documents: 0.667 to 1.000" in said
    probe = re.search(
        r"negation probe: (\d+) false positive\(s\) in 84 statements "
        r"\(share's 95% interval (\S+) to (\S+);",
        said,
    )
    assert probe is not None
    assert float(probe[2]) <= int(probe[1]) / 84 <= float(probe[3])
