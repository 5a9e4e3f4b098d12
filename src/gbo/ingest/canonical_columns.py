"""What ingest needs to know about each canonical column: its kind and its code list.

The canonical tables themselves are declared in :mod:`gbo.schema.tables`; this module adds
the ingest rules about them: which columns are keys, which code columns reject a row when a
code is unknown (key codes) and which only lose the value (descriptive codes), which date
columns carry a precision, and which columns ingest derives itself.
"""

from __future__ import annotations

from typing import Literal

import pyarrow as pa

from gbo.schema import codes
from gbo.schema.mapping import AgencyMapping
from gbo.schema.tables import CANONICAL_TABLES

ColumnKind = Literal["key", "code", "date", "bool", "int", "list", "text"]

# Columns holding an agency key: the mapped source value is the agency's own id, and
# ingest writes `<agency>:<id>`.
KEY_COLUMNS = frozenset({"record_key", "record_key_a", "record_key_b", "offence_key"})
# In person_record and offence the key is made from the local id (or the other way round).
KEY_FROM_LOCAL: dict[str, tuple[str, str]] = {
    "person_record": ("record_key", "local_id"),
    "offence": ("offence_key", "crime_ref"),
}
# (table, column) of the person ids and crime references that a blank value gives a
# surrogate key (made from the file and line) instead of a rejection. Associations are left
# out: a surrogate there would name a person no other row has.
SURROGATE_KEY_COLUMNS = frozenset(
    {
        ("person_record", "local_id"),
        ("person_record", "record_key"),
        ("offence", "crime_ref"),
        ("offence", "offence_key"),
        ("involvement", "record_key"),
        ("involvement", "offence_key"),
        ("event", "record_key"),
        ("vulnerability", "record_key"),
    }
)
# Unknown codes in these columns quarantine the row: the row means nothing without them.
KEY_CODE_COLUMNS = frozenset(
    {"role", "event_type", "marker", "ho_offence_code", "association_type"}
)
# Date columns with a precision column beside them.
PRECISION_COLUMNS: dict[str, str] = {
    "dob": "dob_precision",
    "first_date": "first_date_precision",
    "event_date": "event_date_precision",
}
# Columns ingest fills itself; a mapping may not map them.
DERIVED_COLUMNS = frozenset({*PRECISION_COLUMNS.values(), "ethnicity_self_list"})
# Provenance columns every canonical row carries; filled by ingest.
PROVENANCE_COLUMNS = frozenset({"agency", "source_file", "source_row"})

# For each table, the columns (or alternatives) that must be mapped.
REQUIRED_SOURCES: dict[str, list[tuple[str, ...]]] = {
    "person_record": [("local_id", "record_key")],
    "offence": [("crime_ref", "offence_key")],
    "involvement": [("offence_key",), ("record_key",), ("role",)],
    "event": [("record_key",), ("event_type",)],
    "vulnerability": [("record_key",), ("marker",)],
    "association": [("record_key_a",), ("record_key_b",), ("association_type",)],
}

MIN_AGE, MAX_AGE = 0, 120


def mappable_columns(table: str) -> list[str]:
    """Canonical columns of ``table`` that a mapping may fill."""
    return [
        c
        for c in CANONICAL_TABLES[table].column_names
        if c not in PROVENANCE_COLUMNS and c not in DERIVED_COLUMNS
    ]


def column_kind(table: str, column: str) -> ColumnKind:
    """How ingest reads a canonical column."""
    if column in KEY_COLUMNS or column in {"local_id", "crime_ref"}:
        return "key"
    dtype = CANONICAL_TABLES[table].column(column).type
    if dtype == pa.date32():
        return "date"
    if dtype == pa.bool_():
        return "bool"
    if dtype == pa.int64():
        return "int"
    if pa.types.is_list(dtype):
        return "list"
    if column in codes.CODE_LISTS or column == "nationality":
        return "code"
    return "text"


def reads_translation(table: str, column: str) -> bool:
    """True for a column whose values go through the mapping's ``[codes.*]`` translation:
    code columns, text columns and list columns with a code list (as
    :func:`gbo.ingest.column_sql.build_column` reads them). Keys, dates, yes/no columns,
    numbers and lists of free text (aliases) read no translation."""
    kind = column_kind(table, column)
    if kind == "list":
        return code_list_for(table, column, None) is not None
    return kind in {"code", "text"}


def is_list_column(table: str, column: str) -> bool:
    return column in CANONICAL_TABLES[table].column_names and column_kind(table, column) == "list"


def code_list_for(table: str, column: str, mapping: AgencyMapping | None) -> set[str] | None:
    """The gbo codes a column accepts (None for a column without a code list)."""
    if column == "nationality":
        return set(codes.nationalities())
    if column == "ethnicity_self" and mapping is not None and mapping.ethnicity_self_list == "16+1":
        return set(codes.SDE_16) | set(codes.SDE_18)
    found = codes.CODE_LISTS.get(column)
    return set(found) if found is not None else None


def required_columns(table: str) -> list[str]:
    """Non-key canonical columns that may not be blank (besides the keys)."""
    return [
        c.name
        for c in CANONICAL_TABLES[table].columns
        if not c.nullable and c.name not in PROVENANCE_COLUMNS
    ]
