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

from gbo.errors import ProfileError
from gbo.runfolder import RunContext

# input name -> (stage, file, {column: DuckDB type})
INPUTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "person_record": (
        "vault",
        "person_record.parquet",
        {
            "record_pid": "VARCHAR",
            "agency": "VARCHAR",
            "birth_year": "BIGINT",
            "sex": "VARCHAR",
            "ethnicity_self": "VARCHAR",
            "ethnicity_officer": "VARCHAR",
            "nationality": "VARCHAR",
            "local_authority": "VARCHAR",
            "is_looked_after": "BOOLEAN",
        },
    ),
    "offence": (
        "vault",
        "offence.parquet",
        {
            "offence_pid": "VARCHAR",
            "agency": "VARCHAR",
            "ho_offence_code": "VARCHAR",
            "is_cse_flagged": "BOOLEAN",
            "is_online": "BOOLEAN",
            "cocad_category": "VARCHAR",
            "first_date": "DATE",
            "last_date": "DATE",
            "recorded_date": "DATE",
            "location_type": "VARCHAR",
            "methods": "VARCHAR[]",
            "police_force_area": "VARCHAR",
            "local_authority": "VARCHAR",
            "outcome_code": "VARCHAR",
            "outcome_date": "DATE",
        },
    ),
    "involvement": (
        "vault",
        "involvement.parquet",
        {"offence_pid": "VARCHAR", "record_pid": "VARCHAR", "agency": "VARCHAR", "role": "VARCHAR"},
    ),
    "event": (
        "vault",
        "event.parquet",
        {
            "record_pid": "VARCHAR",
            "agency": "VARCHAR",
            "event_type": "VARCHAR",
            "event_date": "DATE",
            "event_reason": "VARCHAR",
        },
    ),
    "vulnerability": (
        "vault",
        "vulnerability.parquet",
        {"record_pid": "VARCHAR", "agency": "VARCHAR", "marker": "VARCHAR", "marker_date": "DATE"},
    ),
    "person_record_map": (
        "link",
        "person_record_map.parquet",
        {"record_pid": "VARCHAR", "person_pid": "VARCHAR", "agency": "VARCHAR"},
    ),
    "person": (
        "link",
        "person.parquet",
        {
            "person_pid": "VARCHAR",
            "n_records": "BIGINT",
            "sex": "VARCHAR",
            "birth_year": "BIGINT",
            "ethnicity_self": "VARCHAR",
            "ethnicity_officer": "VARCHAR",
            "nationality": "VARCHAR",
            "has_conflicting_sex": "BOOLEAN",
            "has_conflicting_dob": "BOOLEAN",
        },
    ),
    "group_membership": (
        "groups",
        "group_membership.parquet",
        {"person_pid": "VARCHAR", "group_pid": "VARCHAR", "is_lone": "BOOLEAN"},
    ),
    "group": (
        "groups",
        "group.parquet",
        {
            "group_pid": "VARCHAR",
            "n_offenders": "BIGINT",
            "n_victims": "BIGINT",
            "n_offences": "BIGINT",
            "first_date": "DATE",
            "last_date": "DATE",
            "duration_days": "BIGINT",
        },
    ),
    "group_offence": (
        "groups",
        "group_offence.parquet",
        {"group_pid": "VARCHAR", "offence_pid": "VARCHAR"},
    ),
    "group_victim": (
        "groups",
        "group_victim.parquet",
        {"group_pid": "VARCHAR", "person_pid": "VARCHAR"},
    ),
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
    con = duckdb.connect(":memory:")
    con.execute("SET preserve_insertion_order = false")
    opened = OpenedInputs(con)
    for name, (stage, file, columns) in INPUTS.items():
        if ctx.has_input(stage, file):
            path = ctx.input_path(stage, file)
            opened.paths[name] = path
            present = _columns_of(con, _reader(path))
            select = []
            for column, sql_type in columns.items():
                if column in present:
                    select.append(f'CAST("{column}" AS {sql_type}) AS "{column}"')
                else:
                    select.append(f'CAST(NULL AS {sql_type}) AS "{column}"')
                    opened.missing_columns.setdefault(name, []).append(column)
            source = _reader(path)
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
    for name, cols in opened.missing_columns.items():
        warn(f"input {name} has no column(s) {', '.join(cols)}: counted as not recorded")
    for name in opened.absent:
        warn(f"input {name} is absent: tables that need it are empty")
    return opened


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
