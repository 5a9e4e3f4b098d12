"""Checks of one candidate row that look at several of its columns at once.

* ``last_date_before_first``: an offence whose last date is before its first date. By
  default the first date is kept and the last set to not recorded, with a finding; with
  ``reversed_offence_dates = "reject"`` the row is rejected instead.
* ``no_name``: a person record with no given name, family name or alias, when the mapping
  maps at least one of them. The row is kept (a person may be known by other details) but
  cannot be linked by name, which the finding says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gbo.ingest.column_sql import ColumnSql, Problem, column_expr, quote_name, quote_text
from gbo.schema.mapping import AgencyMapping

NAME_COLUMNS = ("given_name", "family_name", "aliases")


@dataclass(frozen=True)
class RowFinding:
    condition: str  # SQL over level 2
    column: str
    rule: str
    detail: str  # SQL


@dataclass
class RowChecks:
    problems: list[Problem] = field(default_factory=list)  # conditions over level 2
    findings: list[RowFinding] = field(default_factory=list)


def _reversed_dates(columns: dict[str, ColumnSql]) -> str | None:
    if "first_date" not in columns or "last_date" not in columns:
        return None
    return f"{quote_name('last_date__val')} < {quote_name('first_date__val')}"


def row_rules(
    target: str, mapping: AgencyMapping, columns: dict[str, ColumnSql], sources: dict[str, str]
) -> RowChecks:
    """The row checks of one table mapping."""
    checks = RowChecks()
    reversed_dates = _reversed_dates(columns) if target == "offence" else None
    if reversed_dates is not None:
        if mapping.reversed_offence_dates == "reject":
            checks.problems.append(
                Problem(
                    reversed_dates,
                    "last_date_before_first",
                    sources.get("last_date"),
                    "the offence's last date is before its first date; correct one of them "
                    "at source",
                )
            )
        else:
            checks.findings.append(
                RowFinding(
                    reversed_dates,
                    "last_date",
                    "last_date_before_first",
                    quote_text("last date before the first; set to not recorded"),
                )
            )
    names = [n for n in NAME_COLUMNS if n in columns]
    if target == "person_record" and names:
        blank = []
        for name in names:
            if name == "aliases":
                blank.append(f"coalesce(len({quote_name('aliases__raw')}), 0) = 0")
            else:
                blank.append(column_expr(columns[name].blank, name))
        checks.findings.append(
            RowFinding(
                " AND ".join(f"({b})" for b in blank),
                names[0],
                "no_name",
                quote_text("no given name, family name or alias"),
            )
        )
    return checks


def row_checks_outputs(
    target: str, mapping: AgencyMapping, columns: dict[str, ColumnSql]
) -> dict[str, str]:
    """Output columns that a row check changes (SQL over level 2)."""
    reversed_dates = _reversed_dates(columns) if target == "offence" else None
    if reversed_dates is None or mapping.reversed_offence_dates == "reject":
        return {}
    return {
        "last_date": f"CASE WHEN {reversed_dates} THEN NULL ELSE {quote_name('last_date__val')} END"
    }
