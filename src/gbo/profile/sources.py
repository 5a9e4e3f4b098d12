"""The inputs of the profile stage, opened as DuckDB views over earlier stages' Parquet.

Each input is read through a view that selects the columns the profile needs. A column the
file lacks becomes a typed NULL with a warning, so that a missing field shows up as "Not
recorded" in the tables instead of stopping the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from gbo.duckdb_spill import ANALYSIS_MEMORY_LIMIT, spilling_connection
from gbo.errors import ProfileError
from gbo.runfolder import RunContext
from gbo.stages import stage as declared_stage

# input name -> (stage, table, the columns the profile reads). The columns' types are the
# ones gbo.stages declares for the table.
INPUTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "person_record": (
        "vault",
        "person_record",
        (
            "record_pid",
            "agency",
            "birth_year",
            "sex",
            "ethnicity_self",
            "ethnicity_officer",
            "nationality",
            "local_authority",
            "is_looked_after",
        ),
    ),
    "offence": (
        "vault",
        "offence",
        (
            "offence_pid",
            "agency",
            "ho_offence_code",
            "is_cse_flagged",
            "is_online",
            "cocad_category",
            "first_date",
            "last_date",
            "recorded_date",
            "location_type",
            "methods",
            "police_force_area",
            "local_authority",
            "outcome_code",
            "outcome_date",
        ),
    ),
    "involvement": ("vault", "involvement", ("offence_pid", "record_pid", "agency", "role")),
    "event": (
        "vault",
        "event",
        ("record_pid", "agency", "event_type", "event_date", "event_reason"),
    ),
    "vulnerability": ("vault", "vulnerability", ("record_pid", "agency", "marker", "marker_date")),
    "person_record_map": ("link", "person_record_map", ("record_pid", "person_pid", "agency")),
    "person": (
        "link",
        "person",
        (
            "person_pid",
            "n_records",
            "sex",
            "birth_year",
            "ethnicity_self",
            "ethnicity_officer",
            "nationality",
            "has_conflicting_sex",
            "has_conflicting_dob",
        ),
    ),
    "group_membership": ("groups", "group_membership", ("person_pid", "group_pid", "is_lone")),
    "group": (
        "groups",
        "group",
        (
            "group_pid",
            "n_offenders",
            "n_victims",
            "n_offences",
            "first_date",
            "last_date",
            "duration_days",
        ),
    ),
    "group_offence": ("groups", "group_offence", ("group_pid", "offence_pid")),
    "group_victim": ("groups", "group_victim", ("group_pid", "person_pid")),
}

# Inputs that are files of an earlier stage rather than declared tables:
# name -> (stage, file, {column: DuckDB type}); read as text when CSV.
FILE_INPUTS: dict[str, tuple[str, str, dict[str, str]]] = {
    # pairs awaiting clerical review: journeys are recomputed with them accepted
    "review_queue": (
        "link",
        "review_queue.csv",
        {"record_pid_l": "VARCHAR", "record_pid_r": "VARCHAR"},
    ),
}

# Inputs without which no table can be made; the others are optional (empty when absent).
REQUIRED = frozenset({"person_record", "offence", "involvement", "person_record_map", "person"})


@dataclass
class OpenedInputs:
    """The DuckDB connection with one view per input (named ``in_<input>``)."""

    con: duckdb.DuckDBPyConnection
    paths: dict[str, Path] = field(default_factory=dict)
    missing_columns: dict[str, list[str]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)


def open_inputs(ctx: RunContext, warn: Callable[[str], None]) -> OpenedInputs:
    """Open every input of the stage as a view in a fresh in-memory DuckDB."""
    con = spilling_connection(ANALYSIS_MEMORY_LIMIT, "profile", preserve_insertion_order=False)
    opened = OpenedInputs(con)
    for name, (stage, table, wanted) in INPUTS.items():
        file = declared_stage(stage).table(table).file_name
        _open_input(ctx, opened, name, stage, file, _declared_sql_types(con, stage, table, wanted))
    for name, (stage, file, columns) in FILE_INPUTS.items():
        _open_input(ctx, opened, name, stage, file, columns)
    for name, cols in opened.missing_columns.items():
        warn(f"input {name} has no column(s) {', '.join(cols)}: counted as not recorded")
    for name in opened.absent:
        warn(f"input {name} is absent: tables that need it are empty")
    return opened


def _open_input(
    ctx: RunContext,
    opened: OpenedInputs,
    name: str,
    stage: str,
    file: str,
    columns: dict[str, str],
) -> None:
    """One input as the view ``in_<name>`` with every wanted column (NULL where absent)."""
    con = opened.con
    if ctx.has_input(stage, file):
        path = ctx.input_path(stage, file)
        opened.paths[name] = path
        source = _reader(path)
        present = _columns_of(con, source)
        select = []
        for column, sql_type in columns.items():
            if column in present:
                select.append(f'CAST("{column}" AS {sql_type}) AS "{column}"')
            else:
                select.append(f'CAST(NULL AS {sql_type}) AS "{column}"')
                opened.missing_columns.setdefault(name, []).append(column)
    else:
        if name in REQUIRED:
            raise ProfileError(
                f"{stage} output {file!r} is missing",
                hint=f"rerun the pipeline from the {stage} stage",
                path=ctx.run_dir,
            )
        opened.absent.append(name)
        select = [f'CAST(NULL AS {t}) AS "{c}"' for c, t in columns.items()]
        source = "(SELECT 1) AS empty_input WHERE false"
    con.execute(f"CREATE VIEW in_{name} AS SELECT {', '.join(select)} FROM {source}")


def _declared_sql_types(
    con: duckdb.DuckDBPyConnection, stage: str, table: str, columns: tuple[str, ...]
) -> dict[str, str]:
    """The DuckDB types of the declared Arrow types of ``columns`` (in that order)."""
    decl = declared_stage(stage).table(table)
    empty = pa.table({c: pa.array([], decl.column_type(c)) for c in columns})
    con.register("declared_types", empty)
    rows = con.execute("DESCRIBE SELECT * FROM declared_types").fetchall()
    con.unregister("declared_types")
    return {str(r[0]): str(r[1]) for r in rows}


def _reader(path: Path) -> str:
    """The DuckDB table function that reads an input file (Parquet, or CSV as text)."""
    if path.suffix == ".csv":
        return f"read_csv('{_quote_path(path)}', header = true, all_varchar = true)"
    return f"read_parquet('{_quote_path(path)}')"


def _columns_of(con: duckdb.DuckDBPyConnection, source: str) -> set[str]:
    rows = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    return {str(r[0]) for r in rows}


def _quote_path(path: Path) -> str:
    return str(path).replace("'", "''")
