"""The published data quality page, controlled by the same machinery as the tables.

The quality stage writes the page's figures (``page.json``: rows read and rejected by file,
quarantined rows by rule, unmapped codes, other findings, completeness by agency and field,
linkage quality, the linkage bias audit) and the full page for the analyst. Its counts are
small cells like any other: a rule that quarantined two rows, a code value seen once, a
group of the bias audit with three records. Here every count of the page becomes a figure of
a tidy table with its relations declared:

* rows read = rows accepted + rows rejected + rows left out, for each file (additive);
* rows with a rule, findings, unmapped codes: at most the rows of their file or agency
  (multi-response: a row can break several rules);
* the rules of a file: a rule's rows are at most its problems (a row it quarantined raised
  at least one) and at most the file's quarantined rows, and together they are at least
  the file's quarantined rows (every quarantined row broke a rule): a reader who sees the
  other rules' rows and the file's total has a floor for the one withheld;
* completeness: recorded + not recorded = fields checked (additive); every field of one
  agency's table is checked on the same rows, so their totals are one figure, and those of
  the person records are the records of that agency in the linkage bias audit; a finding
  about a table counts at most that table's rows;
* the bias audit: each group's records add up to all records of the dimension (additive),
  its linked, near-miss, missed and false-merged records are at most its records, and each
  of those columns adds up over the groups to one total shared by every dimension (so a
  dimension shown in full does not give away the rest of another);
* the linkage facts (records, persons, links, persons by number of records) and how they
  meet the bias audit's totals (:mod:`gbo.disclosure.linkage_facts`).

:func:`control_disclosure` then withholds, completes secondary suppression and audits the
result exactly as for the tables; the page is rendered from the published figures, with the
percentages of a withheld count withheld too. A withheld linkage fact is ``[c]``; any other
whole number in the linkage block from 1 to k - 1 is said as "fewer than k".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from gbo.disclosure.control import DisclosureResult, control_disclosure
from gbo.disclosure.linkage_facts import (
    LINKAGE_TABLES,
    add_bias_relations,
    add_linkage_tables,
    controlled_linkage,
)
from gbo.disclosure.page_builder import ALL, PageTables, Row
from gbo.disclosure.page_relations import (
    AGENCY_DIMENSION,
    COMPLETENESS,
    accepted_rows_relations,
    agency_key,
    completeness_key,
    completeness_relations,
    file_key,
    finding_label,
    records_by_agency,
    rule_relations,
    unmapped_label,
    unrecorded_relations,
)
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import CONFIDENTIAL

# page tables whose categories are properties of records, not attributes of people
NOT_ATTRIBUTES = ("quality_files", COMPLETENESS)


def _upper_bounds(
    items: list[dict[str, Any]],
    key_of: Callable[[dict[str, Any]], str],
    known: Mapping[str, int],
    column: str,
) -> dict[str, int]:
    """One total per breakdown: the known total, or the largest count if that is larger."""
    totals: dict[str, int] = {}
    for item in items:
        key = key_of(item)
        totals[key] = max(totals.get(key, known.get(key, 0)), int(item[column]))
    return totals


def page_tables(page: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Every count of the page as tidy tables with their declared relations."""
    t = PageTables()
    files = [f for f in page.get("files") or [] if f.get("rows_read") is not None]
    read_by_file = {file_key(f): int(f["rows_read"]) for f in files}
    rejected_by_file = {file_key(f): int(f["rows_rejected"] or 0) for f in files}
    accepted_by_agency: dict[str, int] = defaultdict(int)
    t.table("quality_files", additive=True)
    for f in files:
        key = file_key(f)
        t.add("quality_files", key, "accepted", int(f["rows_accepted"] or 0), read_by_file[key])
        t.add("quality_files", key, "rejected", rejected_by_file[key], read_by_file[key])
        left_out = int(f.get("rows_left_out") or 0)
        t.add("quality_files", key, "left_out", left_out, read_by_file[key])
        accepted_by_agency[str(f.get("agency"))] += int(f["rows_accepted"] or 0)
    # In these tables a row may count under several categories, so a breakdown's total is
    # only an upper bound of its counts: the rows read or accepted, or the largest count when
    # that is larger (a row can raise several problems). One total per breakdown.
    rules = page.get("rejected_by_rule") or []
    for column in ("n_rows", "n_problems"):
        table_id = f"quality_rules_{column}"
        t.table(table_id, additive=False)
        totals = _upper_bounds(rules, file_key, rejected_by_file, column)
        for r in rules:
            key = file_key(r)
            t.add(table_id, key, str(r["rule"]), int(r[column]), totals[key])
            t.listed(table_id, key, str(r["rule"]), int(r[column]))
    rule_relations(t, rules, rejected_by_file)
    for table_id, items, label in (
        ("quality_unmapped", page.get("unmapped") or [], unmapped_label),
        ("quality_findings", page.get("other_findings") or [], finding_label),
    ):
        t.table(table_id, additive=False)
        totals = _upper_bounds(items, agency_key, accepted_by_agency, "n_rows")
        for item in items:
            key = agency_key(item)
            t.add(table_id, key, label(item), int(item["n_rows"]), totals[key])
            t.listed(table_id, key, label(item), int(item["n_rows"]))
    t.table(COMPLETENESS, additive=True)
    checked: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in page.get("completeness") or []:
        key = completeness_key(c)
        n, recorded = int(c["n"]), int(c["n_recorded"])
        t.add(COMPLETENESS, key, "recorded", recorded, n)
        t.add(COMPLETENESS, key, "not recorded", n - recorded, n)
        checked[(str(c["agency"]), str(c["table"]))].append(key)
    completeness_relations(t, checked, page.get("other_findings") or [])
    bias = page.get("bias") or []
    by_dimension: dict[str, list[Row]] = defaultdict(list)
    for b in bias:
        by_dimension[str(b["dimension"])].append(b)
    for dimension, group in by_dimension.items():
        records = f"quality_bias_{dimension}_records"
        t.table(records, additive=True, margin=f"bias_{dimension}")
        total = sum(int(b["n_records"]) for b in group)
        for b in group:
            t.add(records, ALL, str(b["group"]), int(b["n_records"]), total)
            t.listed(records, ALL, str(b["group"]), int(b["n_records"]))
        outcomes = f"quality_bias_{dimension}"
        t.table(outcomes, additive=False, margin=f"bias_{dimension}")
        by_column: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for b in group:
            for column in b:
                if column.startswith("n_") and column != "n_records" and b[column] is not None:
                    t.add(outcomes, str(b["group"]), column, int(b[column]), int(b["n_records"]))
                    by_column[column].append((str(b["group"]), int(b[column])))
        # The groups of a dimension add up to all its linked (missed, near-miss...) records,
        # and every dimension splits the same records: a reader who sees every group of one
        # dimension has the total for the others. The transposed table says so (its column
        # totals are one figure across dimensions, its cells the same figures as above).
        across = f"quality_bias_{dimension}_by_outcome"
        t.table(across, additive=True, margin=f"bias_{dimension}")
        for column, cells in by_column.items():
            total = sum(n for _, n in cells)
            for group_label, n in cells:
                t.add(across, column, group_label, n, total)
    records_by_agency(t, by_dimension.get(AGENCY_DIMENSION, []), checked)
    completeness = page.get("completeness") or []
    accepted_rows_relations(t, files, completeness)
    unrecorded_relations(t, by_dimension, completeness)
    linkage = page.get("linkage")
    if isinstance(linkage, dict):
        add_linkage_tables(t, linkage)
        add_bias_relations(t, list(by_dimension), linkage)
    return pd.DataFrame(t.rows), t.metadata


