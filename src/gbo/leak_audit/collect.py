"""Collecting a run's identifiers from its canonical tables, a column at a time.

Each kind of identifier is made from the distinct values of a column (or of a pair or
triple of name columns), a slice of values at a time, and added to the hashed store of
:mod:`gbo.leak_audit.hashed` as an array batch; the distinct values stay, as Arrow arrays
or small code arrays, as the sources that rebuild any identifier exactly. Nothing is held
per record as a Python object, so ten million records fit.

The identifiers are those described in :mod:`gbo.leak_audit.identifiers`; kinds are added
in a fixed order (full names, aliases, agency ids, record keys, postcodes, addresses, NHS
numbers, crime references), and where two kinds give the same tokens the first is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gbo.leak_audit.hashed import Source, Tokens
from gbo.leak_audit.identifiers import MIN_ID_CHARS, IdentifierSet, tokens
from gbo.runfolder import RunFolder
from gbo.schema.nhs_number import N_DIGITS, meaningful_nhs_digits
from gbo.security import KeyRing

SLICE = 1 << 20  # values turned into Python strings at a time
Variant = Callable[[object], Tokens]


def _distinct(table: pa.Table, name: str) -> pa.Array:
    if name not in table.column_names:
        return pa.array([], pa.string())
    column = table[name]
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        column = pc.list_flatten(column)
    distinct = pc.drop_null(pc.unique(column))
    return distinct.combine_chunks() if isinstance(distinct, pa.ChunkedArray) else distinct


def _add_variants(
    ids: IdentifierSet,
    values: pa.Array,
    kind: str,
    variants: Sequence[Variant],
    min_chars: int = MIN_ID_CHARS,
) -> None:
    """Each variant of each value as an identifier of ``kind`` (short serials aside)."""
    sources = [ids.strong.add_source(Source(kind, values, v)) for v in variants]
    for offset in range(0, len(values), SLICE):
        chunk = values.slice(offset, SLICE).to_pylist()
        for source, variant in zip(sources, variants, strict=True):
            places: list[int] = []
            found: list[Tokens] = []
            for i, value in enumerate(chunk):
                toks = variant(value)
                if ids.keeps_as_strong(toks, kind, min_chars):
                    places.append(offset + i)
                    found.append(toks)
            ids.strong.add_many(source, places, found)


def _text(value: object) -> Tokens:
    return tokens(value) if isinstance(value, str) else ()


def _no_spaces(value: object) -> Tokens:
    return tokens(value.replace(" ", "")) if isinstance(value, str) else ()


def _nhs_as_recorded(value: object) -> Tokens:
    return tokens(str(value)) if meaningful_nhs_digits(value) is not None else ()


def _nhs_digits(value: object) -> Tokens:
    digits = meaningful_nhs_digits(value)
    return tokens(digits) if digits is not None else ()


def _nhs_grouped(value: object) -> Tokens:
    """NHS numbers in the usual 3-3-4 grouping (which also matches ``999-123-4567``)."""
    digits = meaningful_nhs_digits(value)
    if digits is None or len(digits) != N_DIGITS:
        return ()
    return tokens(f"{digits[:3]} {digits[3:6]} {digits[6:]}")


class _Names:
    """Distinct name strings, their tokens, and each record's names as codes (-1: none)."""

    def __init__(self, table: pa.Table) -> None:
        parts = [_distinct(table, c) for c in ("given_name", "middle_names", "family_name")]
        names = pc.unique(pa.concat_arrays([p.cast(pa.string()) for p in parts]))
        self.names: list[str] = names.to_pylist()
        self.split: list[Tokens] = [tokens(n) for n in self.names]

        def codes(column: str) -> np.ndarray:
            if column not in table.column_names:
                return np.full(table.num_rows, -1, np.int64)
            found = pc.index_in(table[column].cast(pa.string()), value_set=names)
            return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), np.int64)

        self.given, self.middle, self.family = (
            codes(c) for c in ("given_name", "middle_names", "family_name")
        )

    def distinct(self, *columns: np.ndarray) -> np.ndarray:
        """The distinct rows of these code columns where none is missing."""
        stacked = np.stack(columns, axis=1)
        stacked = stacked[(stacked >= 0).all(axis=1)]
        rows: np.ndarray = np.unique(stacked, axis=0) if len(stacked) else stacked
        return rows

    def joined(self, order: Sequence[int]) -> Variant:
        def variant(codes: object) -> Tokens:
            row = np.asarray(codes).tolist()
            return tuple(t for i in order for t in self.split[row[i]])

        return variant


