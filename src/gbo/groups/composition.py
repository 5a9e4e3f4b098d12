"""Count columns of ``group``: offence mix, places, and members' and victims' composition.

Each count column is ``n_<what>_<category slug>``, one per code of a code list plus
``not_recorded`` (and ``not_stated`` for self-defined ethnicity, which records a refusal
rather than a gap). The column set depends only on the code lists, so it is the same in
every run. Individual attributes never leave the stage except as these counts per group.

Self-defined ethnicity is counted in the five ONS high-level groups (via the versioned
crosswalk in :mod:`gbo.schema.codes`); officer-defined IC codes are counted separately
(``ic9`` is the IC code for unknown) and never merged with it.
"""

from __future__ import annotations

import re

from gbo.schema import codes


def slug(label: str) -> str:
    """``"Sexual activity with a child"`` -> ``"sexual_activity_with_a_child"``."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in(values: list[str]) -> str:
    return ", ".join(_quote(v) for v in values)


def category_case(column: str, mapping: dict[str, str], other: str | None = None) -> str:
    """SQL CASE giving the slug of each code's category (``not_recorded`` for null)."""
    by_slug: dict[str, list[str]] = {}
    for code, category in mapping.items():
        by_slug.setdefault(slug(category), []).append(code)
    whens = " ".join(
        f"WHEN {column} IN ({_in(sorted(code_list))}) THEN {_quote(s)}"
        for s, code_list in by_slug.items()
    )
    fallback = _quote(other) if other else "'not_recorded'"
    return f"CASE WHEN {column} IS NULL THEN 'not_recorded' {whens} ELSE {fallback} END"


def count_columns(category_sql: str, prefix: str, slugs: list[str]) -> list[str]:
    """``count(*) FILTER (WHERE <category> = slug) AS <prefix>_<slug>`` for each slug."""
    return [f"count(*) FILTER (WHERE {category_sql} = {_quote(s)}) AS {prefix}_{s}" for s in slugs]


def _slugs(mapping: dict[str, str], extra: tuple[str, ...] = ("not_recorded",)) -> list[str]:
    seen: list[str] = []
    for category in mapping.values():
        if slug(category) not in seen:
            seen.append(slug(category))
    return seen + [e for e in extra if e not in seen]


OFFENCE_GROUP_SQL = category_case("ho_offence_code", codes.HO_OFFENCE_GROUPS, other="other")
OFFENCE_GROUP_SLUGS = _slugs(codes.HO_OFFENCE_GROUPS, ("other", "not_recorded"))
_LOCATION = {code: code.lower() for code in codes.LOCATION_TYPES}
LOCATION_SQL = category_case("location_type", _LOCATION, other="other")
LOCATION_SLUGS = _slugs(_LOCATION)
SEX_SQL = category_case("sex", codes.SEX)
SEX_SLUGS = _slugs(codes.SEX)

_SDE_GROUP: dict[str, str] = {
    code: codes.ONS_19[ons][1].lower() for code, ons in codes.SDE_TO_ONS.items()
}
_SDE_GROUP["O1"] = "asian"  # Chinese on the older 16+1 list
_SDE_GROUP["NS"] = "not_stated"
ETHNICITY_SQL = category_case("ethnicity_self", _SDE_GROUP)
ETHNICITY_SLUGS = _slugs(_SDE_GROUP)
_IC = {code: code.lower() for code in codes.IC_CODES}
OFFICER_ETHNICITY_SQL = category_case("ethnicity_officer", _IC)
OFFICER_ETHNICITY_SLUGS = _slugs(_IC)
RECORDED_ETHNICITY_GROUPS = [group.lower() for group in codes.ONS_GROUPS]


def offence_mix_columns() -> list[str]:
    return count_columns(OFFENCE_GROUP_SQL, "n_offences", OFFENCE_GROUP_SLUGS) + count_columns(
        LOCATION_SQL, "n_offences_at", LOCATION_SLUGS
    )


def member_columns() -> list[str]:
    return (
        count_columns(SEX_SQL, "n_members_sex", SEX_SLUGS)
        + count_columns(ETHNICITY_SQL, "n_members_ethnicity", ETHNICITY_SLUGS)
        + count_columns(
            OFFICER_ETHNICITY_SQL, "n_members_officer_ethnicity", OFFICER_ETHNICITY_SLUGS
        )
        + [
            f"count(DISTINCT {ETHNICITY_SQL}) FILTER (WHERE {ETHNICITY_SQL} IN "
            f"({_in(RECORDED_ETHNICITY_GROUPS)})) AS n_ethnicity_groups"
        ]
    )


def victim_columns() -> list[str]:
    return count_columns(SEX_SQL, "n_victims_sex", SEX_SLUGS)
