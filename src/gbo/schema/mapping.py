"""The mapping file format: how one agency export becomes canonical tables.

A mapping file (TOML or YAML) is declared data, never code. It names the agency, how to read
the file, and one or more ``tables``: each takes every row of the file (or of one sheet) and
produces at most one row of a canonical table. Columns are mapped by name; agency codes are
translated to gbo's codes by ``codes``; dates are parsed with ``date_formats`` (full dates)
and ``partial_date_formats`` (year-month or year only, kept with their precision).

``gbo mapping schema`` prints the JSON Schema of this format for editors.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gbo.settings_base import Settings

CanonicalTableName = Literal[
    "person_record", "offence", "involvement", "event", "vulnerability", "association"
]
FileFormat = Literal["csv", "xlsx", "ods", "parquet", "json", "ndjson"]
NamePart = Literal["given", "family"]
NameOrder = Literal["family_comma_given", "given_family", "family_given"]
#: The canonical column each part of a whole name goes into.
NAME_PART_COLUMNS: dict[str, str] = {"given": "given_name", "family": "family_name"}


class FieldSource(Settings):
    """Where one canonical column comes from, when more than a column name is needed."""

    column: str | None = Field(None, description="Source column name.")
    value: str | None = Field(None, description="A constant for every row instead of a column.")
    codes: str | None = Field(
        None, description="Name of the code translation in `codes` (default: the column name)."
    )
    split: str | None = Field(
        None, description="Split the text on this separator into a list (list columns)."
    )
    truthy: list[str] = Field(
        default_factory=lambda: ["y", "yes", "true", "1"],
        description="Values read as true for a yes/no column (case-insensitive).",
    )
    null_values: list[str] = Field(
        default_factory=list,
        description="Values read as not recorded in this column only, besides the file's "
        "null_values (case-insensitive); e.g. NFA in a postcode column, MALE in a name column.",
    )
    name_part: NamePart | None = Field(
        None,
        description="The part of a whole name in the column that this column takes: given "
        "(every given name, for given_name) or family (for family_name). Needs name_order.",
    )
    name_order: NameOrder | None = Field(
        None,
        description="How the column writes a whole name: family_comma_given (GARSIDE, Jack), "
        "given_family (Jack GARSIDE) or family_given (GARSIDE Jack). Needs name_part.",
    )


class FlagColumns(Settings):
    """Yes/no columns that each produce one row (e.g. vulnerability markers as columns)."""

    target_column: str = Field(description="Canonical column the code goes into, e.g. marker.")
    columns: dict[str, str] = Field(description="Source column -> code written when it is yes.")
    truthy: list[str] = Field(default_factory=lambda: ["y", "yes", "true", "1"])


class TableMapping(Settings):
    """Rows of one canonical table made from rows of the file (or of one sheet)."""

    target: CanonicalTableName = Field(description="The canonical table.")
    sheet: str | None = Field(None, description="Sheet name (XLSX, ODS).")
    columns: dict[str, str | FieldSource] = Field(
        description="Canonical column -> source column name, or a FieldSource."
    )
    row_filter: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Only rows whose source column holds one of these values feed this table "
        "(e.g. a record-type column in an export that mixes kinds of row).",
    )
    exclude: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Rows whose source column holds one of these values do not feed this "
        "table (e.g. roles gbo has no code for, such as Witness). A row that feeds no table "
        "is counted as left out by the mapping, not rejected.",
    )
    flags: FlagColumns | None = Field(
        None, description="Yes/no columns that each give a row of this table."
    )
    skip_if_blank: list[str] = Field(
        default_factory=list,
        description="Canonical columns whose blank value means 'no row here', not an error. "
        'A code translated to "" (not recorded) counts as blank.',
    )
    deduplicate: bool = Field(
        True,
        description="Rows with the same key (e.g. the same person on several rows) are kept once.",
    )


class AgencyMapping(Settings):
    """A whole mapping file."""

    mapping_version: Literal[1] = Field(1, description="Version of this mapping format.")
    agency: str = Field(description="Short agency name, e.g. police.")
    format: FileFormat | None = Field(None, description="File format (default: from extension).")
    encoding: str = Field("auto", description="Text encoding, or auto to detect it.")
    delimiter: str = Field(",", description="CSV delimiter.")
    header_row: int | None = Field(
        None,
        ge=1,
        description="Line (CSV) or row (XLSX, ODS) that names the columns, counting from 1; "
        "lines above it, such as a title banner, are ignored (default: the first non-blank).",
    )
    skip_rows: int = Field(
        0,
        ge=0,
        description="Lines or rows at the top to ignore before looking for the header "
        "(the header is then the first non-blank line below them).",
    )
    date_formats: list[str] = Field(
        default_factory=lambda: ["%Y-%m-%d"], description="strptime formats of full dates."
    )
    partial_date_formats: list[str] = Field(
        default_factory=list,
        description="strptime formats of partial dates, e.g. %m/%Y and %Y; kept with precision.",
    )
    null_values: list[str] = Field(
        default_factory=lambda: ["", "NULL", "N/A", "NA", "UNKNOWN", "-"],
        description="Values read as not recorded (case-insensitive).",
    )
    codes: dict[str, dict[str, str | None]] = Field(
        default_factory=dict,
        description="Translation name (usually the canonical column) -> agency value -> code. "
        "A value mapped to null is read as not recorded.",
    )
    surrogate_keys: bool = Field(
        True,
        description="A blank person id or crime reference gets a key made from the file "
        "name and line (~file:line), with a surrogate_key finding, instead of rejecting "
        "the row.",
    )
    reversed_offence_dates: Literal["drop_last_date", "reject"] = Field(
        "drop_last_date",
        description="An offence whose last date is before its first date: keep the first "
        "date and set the last to not recorded (a finding), or reject the row.",
    )
    crosswalks: dict[str, Literal["home_office_offences"]] = Field(
        default_factory=dict,
        description="Translation name -> a crosswalk shipped with gbo, used under the "
        "mapping's own codes (e.g. ho_offence_code = home_office_offences).",
    )
    ethnicity_self_list: Literal["18+1", "16+1"] = Field(
        "18+1", description="Which self-defined ethnicity list the agency uses."
    )
    tables: list[TableMapping] = Field(description="The canonical tables this file feeds.")
