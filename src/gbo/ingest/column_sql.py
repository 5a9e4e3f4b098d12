"""DuckDB SQL for one canonical column: its value, and the problems and findings it raises.

Each mapped column becomes a few SQL expressions evaluated over whole columns at once:

* ``raw``: the source text, trimmed, with the mapping's null values read as null;
* ``val``: the canonical value (agency key, translated code, parsed date, flag, number);
* *problems*: conditions that quarantine the row (rule, source column, reason);
* *findings*: conditions that keep the row but lose the value (rule, detail); an NHS
  number that is not ten digits or fails its check digit is the exception, kept as
  recorded (digits only) because linkage grades near misses.

Reasons never contain a value from the file: they name the column and say what to do. The
detail of a finding is a code value at most, never an identifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gbo.ingest.canonical_columns import (
    KEY_CODE_COLUMNS,
    KEY_COLUMNS,
    KEY_FROM_LOCAL,
    MAX_AGE,
    MIN_AGE,
    PRECISION_COLUMNS,
    SURROGATE_KEY_COLUMNS,
    code_list_for,
    column_kind,
    required_columns,
)
from gbo.ingest.code_hints import valid_codes_hint
from gbo.ingest.crosswalks import crosswalk_translation, crosswalk_unplaced
from gbo.ingest.date_formats import (
    ISO_FORMATS,
    format_precision,
    format_shape,
    formats_parse_sql,
)
from gbo.schema import codes
from gbo.schema import nhs_number as nhs
from gbo.schema.mapping import AgencyMapping, FieldSource

FALSY = ("n", "no", "false", "0", "f")
DEFAULT_LIST_SEPARATOR = ";"
MAX_DETAIL_CHARS = 40


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_expr(expr: str, name: str) -> str:
    """``expr`` with ``{raw}`` and ``{val}`` naming the level columns of canonical ``name``."""
    return expr.replace("{raw}", quote_name(f"{name}__raw")).replace(
        "{val}", quote_name(f"{name}__val")
    )


def quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def text_list(values: list[str] | set[str]) -> str:
    return "(" + ", ".join(quote_text(v) for v in sorted(values)) + ")" if values else "('')"


def map_literal(pairs: dict[str, str]) -> str:
    if not pairs:
        return "MAP {}::MAP(VARCHAR, VARCHAR)"
    return "MAP {" + ", ".join(f"{quote_text(k)}: {quote_text(v)}" for k, v in pairs.items()) + "}"


@dataclass(frozen=True)
class Problem:
    condition: str
    rule: str
    source_column: str | None
    reason: str


@dataclass(frozen=True)
class Finding:
    condition: str
    rule: str
    detail: str  # SQL expression of the detail (a code value, never an identifier)


@dataclass
class ColumnSql:
    """The SQL of one canonical column (level 1 computes ``raw``; level 2 the rest)."""

    name: str
    raw: str  # SQL over the source sheet
    value: str  # SQL over level 1, may use the raw column as {raw}
    extra: dict[str, str] = field(default_factory=dict)  # further output columns
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    list_findings: str | None = None  # SQL list of unknown elements (list columns)
    blank: str = "{raw} IS NULL"  # SQL: the value is blank or translated to not recorded


@dataclass(frozen=True)
class DateRules:
    reference_date: date
    max_future_days: int
    earliest_year: int


def normalised(column: str, mapping: AgencyMapping, extra_nulls: list[str] | None = None) -> str:
    """The trimmed source text, with blank and null values (the file's, and the column's
    own) read as null."""
    quoted = f"trim(CAST({quote_name(column)} AS VARCHAR))"
    nulls = {v.strip().upper() for v in [*mapping.null_values, *(extra_nulls or [])]} | {""}
    return f"CASE WHEN upper({quoted}) IN {text_list(nulls)} THEN NULL ELSE {quoted} END"


def name_part_sql(text: str, part: str, order: str) -> str:
    """SQL of one part of the whole name ``text`` (SQL of trimmed text, or NULL): null when
    the name has no such part.

    Runs of spaces count as one. The family name is the text before the first comma
    (``family_comma_given``; without a comma, all of it), the last word (``given_family``) or
    the first word (``family_given``); the given names are the rest, in order, so middle
    names stay with the given name ("Jack Andrew"). A name of one word is a family name.
    """
    s = rf"trim(regexp_replace({text}, '\s+', ' ', 'g'))"
    if order == "family_comma_given":
        comma = f"strpos({s}, ',')"
        family = f"CASE WHEN {comma} > 0 THEN left({s}, {comma} - 1) ELSE {s} END"
        # Further commas ("GARSIDE, Jack, Andrew") separate given names like spaces.
        given = (
            f"CASE WHEN {comma} > 0 THEN "
            rf"regexp_replace(substr({s}, {comma} + 1), '[\s,]+', ' ', 'g') END"
        )
    elif order == "given_family":
        family = rf"regexp_extract({s}, '(\S+)$', 1)"
        given = rf"regexp_replace({s}, '\S+$', '')"
    elif order == "family_given":
        family = rf"regexp_extract({s}, '^(\S+)', 1)"
        given = rf"regexp_replace({s}, '^\S+', '')"
    else:
        raise ValueError(f"unknown name_order {order!r}")
    return f"nullif(trim({family if part == 'family' else given}), '')"


def code_lookup(
    table: str, canonical: str, source: FieldSource, mapping: AgencyMapping
) -> tuple[dict[str, str], set[str]]:
    """(upper-cased agency value or gbo code -> gbo code, upper-cased values meaning null)."""
    name = source.codes or canonical
    translation: dict[str, str | None] = {}
    lookup: dict[str, str] = {}
    known = code_list_for(table, canonical, mapping)
    for gbo_code in sorted(known or ()):
        lookup[gbo_code.upper()] = gbo_code
    if name in mapping.crosswalks:
        # A code the crosswalk lists without a gbo code is unknown, even where it is spelt
        # like one of gbo's codes (the Home Office's 19C is not gbo's 19C).
        for spelling in crosswalk_unplaced(mapping.crosswalks[name]):
            lookup.pop(spelling.upper(), None)
        translation.update(crosswalk_translation(mapping.crosswalks[name]))
    translation.update(mapping.codes.get(name, {}))
    null_values: set[str] = set()
    for agency_value, code in translation.items():
        key = agency_value.strip().upper()
        if not code:
            null_values.add(key)
            lookup.pop(key, None)
        else:
            lookup[key] = code
    if canonical == "ethnicity_self":
        lookup = {k: codes.SDE_16_TO_18.get(v, v) for k, v in lookup.items()}
    return lookup, null_values


def build_column(
    table: str,
    canonical: str,
    source: FieldSource,
    mapping: AgencyMapping,
    mapping_name: str,
    rules: DateRules,
    surrogate: str | None = None,
) -> ColumnSql:
    """The SQL of one mapped canonical column.

    ``surrogate`` is SQL (over the sheet) of the key given to a row whose person id or crime
    reference is blank, the same in every table the row feeds; None rejects such rows.
    """
    raw = (
        normalised(source.column, mapping, source.null_values)
        if source.column
        else quote_text(source.value or "")
    )
    col = ColumnSql(canonical, raw, "{raw}")
    src = source.column
    kind = column_kind(table, canonical)
    if source.name_part is not None and source.name_order is not None:
        _build_name_part(col, source.name_part, source.name_order)
    elif kind == "key":
        if canonical in KEY_COLUMNS:
            col.value = f"{quote_text(mapping.agency + ':')} || {{raw}}"
        if surrogate is not None and (table, canonical) in SURROGATE_KEY_COLUMNS:
            col.raw = f"coalesce({raw}, {surrogate})"
            if table in KEY_FROM_LOCAL:
                col.findings.append(
                    Finding(
                        f"{{raw}} = {surrogate}",
                        "surrogate_key",
                        quote_text("blank; key made from the file and line"),
                    )
                )
        else:
            col.problems.append(
                Problem(
                    "{raw} IS NULL", "missing_value", src, f"{canonical} is blank; it is needed"
                )
            )
    elif kind == "code" or (kind == "text" and (source.codes or canonical) in mapping.codes):
        _build_code(col, table, canonical, source, mapping, mapping_name, kind == "code")
    elif kind == "list":
        _build_list(col, table, canonical, source, mapping)
    elif kind == "date":
        _build_date(col, canonical, src, mapping, rules)
    elif kind == "bool":
        truthy = {v.lower() for v in source.truthy}
        col.value = (
            f"CASE WHEN lower({{raw}}) IN {text_list(truthy)} THEN true "
            f"WHEN lower({{raw}}) IN {text_list(set(FALSY) - truthy)} THEN false END"
        )
        col.findings.append(
            Finding("{raw} IS NOT NULL AND {val} IS NULL", "unrecognised_flag", _detail())
        )
    elif kind == "int":
        col.value = "TRY_CAST(TRY_CAST({raw} AS DOUBLE) AS BIGINT)"
        col.problems.append(
            Problem(
                "{raw} IS NOT NULL AND ({val} IS NULL OR "
                f"{{val}} < {MIN_AGE} OR {{val}} > {MAX_AGE})",
                "invalid_number",
                src,
                f"{canonical} is not a whole number from {MIN_AGE} to {MAX_AGE}",
            )
        )
    elif canonical == "postcode":
        col.value = r"regexp_replace(upper({raw}), '\s+', ' ', 'g')"
    elif canonical == "nhs_number":
        _build_nhs_number(col)
    if kind != "key" and canonical in required_columns(table):
        col.problems.append(
            Problem(
                "{raw} IS NULL OR ({raw} IS NOT NULL AND {val} IS NULL AND upper({raw}) IN "
                f"{text_list(code_lookup(table, canonical, source, mapping)[1])})",
                "missing_value",
                src,
                f"{canonical} is blank or not recorded; it is needed",
            )
        )
    return col


def _build_name_part(col: ColumnSql, part: str, order: str) -> None:
    """One part of a column of whole names (``name_part``): the rest of the name goes to
    the other name column. A name with no given part is kept, with a finding on the given
    name's column whose detail is fixed text, never the name."""
    col.value = name_part_sql("{raw}", part, order)
    col.blank = f"({col.value}) IS NULL"
    if part != "given":
        return
    col.findings.append(
        Finding(
            "{raw} IS NOT NULL AND {val} IS NULL",
            "name_not_split",
            quote_text("only a family name: no given name read from the whole name"),
        )
    )
    if order != "family_comma_given":
        col.findings.append(
            Finding(
                "contains({raw}, ',')",
                "name_not_split",
                quote_text(f"a comma in a name read as {order}; is it family_comma_given?"),
            )
        )