def _add_full_names(ids: IdentifierSet, table: pa.Table) -> None:
    """Given + family, family + given, and given + middle + family: each distinct pair or
    triple of names once."""
    names = _Names(table)
    for part in dict.fromkeys([*_distinct(table, "given_name").to_pylist(),
                               *_distinct(table, "family_name").to_pylist()]):  # fmt: skip
        ids.add_name_part(part)
    pairs = names.distinct(names.given, names.family)
    triples = names.distinct(names.given, names.middle, names.family)
    for rows, order in ((pairs, (0, 1)), (pairs, (1, 0)), (triples, (0, 1, 2))):
        variant = names.joined(order)
        source = ids.strong.add_source(Source("full name", rows, variant))
        places: list[int] = []
        found: list[Tokens] = []
        split = names.split
        for place, row in enumerate(rows.tolist()):
            toks = tuple(t for i in order for t in split[row[i]])
            if ids.keeps_as_strong(toks, "full name", MIN_ID_CHARS):
                places.append(place)
                found.append(toks)
        ids.strong.add_many(source, places, found)


def _add_aliases(ids: IdentifierSet, table: pa.Table) -> None:
    """An alias of two words or more is a strong identifier; a one-word alias a name part."""
    aliases = _distinct(table, "aliases")
    several = [len(tokens(a)) > 1 for a in aliases.to_pylist()]
    for alias in aliases.filter(pa.array([not s for s in several], pa.bool_())).to_pylist():
        ids.add_name_part(alias)
    _add_variants(ids, aliases.filter(pa.array(several, pa.bool_())), "alias", [_text])


def identifiers_from_tables(
    person_record: pa.Table, offence: pa.Table | None, into: IdentifierSet | None = None
) -> IdentifierSet:
    """Collect identifiers from canonical ``person_record`` (and ``offence``) tables (into
    an empty ``into`` if given: a test gives one whose hashes collide)."""
    ids = into if into is not None else IdentifierSet()
    _add_full_names(ids, person_record)
    _add_aliases(ids, person_record)
    for column, kind in (("local_id", "agency person id"), ("record_key", "record key")):
        _add_variants(ids, _distinct(person_record, column), kind, [_text])
    _add_variants(ids, _distinct(person_record, "postcode"), "postcode", [_text, _no_spaces])
    _add_variants(ids, _distinct(person_record, "address"), "address", [_text], min_chars=8)
    nhs = _distinct(person_record, "nhs_number")
    _add_variants(ids, nhs, "NHS number", [_nhs_as_recorded, _nhs_digits, _nhs_grouped])
    if offence is not None:
        _add_variants(ids, _distinct(offence, "crime_ref"), "crime reference", [_text])
    ids.strong.kind_of(())  # sort the arrays now, while the tables' memory can be given back
    return ids


def identifiers_from_run(keys: KeyRing, run_dir: Path) -> IdentifierSet:
    """Decrypt the ingest stage's canonical tables of a run and collect their identifiers."""
    run = RunFolder(run_dir)
    person = run.vault_table("ingest", "person_record", keys)
    wanted = ["given_name", "middle_names", "family_name", "aliases", "local_id", "record_key",
              "postcode", "address", "nhs_number"]  # fmt: skip
    person = person.select([c for c in wanted if c in person.column_names])
    offence = None
    if run.has_table("ingest", "offence"):
        offence = run.vault_table("ingest", "offence", keys)
        offence = offence.select([c for c in ("crime_ref",) if c in offence.column_names])
    return identifiers_from_tables(person, offence)
