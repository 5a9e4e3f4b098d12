"""Checks across tables and files, repeated until no further row is rejected.

* ``duplicate_key``: a second row with the key of a person record or offence, from a table
  mapping with ``deduplicate = false`` (where a repeated key is an error, not a repeat);
* ``unknown_reference``: an involvement, event, vulnerability or association whose person
  record (or offence) was not accepted, so the row would point at nothing;
* ``dob_after_offence``: a person record whose date of birth is after the last day of the
  (first) date of an offence the person is involved in.

Rejecting a row can orphan rows elsewhere (a person rejected for their date of birth takes
their involvements with them), so the checks run again until nothing changes.

Only the first round reads every candidate row. Rejection only ever takes rows away, so:

* after the first round, a row can newly lose its reference only to a key that was still
  accepted in the previous round and is not now (a key *gone* in between); every row
  pointing at a key missing earlier was rejected then. Later rounds check only the rows
  that point at a gone key;
* a date of birth after an offence in a later round was after it in the first round too
  (fewer accepted offences can only move the first offence later), and that person was
  rejected then; the check runs once.

The problems found are the same as when every round checks every row.
"""

from __future__ import annotations

import duckdb

MAX_ROUNDS = 20
_ACCEPTED = (
    "(SELECT c.* FROM cand_{t} c ANTI JOIN rejected_now p ON p.file_id = c.file_id "
    "AND p.sheet = c.sheet AND p.source_row = c.source_row)"
)
# (table, key column in the table, table holding the key, key column there)
_REFERENCES: list[tuple[str, str, str, str]] = [
    ("involvement", "record_key", "person_record", "record_key"),
    ("involvement", "offence_key", "offence", "offence_key"),
    ("event", "record_key", "person_record", "record_key"),
    ("vulnerability", "record_key", "person_record", "record_key"),
    ("association", "record_key_a", "person_record", "record_key"),
    ("association", "record_key_b", "person_record", "record_key"),
]


def accepted(table: str) -> str:
    """SQL of the candidate rows of ``table`` that no problem has rejected (yet)."""
    return _ACCEPTED.format(t=table)


def _insert(con: duckdb.DuckDBPyConnection, select: str) -> None:
    con.execute(
        f'INSERT INTO problem (file_id, sheet, source_row, "column", rule, reason) {select}'
    )


def _source_column(alias: str, canonical: str) -> str:
    return (
        f"(SELECT mc.source_column FROM mapping_column mc WHERE mc.mapping_id = "
        f"{alias}.mapping_id AND mc.canonical = '{canonical}')"
    )


def _check_duplicate_keys(con: duckdb.DuckDBPyConnection, no_dedup: list[int]) -> None:
    if not no_dedup:
        return
    ids = ", ".join(map(str, no_dedup))
    for table, key in (("person_record", "record_key"), ("offence", "offence_key")):
        _insert(
            con,
            f"SELECT file_id, sheet, source_row, {_source_column('d', key)}, 'duplicate_key', "
            f"'a row earlier in the file has the same {key}; this mapping does not merge "
            "repeated keys (deduplicate = false)' FROM (SELECT *, row_number() OVER "
            f"(PARTITION BY {key} ORDER BY file_id, sheet, source_row) AS n FROM "
            f"{accepted(table)}) d WHERE n > 1 AND mapping_id IN ({ids})",
        )


def _mark_rejected(con: duckdb.DuckDBPyConnection) -> None:
    """Snapshot the rows rejected so far, and the keys of what is still accepted."""
    con.execute(
        "CREATE OR REPLACE TABLE rejected_now AS SELECT DISTINCT file_id, sheet, source_row "
        "FROM problem"
    )
    for target, key in (("person_record", "record_key"), ("offence", "offence_key")):
        con.execute(
            f"CREATE OR REPLACE TABLE keys_{target} AS SELECT DISTINCT {key} AS k "
            f"FROM {accepted(target)}"
        )


def _keep_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Remember the keys accepted now, for the next round's gone keys."""
    for target in ("person_record", "offence"):
        con.execute(f"CREATE OR REPLACE TABLE prev_keys_{target} AS SELECT k FROM keys_{target}")


def _check_references(con: duckdb.DuckDBPyConnection, only_gone: bool = False) -> None:
    """Rows whose reference is not an accepted key; with ``only_gone``, only the rows that
    point at a key accepted in the previous round and not now (see the module's notes)."""
    if only_gone:
        for target in ("person_record", "offence"):
            con.execute(
                f"CREATE OR REPLACE TABLE gone_{target} AS SELECT k FROM prev_keys_{target} "
                f"ANTI JOIN keys_{target} USING (k)"
            )
    for table, column, target, _ in _REFERENCES:
        where = (
            f"SEMI JOIN gone_{target} g ON g.k = c.{column}"
            if only_gone
            else f"ANTI JOIN keys_{target} t ON t.k = c.{column}"
        )
        _insert(
            con,
            f"SELECT c.file_id, c.sheet, c.source_row, {_source_column('c', column)}, "
            f"'unknown_reference', '{column} names a {target.replace('_', ' ')} that was not "
            f"accepted (missing from the exports, or rejected itself)' FROM {accepted(table)} c "
            f"{where}",
        )


def _check_dob_after_offence(con: duckdb.DuckDBPyConnection) -> None:
    last_day = (
        "o.first_date + CASE o.first_date_precision WHEN 'year' THEN INTERVAL 1 YEAR "
        "WHEN 'month' THEN INTERVAL 1 MONTH ELSE INTERVAL 1 DAY END - INTERVAL 1 DAY"
    )
    _insert(
        con,
        f"SELECT p.file_id, p.sheet, p.source_row, {_source_column('p', 'dob')}, "
        "'dob_after_offence', 'dob is after the date of an offence this person is involved "
        "in; check both dates at source' FROM "
        f"{accepted('person_record')} p JOIN (SELECT i.record_key, "
        f"min(CAST({last_day} AS DATE)) AS offence_end FROM {accepted('involvement')} i "
        f"JOIN {accepted('offence')} o ON o.offence_key = i.offence_key "
        "WHERE o.first_date IS NOT NULL GROUP BY i.record_key) f "
        "ON f.record_key = p.record_key WHERE p.dob > f.offence_end",
    )


def run_cross_checks(con: duckdb.DuckDBPyConnection, no_dedup: list[int]) -> int:
    """Add cross-table problems until none is new; returns the number of rounds run."""
    _mark_rejected(con)
    _check_duplicate_keys(con, no_dedup)
    for round_number in range(1, MAX_ROUNDS + 1):
        (before,) = con.execute("SELECT count(*) FROM problem").fetchone() or (0,)
        _mark_rejected(con)
        first = round_number == 1
        _check_references(con, only_gone=not first)
        _keep_keys(con)
        if first:
            _mark_rejected(con)
            _check_dob_after_offence(con)
        (after,) = con.execute("SELECT count(*) FROM problem").fetchone() or (0,)
        if after == before:
            return round_number
    return MAX_ROUNDS
