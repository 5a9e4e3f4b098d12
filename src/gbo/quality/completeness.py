"""Completeness of every field, per agency, over the pseudonymised tables."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from gbo.schema.tables import PSEUDONYMISED_TABLES

# Columns that are keys or provenance, not recorded facts: always present, not reported.
NOT_REPORTED = {"record_pid", "record_pid_a", "record_pid_b", "offence_pid", "agency"}

COMPLETENESS_SCHEMA = pa.schema(
    [
        ("agency", pa.string()),
        ("table", pa.string()),
        ("field", pa.string()),
        ("n", pa.int64()),
        ("n_recorded", pa.int64()),
        ("share_recorded", pa.float64()),
    ]
)


def measure_completeness(tables: dict[str, pa.Table]) -> pa.Table:
    """One row per agency x table x field: rows, rows with a value, and the share."""
    con = duckdb.connect()
    parts: list[pa.Table] = []
    for name, table in tables.items():
        fields = [c.name for c in PSEUDONYMISED_TABLES[name].columns if c.name not in NOT_REPORTED]
        if table.num_rows == 0 or not fields:
            continue
        con.register("t", table)
        selects = " UNION ALL ".join(
            f"SELECT agency, '{name}' AS \"table\", '{f}' AS field, count(*) AS n, "
            f'count("{f}") AS n_recorded FROM t GROUP BY agency'
            for f in fields
        )
        parts.append(con.sql(selects).to_arrow_table())
        con.unregister("t")
    if not parts:
        return COMPLETENESS_SCHEMA.empty_table()
    con.register("all_parts", pa.concat_tables(parts))
    result: pa.Table = con.sql(
        'SELECT agency, "table", field, n, n_recorded, n_recorded / n AS share_recorded '
        'FROM all_parts ORDER BY agency, "table", field'
    ).to_arrow_table()
    return result.cast(COMPLETENESS_SCHEMA)
