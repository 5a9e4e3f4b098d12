"""DuckDB SQL that turns one sheet into candidate rows of one canonical table.

The query has three levels: the first reads each mapped column's source text (``raw``) and
applies the row filter and ``skip_if_blank``; the second computes each canonical value; the
third names the canonical columns in table order and gathers, for every row, the list of
problems (which quarantine it) and findings (which keep it). Flag columns (one yes/no
column per code) give one candidate row per flag that is set.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from gbo.ingest.canonical_columns import KEY_FROM_LOCAL, PRECISION_COLUMNS, PROVENANCE_COLUMNS
from gbo.ingest.column_sql import (
    ColumnSql,
    DateRules,
    build_column,
    quote_name,
    quote_text,
    text_list,
)
from gbo.ingest.column_sql import (
    column_expr as _sub,
)
from gbo.ingest.mapping_files import field_source
from gbo.ingest.row_rules import row_checks_outputs, row_rules
from gbo.ingest.text_table import ROW_COLUMN
from gbo.schema.mapping import AgencyMapping, TableMapping
from gbo.schema.tables import CANONICAL_TABLES

PROBLEM_TYPE = 'STRUCT("column" VARCHAR, rule VARCHAR, reason VARCHAR)'
FINDING_TYPE = 'STRUCT("column" VARCHAR, rule VARCHAR, detail VARCHAR)'


def duckdb_type(dtype: pa.DataType) -> str:
    if pa.types.is_list(dtype):
        return "VARCHAR[]"
    return {
        pa.string(): "VARCHAR",
        pa.int64(): "BIGINT",
        pa.date32(): "DATE",
        pa.bool_(): "BOOLEAN",
    }[dtype]


@dataclass(frozen=True)
class TableSql:
    sql: str
    source_columns: dict[str, str]  # canonical column -> source column it came from
    # Rows left out by ``skip_if_blank`` that still hold a value for the table: their row
    # numbers and the source columns with a value (None: the table skips no blanks).
    skipped_sql: str | None = None


def surrogate_sql(file_label: str) -> str:
    """SQL of the surrogate id of a row: ``~<file>:<line>``."""
    return f"({quote_text('~' + file_label + ':')} || CAST({quote_name(ROW_COLUMN)} AS VARCHAR))"


def build_table_sql(
    sheet: str,
    table: TableMapping,
    mapping: AgencyMapping,
    mapping_name: str,
    rules: DateRules,
    file_label: str = "row",
) -> TableSql:
    """The SELECT giving candidate rows of ``table.target`` from the registered ``sheet``.

    ``file_label`` names the file (and sheet) in the surrogate keys of blank ids.
    """
    target = table.target
    spec = CANONICAL_TABLES[target]
    columns: dict[str, ColumnSql] = {}
    sources: dict[str, str] = {}
    surrogate = surrogate_sql(file_label) if mapping.surrogate_keys else None
    for canonical, raw_spec in table.columns.items():
        source = field_source(raw_spec)
        columns[canonical] = build_column(
            target, canonical, source, mapping, mapping_name, rules, surrogate
        )
        if source.column is not None:
            sources[canonical] = source.column

    level1 = [quote_name(ROW_COLUMN)]
    level1 += [f"{c.raw} AS {quote_name(n + '__raw')}" for n, c in columns.items()]
    flag_columns = list(table.flags.columns.items()) if table.flags else []
    level1 += [
        f"lower(trim({quote_name(src)})) AS {quote_name(f'_flag{i}')}"
        for i, (src, _) in enumerate(flag_columns)
    ]
    where = [
        f"upper(trim(CAST({quote_name(src)} AS VARCHAR))) IN "
        f"{text_list({v.strip().upper() for v in values})}"
        for src, values in table.row_filter.items()
    ]
    where += [
        f"coalesce(upper(trim(CAST({quote_name(src)} AS VARCHAR))) NOT IN "
        f"{text_list({v.strip().upper() for v in values})}, true)"
        for src, values in table.exclude.items()
    ]
    filters = list(where)  # the mapping's row filters, without the blanks it skips
    where += [f"NOT {_sub(columns[n].blank, n)}" for n in table.skip_if_blank if n in columns]

    level2 = [quote_name(ROW_COLUMN)]
    level2 += [quote_name(f"_flag{i}") for i in range(len(flag_columns))]
    for name, col in columns.items():
        level2.append(quote_name(name + "__raw"))
        level2.append(f"{_sub(col.value, name)} AS {quote_name(name + '__val')}")
        level2 += [
            f"{_sub(expr, name)} AS {quote_name(f'{name}__{extra}')}"
            for extra, expr in col.extra.items()
        ]

    outputs = _output_columns(target, table, mapping, columns, spec.column_names)
    outputs.update(row_checks_outputs(target, mapping, columns))
    problems = [
        f"CASE WHEN {_sub(p.condition, name)} THEN {{'column': "
        f"{quote_text(p.source_column) if p.source_column else 'NULL'}, "
        f"'rule': {quote_text(p.rule)}, 'reason': {quote_text(p.reason)}}} END"
        for name, col in columns.items()
        for p in col.problems
    ]
    row_checks = row_rules(target, mapping, columns, sources)
    problems += [
        f"CASE WHEN {p.condition} THEN {{'column': "
        f"{quote_text(p.source_column) if p.source_column else 'NULL'}, "
        f"'rule': {quote_text(p.rule)}, 'reason': {quote_text(p.reason)}}} END"
        for p in row_checks.problems
    ]
    findings = [
        f"CASE WHEN {_sub(f.condition, name)} THEN {{'column': {quote_text(name)}, "
        f"'rule': {quote_text(f.rule)}, 'detail': {_sub(f.detail, name)}}} END"
        for name, col in columns.items()
        for f in col.findings
    ]
    findings += [
        f"CASE WHEN {f.condition} THEN {{'column': {quote_text(f.column)}, "
        f"'rule': {quote_text(f.rule)}, 'detail': {f.detail}}} END"
        for f in row_checks.findings
    ]
    finding_lists = [
        f"list_transform({_sub(col.list_findings, name)}, lambda x: {{'column': "
        f"{quote_text(name)}, 'rule': 'unmapped_code', 'detail': left(x, 40)}})"
        for name, col in columns.items()
        if col.list_findings
    ]
    problem_sql = (
        f"list_filter([CAST(NULL AS {PROBLEM_TYPE}), {', '.join(problems)}], "
        "lambda p: p IS NOT NULL)"
        if problems
        else f"CAST([] AS {PROBLEM_TYPE}[])"
    )
    finding_sql = (
        f"list_filter([CAST(NULL AS {FINDING_TYPE}), {', '.join(findings)}], "
        "lambda p: p IS NOT NULL)"
        if findings
        else f"CAST([] AS {FINDING_TYPE}[])"
    )
    for extra in finding_lists:
        finding_sql = f"list_concat({finding_sql}, {extra})"

    level1_sql = f"SELECT {', '.join(level1)} FROM {quote_name(sheet)}"
    if where:
        level1_sql += " WHERE " + " AND ".join(where)
    level2_sql = f"SELECT {', '.join(level2)} FROM ({level1_sql}) AS l1"
    selects: list[str] = []
    if table.flags is None:
        selects.append(_final_select(outputs, problem_sql, finding_sql, level2_sql, None))
    else:
        for i, (_, code) in enumerate(flag_columns):
            flagged = dict(outputs)
            flagged[table.flags.target_column] = quote_text(code)
            truthy = {v.lower() for v in table.flags.truthy}
            condition = f"{quote_name(f'_flag{i}')} IN {text_list(truthy)}"
            selects.append(_final_select(flagged, problem_sql, finding_sql, level2_sql, condition))
    skipped = _skipped_with_values(
        table, columns, sources, f"{', '.join(level1)} FROM {quote_name(sheet)}", filters
    )
    return TableSql(" UNION ALL ".join(selects), sources, skipped)


def _skipped_with_values(
    table: TableMapping,
    columns: dict[str, ColumnSql],
    sources: dict[str, str],
    level1: str,
    filters: list[str],
) -> str | None:
    """SQL of the rows ``skip_if_blank`` leaves out although another of the table's own
    columns holds a value (a contact date with no contact type): nothing made of them, so
    they are reported. Keys are left out of "own columns": every row of the sheet has them.
    """
    skips = [n for n in table.skip_if_blank if n in columns]
    own = [
        n
        for n in sources
        if n not in skips and n != "local_id" and not n.endswith("_key") and n in columns
    ]
    if not skips or not own:
        return None
    given = ", ".join(
        f"CASE WHEN NOT {_sub(columns[n].blank, n)} THEN {quote_text(sources[n])} END" for n in own
    )
    blank = " OR ".join(_sub(columns[n].blank, n) for n in skips)
    inner = f"SELECT {level1}"
    if filters:
        inner += " WHERE " + " AND ".join(filters)
    return (
        f"SELECT source_row, given FROM (SELECT {quote_name(ROW_COLUMN)} AS source_row, "
        f"list_filter([{given}], lambda x: x IS NOT NULL) AS given FROM ({inner}) AS l1 "
        f"WHERE {blank}) WHERE len(given) > 0 ORDER BY source_row"
    )


def _final_select(
    outputs: dict[str, str], problems: str, findings: str, level2: str, where: str | None
) -> str:
    cols = [f"{quote_name(ROW_COLUMN)} AS source_row"]
    cols += [f"{expr} AS {quote_name(name)}" for name, expr in outputs.items()]
    cols += [f"{problems} AS _problems", f"{findings} AS _findings"]
    sql = f"SELECT {', '.join(cols)} FROM ({level2}) AS l2"
    return sql + (f" WHERE {where}" if where else "")


def _output_columns(
    target: str,
    table: TableMapping,
    mapping: AgencyMapping,
    columns: dict[str, ColumnSql],
    names: list[str],
) -> dict[str, str]:
    """Canonical column -> SQL over level 2, in table order (provenance left out)."""
    spec = CANONICAL_TABLES[target]
    out: dict[str, str] = {}
    for name in names:
        if name in PROVENANCE_COLUMNS:
            continue
        if name in columns:
            out[name] = quote_name(name + "__val")
        else:
            out[name] = f"CAST(NULL AS {duckdb_type(spec.column(name).type)})"
    if target in KEY_FROM_LOCAL:
        key, local = KEY_FROM_LOCAL[target]
        prefix = quote_text(mapping.agency + ":")
        if key not in columns:
            out[key] = f"{prefix} || {quote_name(local + '__raw')}"
        if local not in columns:
            out[local] = quote_name(key + "__raw")
    for date_column, precision in PRECISION_COLUMNS.items():
        if date_column in columns and precision in out:
            out[precision] = quote_name(date_column + "__precision")
    if "ethnicity_self" in columns:
        out["ethnicity_self_list"] = quote_text(mapping.ethnicity_self_list)
    if "postcode" in columns and "postcode_district" not in columns:
        pc = quote_name("postcode__val")
        out["postcode_district"] = (
            f"CASE WHEN contains({pc}, ' ') THEN split_part({pc}, ' ', 1) "
            f"WHEN length({pc}) BETWEEN 5 AND 7 THEN left({pc}, length({pc}) - 3) END"
        )
    if table.flags is not None:
        out[table.flags.target_column] = "NULL"
    return out