def _build_nhs_number(col: ColumnSql) -> None:
    """Digits only; a number that is not ten digits or fails its check digit is kept (linkage
    grades near misses) with a finding whose detail is fixed text, never the value."""
    col.value = f"nullif(regexp_replace({{raw}}, {quote_text(nhs.SEPARATOR_PATTERN)}, '', 'g'), '')"
    ten_digits = "regexp_full_match({val}, '[0-9]{10}')"
    weighted = " + ".join(
        f"{weight} * TRY_CAST(substr({{val}}, {place}, 1) AS INTEGER)"
        for place, weight in enumerate([*nhs.WEIGHTS, 1], start=1)
    )
    col.findings += [
        Finding(
            f"{{raw}} IS NOT NULL AND NOT coalesce({ten_digits}, false)",
            "invalid_nhs_number",
            quote_text(nhs.NOT_TEN_DIGITS),
        ),
        # Valid exactly when the weighted sum, the check digit weighing 1, divides by 11.
        Finding(
            f"{ten_digits} AND ({weighted}) % 11 <> 0",
            "invalid_nhs_number",
            quote_text(nhs.CHECK_DIGIT_FAILS),
        ),
    ]


def _detail() -> str:
    return f"left({{raw}}, {MAX_DETAIL_CHARS})"


