"""Reading probe files, and the register of versioned probes: what the tests and the benchmark
hold the coder to."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.errors import LessonsError
from gbo.lessons.digest_file import read_digests
from gbo.lessons.evaluation import (
    NOT_FAILING,
    PROBE_KINDS,
    ProbeStatement,
    coded_paragraphs,
    denied_assigned,
    denied_assigned_on_denial,
    digest_scores,
    probe_file,
    read_probe,
    read_register,
    versioned_probe_files,
)
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy
from tests.lessons.csv_files import THEMES, write_csv

DATA = Path(__file__).parents[1] / "data/lessons"


def test_every_registered_probe_is_on_disk_with_its_rows_and_controls() -> None:
    probes = read_register(DATA / "probes.toml")
    assert [p.version for p in probes] == sorted({p.version for p in probes})
    for probe in probes:
        assert len(read_probe(probe_file(DATA, probe.version))) == probe.rows
        controls = probe_file(DATA, probe.version, controls=True)
        assert controls.exists() == (probe.least_control_themes is not None), probe.version
    on_disk = {version for version, _ in versioned_probe_files(DATA)}
    assert on_disk == {p.version for p in probes}


def _table(version: int, use: str) -> str:
    return (
        f'[[probe]]\nversion = {version}\nuse = "{use}"\nstatus = "s"\nrows = 1\n'
        "most_false_positives = 0\n"
    )


@given(st.lists(st.integers(1, 99), unique=True, max_size=6))
def test_the_register_is_read_in_version_order(versions: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        register = Path(folder) / "probes.toml"
        register.write_text("".join(_table(v, "read") for v in versions), encoding="utf-8")
        assert [p.version for p in read_register(register)] == sorted(versions)


@pytest.mark.parametrize(
    "text",
    [
        _table(5, "scored"),  # not a use the register knows
        _table(5, "read") + "guard = 1\n",  # an unknown key
        '[[probe]]\nversion = 5\nuse = "read"\n',  # the guards missing
        "[[probe]\n",  # not TOML
    ],
)
def test_a_bad_register_is_refused_naming_the_file(tmp_path: Path, text: str) -> None:
    register = tmp_path / "probes.toml"
    register.write_text(text, encoding="utf-8")
    with pytest.raises(LessonsError, match="probes.toml"):
        read_register(register)


HEADER = ["statement_id", "kind", "themes", "denied", "text"]


def _write_probe(folder: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    return write_csv(folder / "probe.csv", header, rows)


@st.composite
def _statements(draw: st.DrawFn) -> list[ProbeStatement]:
    found = []
    for i in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(PROBE_KINDS))
        ids = draw(st.lists(st.sampled_from(THEMES), unique=True, max_size=4))
        cut = 0 if kind in NOT_FAILING else draw(st.integers(0, len(ids)))
        text = draw(st.text(min_size=1, max_size=40).filter(lambda t: t.strip() == t and t))
        found.append(
            ProbeStatement(f"S{i:03d}", kind, text, frozenset(ids[:cut]), frozenset(ids[cut:]))
        )
    return found


@given(_statements())
def test_a_probe_reads_back_as_written(statements: list[ProbeStatement]) -> None:
    rows = [
        [s.statement_id, s.kind, "|".join(sorted(s.themes)), "|".join(sorted(s.denied)), s.text]
        for s in statements
    ]
    with tempfile.TemporaryDirectory() as folder:
        assert read_probe(_write_probe(Path(folder), rows), THEMES) == statements


@given(st.text(min_size=1, max_size=12).filter(lambda k: k.strip() not in PROBE_KINDS))
def test_an_unknown_kind_is_refused_naming_its_row_and_column(kind: str) -> None:
    rows = [["S001", "negated", "", "T01", "a"], ["S002", kind, "", "T02", "b"]]
    with (
        tempfile.TemporaryDirectory() as folder,
        pytest.raises(LessonsError, match="row 3, column kind"),
    ):
        read_probe(_write_probe(Path(folder), rows))


@pytest.mark.parametrize(
    ("rows", "header", "where"),
    [
        ([["S001", "negated", "a"]], ["statement_id", "kind", "sentence"], "no text column"),
        ([["S001", "mixed", "T01;T02", "T03", "a"]], HEADER, "row 2, column themes"),
        ([["S001", "mixed", "T01", "T99", "a"]], HEADER, "row 2, column denied"),
        ([["S001", "mixed", "T01", "T01", "a"]], HEADER, "row 2, columns themes and denied"),
        ([["S001", "good", "T04", "", "a"]], HEADER, "row 2, column themes"),
        ([["S001", "negated", "", "T04", "a"], ["S001", "good", "", "T05", "b"]], HEADER,
         "row 3, column statement_id"),
        ([["", "negated", "", "T04", "a"]], HEADER, "row 2, column statement_id"),
        ([["S001", "negated", "", "T04", "  "]], HEADER, "row 2, column text"),
    ],
)  # fmt: skip
def test_a_faulty_probe_is_refused_naming_the_file_and_where(
    tmp_path: Path, rows: list[list[str]], header: list[str], where: str
) -> None:
    with pytest.raises(LessonsError, match=where) as caught:
        read_probe(_write_probe(tmp_path, rows, header), THEMES)
    assert "probe.csv" in str(caught.value)


def test_themes_are_placed_in_the_paragraphs_they_are_found_in(tmp_path: Path) -> None:
    """The real pipeline (keyword cues, no classifier, so no polarity gate) on two digests:
    each theme found is placed in its paragraph, and a theme given on the very paragraph that
    praises it is counted as a denial misread."""
    rows = [
        ["a", "title", "", "", "Review A"],
        ["a", "heading", "", "", "Findings"],
        ["a", "finding", "T06", "", "Agencies worked in silos and nobody owned the case."],
        ["b", "title", "", "", "Review B"],
        ["b", "finding", "T10", "", "The problem profile had not been refreshed for years."],
        ["b", "good_practice", "", "T06", "Multi-agency meetings were well attended by all."],
    ]
    path = write_csv(tmp_path / "d.csv", ["doc_id", "kind", "themes", "denied", "text"], rows)
    documents = read_digests(path, THEMES)
    settings = LessonsSettings(use_embeddings=False)
    coded = coded_paragraphs(load_taxonomy(), documents, settings)
    assert coded[0] == {"T06": frozenset({2})}
    assert coded[1] == {"T10": frozenset({1}), "T06": frozenset({2})}
    assert denied_assigned(documents, [frozenset(c) for c in coded]) == (1, 1)
    assert denied_assigned_on_denial(documents, coded) == 1
    scores = digest_scores(THEMES, documents, coded)
    assert (scores.micro.true_positives, scores.micro.false_positives) == (2, 1)
    assert (scores.denied_given, scores.denied, scores.on_denial) == (1, 1, 1)
    assert [(s.true_positives, s.false_positives) for s in scores.per_document] == [(1, 0), (1, 1)]
    assert scores.line().startswith("precision 0.667, recall 1.000, micro-F1 0.800 (95% interval ")
    assert "1 of 1 denied themes given (share 0.207 to 1.000), 1 on their denial" in scores.line()
    # the same theme given only elsewhere is a confusion, not a denial misread
    elsewhere = [coded[0], {"T10": frozenset({1}), "T06": frozenset({1})}]
    assert denied_assigned_on_denial(documents, elsewhere) == 0
