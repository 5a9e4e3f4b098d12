"""What a reader knows of the data quality page's figures beyond each table on its own.

The page's tables (:mod:`gbo.disclosure.quality_page`) say that rows read split into
accepted, quarantined and left out, that no count exceeds its total, and so on. A reader
who knows what the figures mean knows more, and each of these is declared as a relation
(:meth:`~gbo.disclosure.page_builder.PageTables.relate`, used only where it holds):

* the rows a rule quarantined are at most its problems and at most the file's quarantined
  rows, and the rules of a file together cover all its quarantined rows (every quarantined
  row broke at least one rule);
* every field of one agency's table is checked on the same rows, a finding about a table
  counts at most its rows, and the linkage bias audit's records of an agency are its person
  records;
* the tables of the release that classify those rows by a field (offences by COCAD category,
  by location...) have the page's rows as their total and its unrecorded rows as their
  ``Not recorded`` (:func:`table_relations`, used when the stage controls the page and the
  tables together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from gbo.disclosure.page_builder import ALL, PageTables, Row, Term, declare

RULE_ROWS = "quality_rules_n_rows"
RULE_PROBLEMS = "quality_rules_n_problems"
COMPLETENESS = "quality_completeness"
AGENCY_DIMENSION = "agency"
PERSON_TABLE = "person_record"


def completeness_key(item: Mapping[str, Any]) -> str:
    return f"{item['agency']} {item['table']}.{item['field']}"


def file_key(row: Row) -> str:
    return f"{row.get('agency')}: {row.get('source_file')}"


def agency_key(item: dict[str, Any]) -> str:
    return str(item.get("agency"))


def unmapped_label(item: dict[str, Any]) -> str:
    return f"{item['column']}={item['code_value']}"


def finding_label(item: dict[str, Any]) -> str:
    return f"{item['table']}.{item['column']} {item['rule']} {item['severity']}"


def rule_relations(t: PageTables, rules: list[Row], rejected_by_file: Mapping[str, int]) -> None:
    """What a reader knows of the rules of a file beyond each table on its own."""
    by_file: dict[str, list[str]] = defaultdict(list)
    for r in rules:
        key, rule = file_key(r), str(r["rule"])
        by_file[key].append(rule)
        t.relate(
            RULE_ROWS,
            [(RULE_ROWS, key, rule, 1), (RULE_PROBLEMS, key, rule, -1)],
            f"the rows '{rule}' quarantined in {key} are at most its problems",
        )
    for key, names in by_file.items():
        if key not in rejected_by_file:
            continue
        for rule in names:
            t.relate(
                RULE_ROWS,
                [(RULE_ROWS, key, rule, 1), ("quality_files", key, "rejected", -1)],
                f"the rows '{rule}' quarantined in {key} are at most the file's quarantined rows",
            )
        t.relate(
            RULE_ROWS,
            [("quality_files", key, "rejected", 1), *((RULE_ROWS, key, r, -1) for r in names)],
            f"every row quarantined in {key} broke at least one rule",
        )


def completeness_relations(
    t: PageTables, checked: Mapping[tuple[str, str], list[str]], findings: list[Row]
) -> None:
    """The fields of one agency's table are checked on the same rows; a finding about that
    table counts at most its rows."""
    for (agency, table), keys in checked.items():
        for key in keys[1:]:
            t.relate(
                "quality_completeness",
                [
                    ("quality_completeness", key, None, 1),
                    ("quality_completeness", keys[0], None, -1),
                ],
                f"every field of {agency} {table} is checked on the same rows",
                equals=True,
            )
    for item in findings:
        rows_of = checked.get((str(item.get("agency")), str(item.get("table"))))
        if rows_of:
            t.relate(
                "quality_findings",
                [
                    ("quality_findings", agency_key(item), finding_label(item), 1),
                    ("quality_completeness", rows_of[0], None, -1),
                ],
                f"rows with the finding {finding_label(item)} are at most the rows of "
                f"{item.get('agency')} {item.get('table')}",
            )


def records_by_agency(
    t: PageTables, groups: list[Row], checked: Mapping[tuple[str, str], list[str]]
) -> None:
    """The linkage bias audit's records of an agency are that agency's person records."""
    for b in groups:
        keys = checked.get((str(b["group"]), PERSON_TABLE))
        if keys:
            t.relate(
                f"quality_bias_{AGENCY_DIMENSION}_records",
                [
                    (f"quality_bias_{AGENCY_DIMENSION}_records", ALL, str(b["group"]), 1),
                    ("quality_completeness", keys[0], None, -1),
                ],
                f"the linkage records of {b['group']} are its person records",
                equals=True,
            )


def table_relations(
    tables: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    page: Mapping[str, Any],
    page_meta: dict[str, dict[str, Any]],
) -> None:
    """The page's completeness against the tables that classify the same rows by a field.

    A table whose metadata names the one field it classifies (``fields``: ``[[table,
    field]]``) counts, in its ``All`` column, the rows the page checks for that field when
    its total is those rows: its total is the page's rows (summed over agencies), and its
    unrecorded categories the page's rows without the field. A reader who sees the page's
    rows recorded has the table's ``Not recorded``, and the other way round.
    """
    if COMPLETENESS not in page_meta:
        return
    by_field: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in page.get("completeness") or []:
        by_field[(str(item["table"]), str(item["field"]))].append(completeness_key(item))
    for table_id, frame in tables.groupby("table_id", sort=False):
        fields = (metadata.get(str(table_id)) or {}).get("fields") or []
        if len(fields) != 1:
            continue
        row_table, field = str(fields[0][0]), str(fields[0][1])
        keys = list(dict.fromkeys(by_field.get((row_table, field), [])))
        column = frame[frame["breakdown"].astype(str) == ALL]
        if not keys or column.empty:
            continue
        unrecorded = column.loc[column["is_not_recorded"].astype(bool), "category"].astype(str)
        total: Term = (str(table_id), ALL, None, -1)
        declare(
            page_meta[COMPLETENESS],
            [*((COMPLETENESS, k, None, 1) for k in keys), total],
            f"the rows checked for {field} are the total of {table_id}",
            equals=True,
        )
        declare(
            page_meta[COMPLETENESS],
            [
                *((COMPLETENESS, k, "recorded", 1) for k in keys),
                *((str(table_id), ALL, c, 1) for c in unrecorded),
                total,
            ],
            f"the rows with {field} recorded and the Not recorded of {table_id} are its total",
            equals=True,
        )