def _build_code(
    col: ColumnSql,
    table: str,
    canonical: str,
    source: FieldSource,
    mapping: AgencyMapping,
    mapping_name: str,
    has_code_list: bool,
) -> None:
    lookup, null_values = code_lookup(table, canonical, source, mapping)
    fallback = "NULL" if has_code_list else "{raw}"
    col.blank = f"({{raw}} IS NULL OR upper({{raw}}) IN {text_list(null_values)})"
    col.value = (
        f"CASE WHEN upper({{raw}}) IN {text_list(null_values)} THEN NULL "
        f"ELSE coalesce({map_literal(lookup)}[upper({{raw}})], {fallback}) END"
    )
    if not has_code_list:
        return
    unknown = (
        "{raw} IS NOT NULL AND {val} IS NULL "
        f"AND upper({{raw}}) NOT IN {text_list(null_values)}"
    )
    name = source.codes or canonical
    if canonical in KEY_CODE_COLUMNS:
        col.problems.append(
            Problem(
                unknown,
                "unknown_code",
                source.column,
                f"{canonical} holds a value that is neither in codes.{name} of {mapping_name} "
                f"nor a gbo code; add it to the mapping's codes ("
                f"{valid_codes_hint(canonical, code_list_for(table, canonical, mapping))}), "
                "or leave such rows out with exclude"
                + (
                    f" (the {mapping.crosswalks[name]} crosswalk in docs/codes.md lists the "
                    "codes it has no gbo code for, and why)"
                    if name in mapping.crosswalks
                    else ""
                ),
            )
        )
    else:
        col.findings.append(Finding(unknown, "unmapped_code", _detail()))