def _shown(result: DisclosureResult) -> dict[tuple[str, str, str | None], str]:
    """Display text of every count (category set) and column total (category None)."""
    out: dict[tuple[str, str, str | None], str] = {}
    for r in result.tables.itertuples(index=False):
        out[(str(r.table_id), str(r.breakdown), str(r.category))] = str(r.count_display)
        out[(str(r.table_id), str(r.breakdown), None)] = str(r.denominator_display)
    return out


def _number_or_symbol(display: str) -> int | str:
    return int(display) if display.isdigit() else display


def page_settings(settings: DisclosureSettings) -> DisclosureSettings:
    """The settings with the page's record-level tables exempt from the all-in-one rule.

    "Every row of this file was accepted", "every row has this field recorded" say nothing
    about a person, and the notes of the tables give the same shares ("police 100% of
    140"): withholding them under the all-in-one-category rule would protect nothing.
    """
    exempt = [*settings.dominance_exempt_tables, *NOT_ATTRIBUTES, *LINKAGE_TABLES]
    return settings.model_copy(update={"dominance_exempt_tables": exempt})


def controlled_page(
    page: dict[str, Any], settings: DisclosureSettings
) -> tuple[dict[str, Any], DisclosureResult | None]:
    """The page's figures as published, and the control result (None when nothing to do).

    The page on its own; the disclosure stage controls it together with the tables
    (:func:`published_page` then renders it from that joint result)."""
    rows, metadata = page_tables(page)
    if rows.empty:
        return dict(page) | {"withheld_below": settings.threshold}, None
    result = control_disclosure(rows, metadata, page_settings(settings))
    return published_page(page, result, settings.threshold), result


