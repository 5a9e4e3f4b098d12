"""The hashed identifier store answers exactly as a plain dictionary of token tuples would,
even when every hash collides, and the column-at-a-time collection finds the identifiers
the audit used to collect record by record."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.leak_audit.collect import identifiers_from_tables
from gbo.leak_audit.hashed import HashedIdentifiers
from gbo.leak_audit.identifiers import MIN_ID_CHARS, IdentifierSet, is_short_serial, tokens
from gbo.leak_audit.leaks import scan_bytes
from gbo.schema.nhs_number import N_DIGITS, meaningful_nhs_digits
from tests.canonical_factory import PEOPLE, canonical_table


def _colliding(value: object) -> int:
    """A hash with three values: almost every pair of identifiers collides."""
    return len(value) % 3 if isinstance(value, tuple) else len(str(value)) % 3


def _sets() -> list[IdentifierSet]:
    return [IdentifierSet(), IdentifierSet(strong=HashedIdentifiers(_colliding))]


WORDS = ["avery", "quenton", "q", "smithers", "14", "larchmont", "zz1", "4qt", "x", "p10001"]
identifier_lists = st.lists(
    st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), st.integers(0, 3)),
    max_size=15,
)


@settings(max_examples=150, deadline=None)
@given(identifiers=identifier_lists, text=st.lists(st.sampled_from(WORDS), max_size=20))
def test_lookups_are_those_of_a_dictionary_even_when_hashes_collide(
    identifiers: list[tuple[list[str], int]], text: list[str]
) -> None:
    reference: dict[tuple[str, ...], str] = {}
    for words, kind in identifiers:
        if not is_short_serial(tuple(words)):  # those are kept apart, looked up whole
            reference.setdefault(tuple(words), f"kind {kind}")  # the first kind is kept
    toks = tuple(text)
    for ids in _sets():
        for words, kind in identifiers:
            ids.add_strong(" ".join(words), f"kind {kind}", min_chars=1)
        for n in range(1, len(toks) + 1):
            for start in range(len(toks) - n + 1):
                piece = toks[start : start + n]
                assert ids.strong_kind(piece) == reference.get(piece)
        shortest = min(
            (
                (n, start)
                for n in range(1, len(toks) + 1)
                for start in range(len(toks) - n + 1)
                if toks[start : start + n] in reference
            ),
            default=None,
        )
        expected = None if shortest is None else reference[toks[shortest[1] :][: shortest[0]]]
        assert ids.find_strong(toks) == expected
        assert set(ids.strong.identifiers()) == set(reference)


def test_identifiers_added_after_a_lookup_are_found_too() -> None:
    ids = IdentifierSet(strong=HashedIdentifiers(_colliding))
    ids.add_strong("Avery Quenton", "full name")
    assert ids.strong_kind(("avery", "quenton")) == "full name"
    ids.add_strong("Avery Quenton", "alias")
    ids.add_strong("ZZ1 4QT", "postcode")
    assert ids.strong_kind(("avery", "quenton")) == "full name"
    assert ids.strong_kind(("zz1", "4qt")) == "postcode"
    assert ids.strong.kinds() == {"full name", "postcode"}


def _record_by_record(people: pa.Table) -> tuple[dict[tuple[str, ...], str], IdentifierSet]:
    """The identifiers as the audit collected them before: every value of every record, in
    a dictionary (the first kind given kept)."""
    strong: dict[tuple[str, ...], str] = {}
    ids = IdentifierSet()

    def add(value: object, kind: str, min_chars: int = MIN_ID_CHARS) -> None:
        toks = tokens(value) if isinstance(value, str) else ()
        if ids.keeps_as_strong(toks, kind, min_chars):
            strong.setdefault(toks, kind)

    rows: list[dict[str, Any]] = people.to_pylist()
    for row in rows:
        g, m, f = row["given_name"], row["middle_names"], row["family_name"]
        ids.add_name_part(g)
        ids.add_name_part(f)
        if isinstance(g, str) and isinstance(f, str):
            add(" ".join((*tokens(g), *tokens(f))), "full name")
            add(" ".join((*tokens(f), *tokens(g))), "full name")
            if isinstance(m, str):
                add(" ".join((*tokens(g), *tokens(m), *tokens(f))), "full name")
    for row in rows:
        for alias in row["aliases"] or []:
            if isinstance(alias, str) and len(tokens(alias)) > 1:
                add(alias, "alias")
            else:
                ids.add_name_part(alias)
    for column, kind in (("local_id", "agency person id"), ("record_key", "record key")):
        for row in rows:
            add(row[column], kind)
    for row in rows:
        add(row["postcode"], "postcode")
        if isinstance(row["postcode"], str):
            add(row["postcode"].replace(" ", ""), "postcode")
    for row in rows:
        add(row["address"], "address", min_chars=8)
    for row in rows:
        digits = meaningful_nhs_digits(row["nhs_number"])
        if digits is not None:
            add(str(row["nhs_number"]), "NHS number")
            add(digits, "NHS number")
            if len(digits) == N_DIGITS:
                add(f"{digits[:3]} {digits[3:6]} {digits[6:]}", "NHS number")
    return strong, ids


NAMES = st.sampled_from(["Avery", "Zoë", "Mary-Jane", "O'Neil", "al Amin", "Oxtoby", "", None])
IDS = st.sampled_from(["P10001", "6113612", "ZZ1 4QT", "9991234500", "999 123 4500", "Avery Q"])
record = st.fixed_dictionaries(
    {
        "given_name": NAMES,
        "middle_names": st.sampled_from(["Ann", "J", None]),
        "family_name": NAMES,
        "aliases": st.one_of(st.none(), st.lists(st.one_of(NAMES, IDS), max_size=2)),
        "local_id": st.one_of(IDS, st.none()),
        "record_key": st.one_of(IDS, st.none()),
        "postcode": st.one_of(IDS, st.none()),
        "address": st.sampled_from(["14 Larchmont Terrace", "Flat 2", None]),
        "nhs_number": st.one_of(IDS, st.sampled_from(["0000000000", "12345"]), st.none()),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(record, min_size=1, max_size=10))
def test_collected_by_column_as_collected_record_by_record(rows: list[dict[str, Any]]) -> None:
    people = canonical_table("person_record", [{**PEOPLE[0], **r} for r in rows])
    expected, loose = _record_by_record(people)
    for into in _sets():
        found = identifiers_from_tables(people, None, into=into)
        assert found.name_parts == loose.name_parts
        assert found.serials == loose.serials
        assert {t: found.strong_kind(t) for t in found.strong.identifiers()} == expected


def test_a_colliding_value_is_no_finding_and_a_planted_identifier_still_is() -> None:
    ids = identifiers_from_tables(canonical_table("person_record", PEOPLE), None, into=_sets()[1])
    # Every two-word value has the hash of "Avery Quenton", and every word that of "Avery".
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table({"note": ["Offenders were recorded", "Avery Zebedee"]}), sink)
    assert list(scan_bytes(ids, "t.parquet", sink.getvalue().to_pybytes())) == []
    assert list(scan_bytes(ids, "t.txt", b"Quenton Averyx was a word pair")) == []
    leaked = b"seen: Avery Quenton, ZZ1 4QT"
    assert sorted(f.kind for f in scan_bytes(ids, "t.txt", leaked)) == ["full name"]
    assert [f.kind for f in scan_bytes(ids, "t.txt", b"at ZZ1 4QT")] == ["postcode"]


@settings(max_examples=150, deadline=None)
@given(
    identifiers=identifier_lists,
    texts=st.lists(st.lists(st.sampled_from(WORDS), max_size=12), max_size=12),
)
def test_many_texts_looked_up_together_are_each_answered_as_one_alone(
    identifiers: list[tuple[list[str], int]], texts: list[list[str]]
) -> None:
    reference: dict[tuple[str, ...], str] = {}
    for words, kind in identifiers:
        if not is_short_serial(tuple(words)):
            reference.setdefault(tuple(words), f"kind {kind}")

    def shortest(toks: tuple[str, ...]) -> str | None:
        for n in range(1, len(toks) + 1):
            for start in range(len(toks) - n + 1):
                if toks[start : start + n] in reference:
                    return reference[toks[start : start + n]]
        return None

    many = [tuple(t) for t in texts]
    for ids in _sets():
        for words, kind in identifiers:
            ids.add_strong(" ".join(words), f"kind {kind}", min_chars=1)
        assert ids.find_strong_many(many) == [shortest(t) for t in many]


def test_identifiers_of_many_tokens_are_found() -> None:
    # Lengths from 63 tokens up are kept beside the bit masks of the first-token index.
    for ids in _sets():
        for n in (62, 63, 64, 70):
            ids.add_strong_tokens(tuple(f"w{n}x{i}" for i in range(n)), f"{n} words")
        for n in (62, 63, 64, 70):
            text = ("before", *(f"w{n}x{i}" for i in range(n)), "after")
            assert ids.find_strong(text) == f"{n} words"
            assert ids.find_strong(text[:n]) is None
