"""The vault stage: identifiers into the encrypted vault, pseudonyms for everything else.

Reads the encrypted canonical tables from ingest and writes

* ``identity.parquet.enc``: every direct identifier, keyed by ``record_pid`` (for linkage);
* pseudonymised ``person_record``, ``offence``, ``involvement``, ``event``,
  ``vulnerability`` and ``association`` tables, in which agency keys are replaced by keyed
  HMAC pseudonyms and dates of birth are reduced to a birth year.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from gbo.runfolder import RunContext, StageResult
from gbo.schema.tables import CANONICAL_TABLES, IDENTITY, PSEUDONYMISED_TABLES, TableSpec
from gbo.vault.pseudonymise import PseudonymCache, estimate_birth_year, pseudonymise_keys

# Canonical key column -> (pseudonym column, namespace, prefix).
KEY_COLUMNS: dict[str, tuple[str, str, str]] = {
    "record_key": ("record_pid", "record", "rec"),
    "record_key_a": ("record_pid_a", "record", "rec"),
    "record_key_b": ("record_pid_b", "record", "rec"),
    "offence_key": ("offence_pid", "offence", "off"),
}


def _conform(table: pa.Table, spec: TableSpec) -> pa.Table:
    """Select and order the columns of ``spec``, casting to its types."""
    return pa.table({c.name: table[c.name].cast(c.type) for c in spec.columns}, schema=spec.schema)


def pseudonymise_table(
    ctx: RunContext, name: str, table: pa.Table, cache: PseudonymCache | None = None
) -> pa.Table:
    """Replace the agency keys of one canonical table by pseudonyms and drop identifiers."""
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    for key, (pid, namespace, prefix) in KEY_COLUMNS.items():
        if key in table.column_names:
            columns[pid] = pseudonymise_keys(ctx.keys, namespace, table[key], prefix, cache)
    if name == "person_record":
        year, is_estimated = estimate_birth_year(table)
        columns["birth_year"] = year
        columns["birth_year_is_estimated"] = is_estimated
    for column in PSEUDONYMISED_TABLES[name].columns:
        if column.name not in columns:
            columns[column.name] = table[column.name]
    return _conform(pa.table(columns), PSEUDONYMISED_TABLES[name])


def build_identity(
    ctx: RunContext, person_record: pa.Table, cache: PseudonymCache | None = None
) -> pa.Table:
    """The identity table: identifiers keyed by ``record_pid``, for the vault only."""
    keys = person_record["record_key"]
    columns = {"record_pid": pseudonymise_keys(ctx.keys, "record", keys, "rec", cache)}
    for column in IDENTITY.columns[1:]:
        columns[column.name] = person_record[column.name]
    return _conform(pa.table(columns), IDENTITY)


def run(ctx: RunContext) -> StageResult:
    counts: dict[str, int] = {}
    warnings: list[str] = []
    cache: PseudonymCache = {}
    with ctx.progress.task("Pseudonymising", total=len(CANONICAL_TABLES)) as task:
        for name in CANONICAL_TABLES:
            table = ctx.read_vault_table("ingest", name)
            pseudonymised = pseudonymise_table(ctx, name, table, cache)
            if name == "person_record":
                ctx.write_vault_table("identity", build_identity(ctx, table, cache))
                n_distinct = pc.count_distinct(pseudonymised["record_pid"]).as_py()
                if n_distinct != table.num_rows:
                    warnings.append(
                        f"{table.num_rows - n_distinct} person records share a record key"
                    )
            ctx.write_table(name, pseudonymised, personal_data=True)
            counts[name] = table.num_rows
            task.advance()
    return StageResult(warnings=warnings, metrics={"rows": counts})