def published_page(
    page: dict[str, Any], result: DisclosureResult, threshold: int
) -> dict[str, Any]:
    """The page's figures as a control result publishes them."""
    shown = _shown(result)
    out = dict(page)
    # with counts rounded, shares are worked from the rounded counts: a share of the true
    # counts would give them back ("56.1%" of a shown 75 of 130 fits only 74 of 132)
    rounded = int((result.metadata.get("disclosure") or {}).get("rounding_base", 1)) > 1

    def figure(table_id: str, breakdown: str, category: str | None, value: Any) -> Any:
        display = shown.get((table_id, breakdown, category))
        return value if display is None else _number_or_symbol(display)

    out["files"] = []
    for f in page.get("files") or []:
        key = file_key(f)
        f = dict(f)
        if f.get("rows_read") is not None:
            f["rows_left_out"] = int(f.get("rows_left_out") or 0)
            f["reconciles"] = (
                f["rows_read"] == f["rows_accepted"] + f["rows_rejected"] + f["rows_left_out"]
            )
            f["rows_read"] = figure("quality_files", key, None, f["rows_read"])
            f["rows_accepted"] = figure("quality_files", key, "accepted", f["rows_accepted"])
            f["rows_rejected"] = figure("quality_files", key, "rejected", f["rows_rejected"])
            f["rows_left_out"] = figure("quality_files", key, "left_out", f["rows_left_out"])
        out["files"].append(f)
    out["rejected_by_rule"] = [
        r
        | {
            c: figure(f"quality_rules_{c}", file_key(r), str(r["rule"]), r[c])
            for c in ("n_rows", "n_problems")
        }
        for r in page.get("rejected_by_rule") or []
    ]
    out["unmapped"] = [
        u
        | {
            "n_rows": figure(
                "quality_unmapped", str(u["agency"]), f"{u['column']}={u['code_value']}", 0
            )
        }
        for u in page.get("unmapped") or []
    ]
    out["other_findings"] = [
        o
        | {
            "n_rows": figure(
                "quality_findings",
                str(o["agency"]),
                f"{o['table']}.{o['column']} {o['rule']} {o['severity']}",
                o["n_rows"],
            )
        }
        for o in page.get("other_findings") or []
    ]
    completeness = []
    for c in page.get("completeness") or []:
        key = completeness_key(c)
        recorded = figure(COMPLETENESS, key, "recorded", c["n_recorded"])
        missing = figure(COMPLETENESS, key, "not recorded", 0)
        n = figure(COMPLETENESS, key, None, c["n"])
        row = dict(c) | {"n_recorded": recorded, "n": n}
        if CONFIDENTIAL in (recorded, missing, n):
            row["share_recorded"] = None  # it would give the withheld count back
        elif rounded and row.get("share_recorded") is not None:
            row["share_recorded"] = _share(recorded, n, 1.0)
        completeness.append(row)
    out["completeness"] = completeness
    bias = []
    for b in page.get("bias") or []:
        dimension, group = str(b["dimension"]), str(b["group"])
        row = dict(b)
        row["n_records"] = figure(f"quality_bias_{dimension}_records", ALL, group, b["n_records"])
        for column in b:
            if column.startswith("n_") and column != "n_records":
                row[column] = figure(f"quality_bias_{dimension}", group, column, b[column])
                pct = "pct" + column[1:]
                if pct in row and CONFIDENTIAL in (row[column], row["n_records"]):
                    row[pct] = CONFIDENTIAL
                elif pct in row and rounded and row[pct] is not None:
                    row[pct] = _share(row[column], row["n_records"], 100.0)
        bias.append(row)
    out["bias"] = bias
    if isinstance(page.get("linkage"), dict):
        linkage = controlled_linkage(page["linkage"], shown)
        out["linkage"] = _controlled_facts(linkage, threshold)
    out["withheld_below"] = threshold
    return out


def _share(part: Any, whole: Any, scale: float) -> float | None:
    """``part`` of ``whole`` (both as published), times ``scale``; None if either is not a
    number."""
    if not isinstance(part, int) or not isinstance(whole, int) or whole <= 0:
        return None
    return scale * part / whole  # unrounded: the page rounds it once, as it shows it


def _controlled_facts(facts: dict[str, Any], threshold: int) -> dict[str, Any]:
    """Whole-number counts of 1 to threshold - 1 said as 'fewer than k', nested too."""
    out: dict[str, Any] = {}
    for key, value in facts.items():
        if isinstance(value, dict):
            out[key] = _controlled_facts(value, threshold)
        elif isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold:
            out[key] = f"fewer than {threshold}"
        else:
            out[key] = value
    return out