def _build_list(
    col: ColumnSql, table: str, canonical: str, source: FieldSource, mapping: AgencyMapping
) -> None:
    # The raw value of a list column is already the list of its non-blank parts.
    sep = quote_text(source.split or DEFAULT_LIST_SEPARATOR)
    col.raw = (
        f"list_filter(list_transform(string_split({col.raw}, {sep}), lambda x: trim(x)), "
        "lambda x: x <> '')"
    )
    parts = "{raw}"
    if code_list_for(table, canonical, mapping) is None:
        return
    lookup, null_values = code_lookup(table, canonical, source, mapping)
    lookup_sql = map_literal(lookup)
    col.value = (
        f"list_filter(list_transform({parts}, lambda x: {lookup_sql}[upper(x)]), "
        "lambda x: x IS NOT NULL)"
    )
    col.list_findings = (
        f"list_filter({parts}, lambda x: {lookup_sql}[upper(x)] IS NULL "
        f"AND upper(x) NOT IN {text_list(null_values)})"
    )


def _build_date(
    col: ColumnSql, canonical: str, src: str | None, mapping: AgencyMapping, rules: DateRules
) -> None:
    full = list(dict.fromkeys([*mapping.date_formats, *ISO_FORMATS]))
    by_precision: dict[str, list[str]] = {"month": [], "year": []}
    for fmt in mapping.partial_date_formats:
        by_precision[format_precision(fmt)].append(fmt)
    parsers = [("day", full)] + [(p, f) for p, f in by_precision.items() if f]
    limit = date.fromordinal(rules.reference_date.toordinal() + rules.max_future_days)
    # Two-digit years: a date of birth is never in the future, other dates never after the
    # reference date plus the days allowed.
    century_limit = rules.reference_date if canonical == "dob" else limit
    tries = [(precision, formats_parse_sql(fmts, century_limit)) for precision, fmts in parsers]
    col.value = f"coalesce({', '.join(t for _, t in tries)})"
    if canonical in PRECISION_COLUMNS:
        # The last parser need not be tried again: a value that reached it matched it.
        whens = " ".join(f"WHEN {t} IS NOT NULL THEN {quote_text(p)}" for p, t in tries[:-1])
        col.extra["precision"] = (
            f"CASE WHEN {{val}} IS NULL THEN NULL {whens} ELSE {quote_text(tries[-1][0])} END"
        )
    shapes = [format_shape(f) for f in [*full, *mapping.partial_date_formats]]
    shape_match = " OR ".join(f"regexp_full_match({{raw}}, {quote_text(s)})" for s in shapes)
    col.problems += [
        Problem(
            f"{{raw}} IS NOT NULL AND {{val}} IS NULL AND ({shape_match})",
            "impossible_date",
            src,
            f"{canonical} is not a real calendar date (e.g. 31/02); correct it at source",
        ),
        Problem(
            f"{{raw}} IS NOT NULL AND {{val}} IS NULL AND NOT ({shape_match})",
            "invalid_date",
            src,
            f"{canonical} does not match the mapping's date_formats or partial_date_formats",
        ),
        Problem(
            f"{{val}} > DATE {quote_text(limit.isoformat())}",
            "future_date",
            src,
            f"{canonical} is after the run date; correct it at source",
        ),
        Problem(
            f"year({{val}}) < {rules.earliest_year}",
            "implausible_date",
            src,
            f"{canonical} is before {rules.earliest_year}; correct it at source",
        ),
    ]
