"""The data quality page against a reader who knows what the page's figures mean: every
dimension of the linkage bias audit splits the same records, the rules of a file cover its
quarantined rows, and every field of a table is checked on the same rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.optimize import linprog

from gbo.disclosure.linear_system import build_linear_system
from gbo.disclosure.quality_page import controlled_page, page_tables
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.symbols import CONFIDENTIAL
from gbo.quality.page import render_quality_page
from tests.disclosure.attacker import Attack, Finding, solve
from tests.disclosure.attacker_pages import add_quality_page


def _bias(dimension: str, group: str, records: int, missed: int) -> dict[str, Any]:
    return {
        "dimension": dimension,
        "group": group,
        "n_records": records,
        "n_missed_link": missed,
        "pct_missed_link": round(100 * missed / records, 2),
    }


def _page() -> dict[str, Any]:
    # agencies shown in full give the total of missed links (20); sex then leaves 3 for
    # the two withheld groups, each pinned to [0, 3] unless more is withheld
    return {
        "bias": [
            _bias("agency", "health", 1499, 5),
            _bias("agency", "police", 1997, 9),
            _bias("agency", "social_care", 1496, 6),
            _bias("sex", "F", 2605, 17),
            _bias("sex", "M", 2330, 2),
            _bias("sex", "Not recorded", 57, 1),
        ]
    }


def _ranges(page: dict[str, Any]) -> dict[tuple[str, str], tuple[float, float]]:
    """A reader's range for each withheld missed-link count: each dimension's groups add up
    to one total, each count at least 0 (and at most its group's records)."""
    rows = page["bias"]
    names = [(r["dimension"], r["group"]) for r in rows] + [("total", "")]
    n = len(names)
    bounds: list[tuple[float, float | None]] = []
    for r in rows:
        value = r["n_missed_link"]
        bounds.append((value, value) if value != CONFIDENTIAL else (0, r["n_records"]))
    bounds.append((0, None))
    a_eq, b_eq = [], []
    for dimension in {r["dimension"] for r in rows}:
        row = np.zeros(n)
        for i, r in enumerate(rows):
            if r["dimension"] == dimension:
                row[i] = 1
        row[-1] = -1
        a_eq.append(row)
        b_eq.append(0)
    out = {}
    for i, r in enumerate(rows):
        if r["n_missed_link"] != CONFIDENTIAL:
            continue
        ends = []
        for sense in (1, -1):
            c = np.zeros(n)
            c[i] = sense
            res = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
            ends.append(sense * res.fun)
        out[names[i]] = (ends[0], ends[1])
    return out


def test_bias_audit_dimensions_share_their_totals() -> None:
    published, control = controlled_page(_page(), DisclosureSettings(threshold=5))
    assert control is not None and control.audit.passed
    ranges = _ranges(published)
    assert ranges, "the small groups should be withheld"
    assert all(high - low >= 5 for low, high in ranges.values()), ranges


def test_a_field_recorded_on_every_row_is_shown() -> None:
    # the tables' notes say "police 100% of 140": withholding the count here protects nothing
    page = {
        "completeness": [
            {"agency": "police", "table": "offence", "field": "first_date", "n": 140,
             "n_recorded": 140, "share_recorded": 1.0},
            {"agency": "police", "table": "offence", "field": "methods", "n": 140,
             "n_recorded": 100, "share_recorded": 100 / 140},
        ]
    }  # fmt: skip
    published, control = controlled_page(page, DisclosureSettings(threshold=5))
    assert control is not None and control.audit.passed
    assert [c["n_recorded"] for c in published["completeness"]] == [140, 100]


def _file(name: str, read: int, accepted: int, rejected: int, left_out: int) -> dict[str, Any]:
    return {
        "agency": "police",
        "source_file": name,
        "rows_read": read,
        "rows_accepted": accepted,
        "rows_rejected": rejected,
        "rows_left_out": left_out,
    }


def test_rows_left_out_by_the_mapping_reconcile_and_are_controlled() -> None:
    page = {"files": [_file("a.csv", 400, 350, 20, 30), _file("b.csv", 300, 290, 8, 2)]}
    published, control = controlled_page(page, DisclosureSettings(threshold=5))
    assert control is not None and control.audit.passed
    by_name = {f["source_file"]: f for f in published["files"]}
    assert by_name["a.csv"]["reconciles"] and by_name["b.csv"]["reconciles"]
    assert by_name["a.csv"]["rows_left_out"] == 30
    # 2 rows left out is a small count: withheld, and so is a second figure of its file
    assert by_name["b.csv"]["rows_left_out"] == CONFIDENTIAL
    shown = [by_name["b.csv"][c] for c in ("rows_accepted", "rows_rejected", "rows_read")]
    assert sum(1 for v in shown if v == CONFIDENTIAL) >= 1


def _rule(file: str, rule: str, rows: int, problems: int) -> dict[str, Any]:
    return {
        "agency": "police",
        "source_file": file,
        "rule": rule,
        "n_rows": rows,
        "n_problems": problems,
    }


def _rules_page() -> dict[str, Any]:
    # seed 11 of the attack benchmark: 27 rows quarantined, the rules other than future_date
    # quarantined 24 of them, and future_date raised 6 problems: withholding its 3 rows
    # alone left them between 27 - 24 = 3 and 6
    return {
        "files": [_file("police_nominals.csv", 5804, 5777, 27, 0)],
        "rejected_by_rule": [
            _rule("police_nominals.csv", "duplicate_row", 6, 6),
            _rule("police_nominals.csv", "future_date", 3, 6),
            _rule("police_nominals.csv", "impossible_date", 5, 10),
            _rule("police_nominals.csv", "unknown_code", 6, 6),
            _rule("police_nominals.csv", "unknown_reference", 7, 7),
        ],
    }


def _attack_page(page: dict[str, Any], path: Path, threshold: int) -> list[Finding]:
    """The outside reader's ranges for the published page (it reads the HTML only)."""
    path.write_text(render_quality_page(**page), encoding="utf-8")
    attack = Attack()
    add_quality_page(attack, path, threshold)
    narrow, withheld = solve(attack, threshold)
    assert withheld > 0
    return narrow


@pytest.mark.parametrize("threshold", [5, 10])
def test_the_rules_of_a_file_cover_its_quarantined_rows(threshold: int, tmp_path: Path) -> None:
    published, control = controlled_page(_rules_page(), DisclosureSettings(threshold=threshold))
    assert control is not None and control.audit.passed
    narrow = _attack_page(published, tmp_path / "data-quality.html", threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


def test_completeness_fields_of_one_table_share_their_rows(tmp_path: Path) -> None:
    # every field of a table is checked on the same rows: a withheld total of one field is
    # the shown total of another
    page = {
        "completeness": [
            {"agency": "police", "table": "offence", "field": f, "n": 140, "n_recorded": r,
             "share_recorded": r / 140}
            for f, r in (("first_date", 138), ("methods", 100), ("last_date", 40))
        ],
        "other_findings": [
            {"agency": "police", "table": "offence", "column": "first_date",
             "rule": "late_date", "severity": "warning", "n_rows": 3},
        ],
    }  # fmt: skip
    published, control = controlled_page(page, DisclosureSettings(threshold=5))
    assert control is not None and control.audit.passed
    families = control.audit.families
    assert families["declared relations between figures of different tables"] >= 3
    narrow = _attack_page(published, tmp_path / "data-quality.html", 5)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


def test_with_counts_rounded_the_page_shares_are_worked_from_them() -> None:
    """The settings round of December 2026: under base-5 rounding the page showed 75 of 130
    offence rows with a category beside a share of 56.1% of the true 74 of 132, and the
    bias audit's rates (70.450% of a shown 310) gave its true 217 of 308 back."""
    page = {
        "completeness": [
            {"agency": "police", "table": "offence", "field": "cocad_category", "n": 132,
             "n_recorded": 74, "share_recorded": 74 / 132}
        ],
        "bias": [
            {"dimension": "sex", "group": g, "n_records": n, "n_linked": linked,
             "pct_linked": round(100 * linked / n, 3)}
            for g, n, linked in (("F", 308, 217), ("M", 121, 60))
        ],
    }  # fmt: skip
    published, result = controlled_page(page, DisclosureSettings(rounding="base5"))
    assert result is not None and result.audit.passed, result and result.audit.problems
    row = published["completeness"][0]
    assert (row["n_recorded"], row["n"]) == (75, 130)
    assert row["share_recorded"] == 75 / 130
    for b in published["bias"]:
        assert b["n_records"] % 5 == 0 and b["n_linked"] % 5 == 0
        assert b["pct_linked"] == 100 * b["n_linked"] / b["n_records"]


def _fields(agency: str, table: str, n: int, **recorded: int) -> list[dict[str, Any]]:
    return [
        {"agency": agency, "table": table, "field": f, "n": n, "n_recorded": r,
         "share_recorded": r / n}
        for f, r in recorded.items()
    ]  # fmt: skip


def _two_agencies() -> dict[str, Any]:
    """The red team of stop 60 (sparse world, seed 95, k = 5): a health export of one line
    per attendance, 88 read and 85 accepted, beside 85 health event rows; a police export
    whose lines are each an involvement, a contact or an association (253 = 178 + 65 + 10)."""
    health = {"agency": "health", "source_file": "health.ndjson"}
    return {
        "files": [
            _file("police.csv", 267, 253, 14, 0),
            health | {"rows_read": 88, "rows_accepted": 85, "rows_rejected": 3,
                      "rows_left_out": 0},
        ],
        "rejected_by_rule": [
            _rule("police.csv", "future_date", 4, 8),
            _rule("police.csv", "unknown_code", 8, 8),
            _rule("police.csv", "unknown_reference", 2, 2),
            health | {"rule": "future_date", "n_rows": 2, "n_problems": 2},
            health | {"rule": "unknown_code", "n_rows": 1, "n_problems": 1},
        ],
        "completeness": [
            *_fields("health", "event", 85, event_date=85, event_type=85),
            *_fields("health", "person_record", 48, birth_year=38, sex=42),
            *_fields("police", "involvement", 178, role=178),
            *_fields("police", "event", 65, event_date=65),
            *_fields("police", "association", 10, association_type=10),
            *_fields("police", "person_record", 135, birth_year=135, sex=119),
            *_fields("social_care", "person_record", 60, birth_year=53, sex=53),
        ],
    }  # fmt: skip


@pytest.mark.parametrize("threshold", [5, 10])
def test_a_files_accepted_rows_are_the_rows_its_lines_give(threshold: int, tmp_path: Path) -> None:
    """Quarantined rows were the rows read less the event rows: 88 - 85 = 3 withheld."""
    published, control = controlled_page(_two_agencies(), DisclosureSettings(threshold=threshold))
    assert control is not None and control.audit.passed
    used = {c.description for c in build_linear_system(*page_tables(_two_agencies())).constraints}
    assert "the rows accepted from health: health.ndjson are the rows of health event" in used
    assert (
        "the rows accepted from police: police.csv are the rows of police association + event "
        "+ involvement" in used
    )
    assert "'future_date' of quality_rules_n_rows is listed, so it is at least 1" in used
    health = next(f for f in published["files"] if f["agency"] == "health")
    assert health["rows_rejected"] == CONFIDENTIAL
    narrow = _attack_page(published, tmp_path / "data-quality.html", threshold)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]


def test_the_bias_audits_unrecorded_are_the_records_without_the_field(tmp_path: Path) -> None:
    """Sparse world, seed 99, k = 10: the bias audit's 17 records without an age band were
    the person records without a birth year, 10 of them health's, so social care's 7 were
    worked out although the page withheld them."""
    page = _two_agencies()
    page["bias"] = [
        {"dimension": "age_band", "group": g, "n_records": n}
        for g, n in (("Under 18", 34), ("18 and over", 192), ("Not recorded", 17))
    ] + [
        {"dimension": "agency", "group": a, "n_records": n}
        for a, n in (("health", 48), ("police", 135), ("social_care", 60))
    ]
    used = {c.description for c in build_linear_system(*page_tables(page)).constraints}
    assert (
        "the bias audit's age_band Not recorded are the person records without birth_year" in used
    )
    published, control = controlled_page(page, DisclosureSettings(threshold=10))
    assert control is not None and control.audit.passed
    social_care = next(
        c for c in published["completeness"]
        if (c["agency"], c["table"], c["field"]) == ("social_care", "person_record", "birth_year")
    )  # fmt: skip
    assert social_care["n_recorded"] == CONFIDENTIAL
    narrow = _attack_page(published, tmp_path / "data-quality.html", 10)
    assert narrow == [], [(f.cell, f.low, f.high) for f in narrow]
