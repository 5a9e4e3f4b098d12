"""A source column holding whole names, split by ``name_part`` and ``name_order``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.errors import MappingError
from gbo.ingest.column_sql import name_part_sql
from gbo.ingest.mapping_files import load_mapping
from tests.ingest.exports import assert_reconciled, csv_text, ingest

_CON = duckdb.connect()


def _split(name: str | None, order: str) -> tuple[str | None, str | None]:
    """(given, family) as ingest reads them from ``name`` (trimmed, as ingest gives it)."""
    given_sql = name_part_sql("t", "given", order)
    family_sql = name_part_sql("t", "family", order)
    text = name.strip(" ") if name is not None else None
    row = _CON.execute(
        f"SELECT {given_sql}, {family_sql} FROM (SELECT ?::VARCHAR AS t)", [text]
    ).fetchone()
    assert row is not None
    return row[0], row[1]


_word = st.text(alphabet=st.sampled_from("abcxyzABCXYZéøßŁ-'"), min_size=1, max_size=8).filter(
    lambda w: w.strip("-'") != ""
)
_gap = st.sampled_from([" ", "  ", "\t", " \t "])
ORDERS = ("family_comma_given", "given_family", "family_given")


def _joined(words: list[str], gaps: list[str]) -> str:
    out = words[0] if words else ""
    for word, gap in zip(words[1:], gaps, strict=False):
        out += gap + word
    for word in words[1 + len(gaps) :]:
        out += " " + word
    return out


@settings(max_examples=200, deadline=None)
@given(
    family=st.lists(_word, min_size=1, max_size=3),
    givens=st.lists(_word, max_size=3),
    gaps=st.lists(_gap, max_size=4),
)
def test_family_comma_given(family: list[str], givens: list[str], gaps: list[str]) -> None:
    name = f"{_joined(family, gaps)},{' ' if gaps else ''}{_joined(givens, gaps)}"
    assert _split(name, "family_comma_given") == (" ".join(givens) or None, " ".join(family))


@settings(max_examples=200, deadline=None)
@given(givens=st.lists(_word, max_size=3), family=_word, gaps=st.lists(_gap, max_size=4))
def test_given_family_keeps_middle_names_with_the_given_name(
    givens: list[str], family: str, gaps: list[str]
) -> None:
    name = _joined([*givens, family], gaps)
    assert _split(name, "given_family") == (" ".join(givens) or None, family)


@settings(max_examples=200, deadline=None)
@given(givens=st.lists(_word, max_size=3), family=_word, gaps=st.lists(_gap, max_size=4))
def test_family_given(givens: list[str], family: str, gaps: list[str]) -> None:
    name = _joined([family, *givens], gaps)
    assert _split(name, "family_given") == (" ".join(givens) or None, family)


@settings(max_examples=300, deadline=None)
@given(
    name=st.one_of(st.none(), st.text(alphabet=st.sampled_from("ab ,\t-é"), max_size=14)),
    order=st.sampled_from(ORDERS),
)
def test_any_text_splits_into_its_own_words_and_nothing_else(name: str | None, order: str) -> None:
    """No word is lost, made up or moved between the parts; a blank part is null."""
    given_part, family_part = _split(name, order)
    separators = r"[\s,]+" if order == "family_comma_given" else r"\s+"
    words = [w for w in re.split(separators, name or "") if w]
    got_given = given_part.split(" ") if given_part else []
    got_family = family_part.split(" ") if family_part else []
    if order == "family_given":
        assert [*got_family, *got_given] == words
    elif order == "given_family":
        assert [*got_given, *got_family] == words
    else:
        assert [w for f in got_family for w in re.split(separators, f) if w] + got_given == words
    assert "" not in (given_part, family_part)
    if order == "family_comma_given":
        before_comma = (name or "").split(",", 1)[0]
        assert (family_part is None) == (before_comma.strip(" \t") == "")
    else:
        assert (family_part is None) == (not words)  # a name of one word is a family name


MAPPING = """
agency = "police"
delimiter = ";"
date_formats = ["%d/%m/%Y"]
[[tables]]
target = "person_record"
[tables.columns]
local_id = "Person URN"
given_name = {{ column = "Name", name_part = "given", name_order = "{order}" }}
family_name = {{ column = "Name", name_part = "family", name_order = "{order}" }}
dob = "DOB"
"""


def _ingest(
    tmp_path: Path, names: list[str], order: str = "family_comma_given"
) -> list[dict[str, Any]]:
    data = tmp_path / "police.csv"
    rows = [[f"U{i}", name, "15/08/2008"] for i, name in enumerate(names)]
    data.write_text(csv_text(["Person URN", "Name", "DOB"], rows, delimiter=";"), "utf-8")
    mapping = tmp_path / "police.toml"
    mapping.write_text(MAPPING.format(order=order), encoding="utf-8")
    run, warnings = ingest(tmp_path, [("police", data, mapping)])
    assert warnings == []
    assert_reconciled(run)
    assert run.files[0].rows_rejected == 0
    people = run.output.tables["person_record"].to_pylist()
    findings = run.output.findings.to_pylist()
    return [
        {
            "given": p["given_name"],
            "family": p["family_name"],
            "findings": sorted(
                (f["column"], f["rule"])
                for f in findings
                if f["source_row"] == p["source_row"] and f["table"] == "person_record"
            ),
        }
        for p in people
    ]


def test_a_police_export_of_surname_comma_forename_ingests(tmp_path: Path) -> None:
    people = _ingest(tmp_path, ["GARSIDE, Jack", "NOWAK,  William Andrew", "KERSHAW", ""])
    assert [(p["given"], p["family"]) for p in people] == [
        ("Jack", "GARSIDE"),
        ("William Andrew", "NOWAK"),
        (None, "KERSHAW"),
        (None, None),
    ]
    assert people[0]["findings"] == people[1]["findings"] == []
    assert people[2]["findings"] == [("given_name", "name_not_split")]
    assert ("given_name", "no_name") in people[3]["findings"]


def test_given_family_order_and_a_comma_that_suggests_another_order(tmp_path: Path) -> None:
    people = _ingest(tmp_path, ["Jack Andrew GARSIDE", "GARSIDE, Jack"], order="given_family")
    assert [(p["given"], p["family"]) for p in people] == [
        ("Jack Andrew", "GARSIDE"),
        ("GARSIDE,", "Jack"),
    ]
    assert people[0]["findings"] == []
    assert people[1]["findings"] == [("given_name", "name_not_split")]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            'given_name = { column = "Name", name_part = "given" }',
            "tables.0.columns.given_name: name_part and name_order go together",
        ),
        (
            'family_name = { column = "Name", name_order = "given_family" }',
            "tables.0.columns.family_name: name_part and name_order go together",
        ),
        (
            'given_name = { column = "Name", name_part = "family", name_order = "given_family" }',
            "name_part = 'family' goes into family_name, not given_name; use name_part = 'given'",
        ),
        (
            'aliases = { column = "Name", name_part = "given", name_order = "given_family" }',
            "name_part = 'given' goes into given_name, not aliases",
        ),
        (
            'given_name = { value = "X", name_part = "given", name_order = "given_family" }',
            "give column, not value",
        ),
        (
            'given_name = { column = "N", name_part = "given", name_order = "given_family", '
            'codes = "sex" }',
            "name_part cannot be combined with codes",
        ),
        (
            'given_name = { column = "N", name_part = "given", name_order = "given_family" }\n'
            'family_name = { column = "N", name_part = "family", name_order = "family_given" }',
            "family_name and given_name split the source column 'N' with different name_order",
        ),
        (
            'given_name = { column = "N", name_part = "first", name_order = "given_family" }',
            "tables.0.columns.given_name.FieldSource.name_part",
        ),
        (
            'given_name = { column = "N", name_part = "given", name_order = "surname_first" }',
            "tables.0.columns.given_name.FieldSource.name_order",
        ),
    ],
)
def test_misused_name_options_are_named(tmp_path: Path, columns: str, expected: str) -> None:
    path = tmp_path / "names.toml"
    path.write_text(
        f'agency = "police"\n[codes.sex]\nM = "M"\n[[tables]]\ntarget = "person_record"\n'
        f'[tables.columns]\nlocal_id = "URN"\n{columns}\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    message = caught.value.render()
    assert str(path) in message
    assert expected in message
