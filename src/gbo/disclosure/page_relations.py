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
  ``Not recorded``; each margin of a cross-tabulation relates so to the field it classifies,
  and a category worked out from several fields to each of them (:func:`table_relations`,
  used when the stage controls the page and the tables together);
* a file's accepted rows are the rows of the tables its lines feed, and the bias audit's
  records without a field the person records without it, wherever the figures say so
  (:func:`accepted_rows_relations`, :func:`unrecorded_relations`);
* the people of a sex or ethnic group are at most the bias audit's records of that group,
  and nobody is in a group the audit does not list (:func:`bias_group_relations`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from itertools import combinations
from typing import Any

import pandas as pd

from gbo.disclosure.page_builder import ALL, PageTables, Row, Term, declare
from gbo.schema.codes import ONS_GROUPS, SEX

RULE_ROWS = "quality_rules_n_rows"
RULE_PROBLEMS = "quality_rules_n_problems"
COMPLETENESS = "quality_completeness"
AGENCY_DIMENSION = "agency"
PERSON_TABLE = "person_record"
# the label of a breakdown of rows without the field it classifies
NOT_RECORDED_LABEL = "Not recorded"


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


def accepted_rows_relations(t: PageTables, files: list[Row], completeness: list[Row]) -> None:
    """A file's accepted rows are the rows of the tables it feeds one line each.

    Which tables those are depends on the export (one line per attendance gives the
    health events; one line per involvement, contact or association the police's), and a
    reader who knows the export knows it. So wherever the accepted rows of some of an
    agency's files add up to the rows of some of its tables, that is declared: a
    quarantined count is then the rows read less the rows of those tables.
    """
    tables: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for item in completeness:
        tables[str(item["agency"])].setdefault(
            str(item["table"]), (completeness_key(item), int(item["n"]))
        )
    by_agency: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for f in files:
        by_agency[str(f.get("agency"))].append((file_key(f), int(f["rows_accepted"] or 0)))
    for agency, accepted in by_agency.items():
        rows_of = tables.get(agency)
        if not rows_of:
            continue
        sizes = range(1, len(accepted) + 1) if len(accepted) <= 4 else (1, len(accepted))
        for size in sizes:
            for chosen_files in combinations(accepted, size):
                n = sum(a for _, a in chosen_files)
                if n == 0:
                    continue
                for width in range(1, len(rows_of) + 1):
                    for chosen in combinations(sorted(rows_of), width):
                        if sum(rows_of[x][1] for x in chosen) != n:
                            continue
                        t.relate(
                            "quality_files",
                            [
                                *(("quality_files", k, "accepted", 1) for k, _ in chosen_files),
                                *((COMPLETENESS, rows_of[x][0], None, -1) for x in chosen),
                            ],
                            f"the rows accepted from {', '.join(k for k, _ in chosen_files)} "
                            f"are the rows of {agency} {' + '.join(chosen)}",
                            equals=True,
                        )


def unrecorded_relations(
    t: PageTables, bias: Mapping[str, list[Row]], completeness: list[Row]
) -> None:
    """The bias audit's records without a field are the person records without it.

    The audit groups every person record (by sex, by age band from the birth year...), and
    its "Not recorded" group holds the records without the field, summed over agencies:
    wherever the page's person records without a field add up to a dimension's "Not
    recorded" records, that is declared.
    """
    missing: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for item in completeness:
        if str(item["table"]) == PERSON_TABLE:
            missing[str(item["field"])].append(
                (completeness_key(item), int(item["n"]) - int(item["n_recorded"]))
            )
    for dimension, groups in bias.items():
        records = f"quality_bias_{dimension}_records"
        unrecorded = [int(b["n_records"]) for b in groups if b["group"] == NOT_RECORDED_LABEL]
        if not unrecorded:
            continue
        for field, parts in missing.items():
            if sum(n for _, n in parts) != unrecorded[0]:
                continue
            t.relate(
                records,
                [
                    (records, ALL, NOT_RECORDED_LABEL, 1),
                    *((COMPLETENESS, k, "not recorded", -1) for k, _ in parts),
                ],
                f"the bias audit's {dimension} Not recorded are the person records without {field}",
                equals=True,
            )


def table_relations(
    tables: pd.DataFrame,
    metadata: Mapping[str, Mapping[str, Any]],
    page: Mapping[str, Any],
    page_meta: dict[str, dict[str, Any]],
) -> None:
    """The page's completeness against the tables that classify the same rows by fields.

    A table's metadata names the fields its categories classify (``fields``: ``[[table,
    field], ...]``) and those its breakdowns classify (``breakdown_fields``, the other margin
    of a cross-tabulation). Where the table's ``All`` total is the rows the page checks for
    a field (summed over agencies), a reader relates each margin to the page:

    * the rows checked are the table's total;
    * categories of one field: the rows with it recorded and the table's ``Not recorded``
      are its total;
    * categories worked out from several fields (an age from a birth year and an offence
      date): ``Not recorded`` holds at least the rows without each field and at most the
      rows without one or the other;
    * breakdowns of a field: the rows with it recorded and the total of the ``Not
      recorded`` breakdown are the table's total.
    """
    if COMPLETENESS not in page_meta:
        return
    by_field: dict[tuple[str, str], list[str]] = defaultdict(list)
    rows_of: dict[str, int] = {}
    for item in page.get("completeness") or []:
        key = completeness_key(item)
        by_field[(str(item["table"]), str(item["field"]))].append(key)
        rows_of[key] = int(item["n"])
    meta_out = page_meta[COMPLETENESS]
    for table_id, frame in tables.groupby("table_id", sort=False):
        meta = metadata.get(str(table_id)) or {}
        column = frame[frame["breakdown"].astype(str) == ALL]
        if column.empty:
            continue
        total_rows = int(column["denominator"].iloc[0])

        def keys_of(fields: object, total_rows: int = total_rows) -> list[tuple[str, list[str]]]:
            out = []
            for item in fields or []:  # type: ignore[attr-defined]
                keys = list(dict.fromkeys(by_field.get((str(item[0]), str(item[1])), [])))
                # only the fields whose rows are the table's rows
                if keys and sum(rows_of[k] for k in keys) == total_rows:
                    out.append((str(item[1]), keys))
            return out

        on_categories = keys_of(meta.get("fields"))
        on_breakdowns = keys_of(meta.get("breakdown_fields"))
        if not on_categories and not on_breakdowns:
            continue
        total: Term = (str(table_id), ALL, None, -1)
        unrecorded = list(
            dict.fromkeys(
                column.loc[column["is_not_recorded"].astype(bool), "category"].astype(str)
            )
        )
        for field, keys in [*on_categories, *on_breakdowns]:
            declare(
                meta_out,
                [*((COMPLETENESS, k, None, 1) for k in keys), total],
                f"the rows checked for {field} are the total of {table_id}",
                equals=True,
            )
        if len(on_categories) == 1:
            field, keys = on_categories[0]
            declare(
                meta_out,
                [
                    *((COMPLETENESS, k, "recorded", 1) for k in keys),
                    *((str(table_id), ALL, c, 1) for c in unrecorded),
                    total,
                ],
                f"the rows with {field} recorded and the Not recorded of {table_id} are its total",
                equals=True,
            )
        elif on_categories and unrecorded:
            for field, keys in on_categories:
                declare(
                    meta_out,
                    [
                        (str(table_id), ALL, None, 1),
                        *((COMPLETENESS, k, "recorded", -1) for k in keys),
                        *((str(table_id), ALL, c, -1) for c in unrecorded),
                    ],
                    f"the Not recorded of {table_id} holds every row without {field}",
                )
            declare(
                meta_out,
                [
                    *((str(table_id), ALL, c, 1) for c in unrecorded),
                    *((COMPLETENESS, k, "recorded", 1) for _, keys in on_categories for k in keys),
                    (str(table_id), ALL, None, -len(on_categories)),
                ],
                f"the Not recorded of {table_id} holds only rows without one of its fields",
            )
        not_recorded_parts = [
            b
            for b in dict.fromkeys(frame["breakdown"].astype(str))
            if b != ALL and b in set(unrecorded) | {NOT_RECORDED_LABEL}
        ]
        for field, keys in on_breakdowns:
            declare(
                meta_out,
                [
                    *((COMPLETENESS, k, "recorded", 1) for k in keys),
                    *((str(table_id), b, None, 1) for b in not_recorded_parts),
                    total,
                ],
                f"the rows with {field} recorded and the Not recorded breakdown of {table_id} "
                "are its total",
                equals=True,
            )


# a field the bias audit groups records by -> (its records table, label of each group in
# the tables about people, by the group's name on the page)
BIAS_GROUPS: dict[tuple[str, str], tuple[str, Mapping[str, str]]] = {
    (PERSON_TABLE, "sex"): ("quality_bias_sex_records", SEX),
    (PERSON_TABLE, "ethnicity_self"): (
        "quality_bias_ethnicity_group_records",
        {g: g for g in ONS_GROUPS.values()},
    ),
}


def bias_group_relations(
    tables: pd.DataFrame,
    metadata: Mapping[str, dict[str, Any]],
    page_rows: pd.DataFrame,
    page_meta: dict[str, dict[str, Any]],
) -> None:
    """People of a group (Female, White...) at most the records of that group in the linkage
    bias audit: a person's sex or ethnic group is taken from their records, and the audit
    lists every group its records have. A group the audit does not list has no record, so
    nobody is in it: a reader reads the absence too, and its cells are structural zeros
    (``[z]``; only where they are zero, as they must be)."""
    for (table, field), (records, labels) in BIAS_GROUPS.items():
        if records not in page_meta:
            continue
        listed = set(page_rows.loc[page_rows["table_id"] == records, "category"].astype(str))
        for table_id, frame in tables.groupby("table_id", sort=False):
            meta = metadata.get(str(table_id))
            if meta is None or meta.get("unit") != "people":
                continue
            if [list(f) for f in meta.get("fields") or []] != [[table, field]]:
                continue
            for code, label in labels.items():
                cells = frame[frame["category"].astype(str) == label]
                for breakdown, count in zip(
                    cells["breakdown"].astype(str), cells["count"], strict=True
                ):
                    if code in listed:
                        declare(
                            page_meta[records],
                            [(str(table_id), breakdown, label, 1), (records, ALL, code, -1)],
                            f"people of {table_id} '{breakdown}' recorded as {label} are at "
                            f"most the records of {code} in the linkage bias audit",
                        )
                    elif int(count) == 0:
                        zeros = meta.setdefault("structural_zeros", [])
                        if [breakdown, label] not in zeros:
                            zeros.append([breakdown, label])
