"""Reading the groups stage's inputs and loading them into DuckDB.

Inputs: ``02_vault/offence``, ``involvement`` and ``association`` and ``03_link/
person_record_map`` and ``person``. A person record missing from the linkage map (which
should not happen) is treated as a person of its own, with the pseudonym linkage would have
given it, and counted in a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gbo.errors import GroupsError
from gbo.runfolder import RunContext
from gbo.security import KeyRing, pseudonymise
from gbo.stages import stage as declared_stage

REQUIRED_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("vault", "offence"): ("offence_pid", "agency", "first_date", "last_date"),
    ("vault", "involvement"): ("offence_pid", "record_pid", "agency", "role"),
    ("vault", "association"): (
        "record_pid_a",
        "record_pid_b",
        "agency",
        "association_type",
        "association_date",
    ),
    ("link", "person_record_map"): ("record_pid", "person_pid"),
    ("link", "person"): ("person_pid",),
}


def _declared_types(stage: str, table: str, columns: tuple[str, ...]) -> dict[str, pa.DataType]:
    """The Arrow types :mod:`gbo.stages` declares for ``columns`` of an input table."""
    decl = declared_stage(stage).table(table)
    return {c: decl.column_type(c) for c in columns}


OPTIONAL_OFFENCE_COLUMNS = _declared_types(
    "vault",
    "offence",
    ("ho_offence_code", "is_cse_flagged", "is_online", "location_type", "cocad_category"),
)
PERSON_ATTRIBUTE_COLUMNS = _declared_types(
    "link", "person", ("sex", "birth_year", "ethnicity_self", "ethnicity_officer")
)


@dataclass
class GroupInputs:
    """The input tables, checked, with every involved record mapped to a person."""

    offence: pa.Table
    involvement: pa.Table
    association: pa.Table
    record_map: pa.Table  # record_pid, person_pid
    person: pa.Table  # person_pid + PERSON_ATTRIBUTE_COLUMNS
    n_unmapped_records: int = 0
    missing_person_columns: tuple[str, ...] = ()

    def load_into(self, con: duckdb.DuckDBPyConnection) -> None:
        """Register the tables as DuckDB views (no copy)."""
        for name in ("offence", "involvement", "association", "record_map", "person"):
            con.register(name, getattr(self, name))


def _check_columns(columns: list[str], stage: str, name: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS[(stage, name)] if c not in columns]
    if missing:
        raise GroupsError(
            f"{stage} output {name}.parquet lacks column(s) {', '.join(missing)}",
            hint=f"rerun the pipeline from the {stage} stage; see docs/run-folder.md",
        )


def _read(ctx: RunContext, stage: str, name: str, optional: Iterable[str] = ()) -> pa.Table:
    """The required and ``optional`` columns of a table that are present (no others: at ten
    million records the columns the stage does not use would hold about a gigabyte)."""
    path = ctx.folder.table_path(stage, name)
    present = pq.read_schema(path).names
    _check_columns(present, stage, name)
    wanted = {*REQUIRED_COLUMNS[(stage, name)], *optional}
    return pq.read_table(path, columns=[c for c in present if c in wanted])


def _with_columns(table: pa.Table, wanted: dict[str, pa.DataType]) -> tuple[pa.Table, list[str]]:
    """Add any missing optional column as all-null (not recorded); cast present ones."""
    missing = []
    for name, dtype in wanted.items():
        if name in table.column_names:
            index = table.column_names.index(name)
            table = table.set_column(index, name, table.column(name).cast(dtype))
        else:
            missing.append(name)
            table = table.append_column(name, pa.nulls(table.num_rows, dtype))
    return table, missing


def complete_record_map(
    keys: KeyRing, record_map: pa.Table, record_pids: pa.ChunkedArray | pa.Array
) -> tuple[pa.Table, int]:
    """Add records absent from the map as one-record persons (person pseudonym of itself)."""
    record_map = record_map.select(["record_pid", "person_pid"])
    known = record_map.column("record_pid")
    wanted = pc.unique(record_pids)
    absent = pc.filter(wanted, pc.invert(pc.is_in(wanted, value_set=known.combine_chunks())))
    if len(absent) == 0:
        return record_map, 0
    values = absent.to_pylist()
    persons = [pseudonymise(keys, "person", v, "per") for v in values]
    extra = pa.table(
        {"record_pid": pa.array(values, pa.string()), "person_pid": pa.array(persons, pa.string())}
    )
    return pa.concat_tables([record_map, extra.cast(record_map.schema)]), len(values)


def read_group_inputs(ctx: RunContext) -> GroupInputs:
    """Read and check every input of the groups stage."""
    offence, _ = _with_columns(
        _read(ctx, "vault", "offence", OPTIONAL_OFFENCE_COLUMNS), OPTIONAL_OFFENCE_COLUMNS
    )
    involvement = _read(ctx, "vault", "involvement")
    if ctx.has_input("vault", "association.parquet"):
        association = _read(ctx, "vault", "association")
    else:
        declared = _declared_types(
            "vault", "association", REQUIRED_COLUMNS[("vault", "association")]
        )
        association = pa.table({c: pa.array([], t) for c, t in declared.items()})
    record_map = _read(ctx, "link", "person_record_map")
    person = _read(ctx, "link", "person", PERSON_ATTRIBUTE_COLUMNS)
    person, missing = _with_columns(person, PERSON_ATTRIBUTE_COLUMNS)
    records = pa.chunked_array(
        [
            *involvement.column("record_pid").chunks,
            *association.column("record_pid_a").cast(pa.string()).chunks,
            *association.column("record_pid_b").cast(pa.string()).chunks,
        ],
        type=pa.string(),
    )
    record_map, n_unmapped = complete_record_map(ctx.keys, record_map, records)
    return GroupInputs(
        offence=offence,
        involvement=involvement,
        association=association,
        record_map=record_map,
        person=person,
        n_unmapped_records=n_unmapped,
        missing_person_columns=tuple(missing),
    )
