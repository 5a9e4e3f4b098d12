"""The canonical tables, as Arrow schemas with a description of every column.

Two families:

* **canonical** tables are what ingest produces from agency exports. They hold identifiers
  (names, dates of birth, addresses, agency record ids) and are only ever written encrypted
  (``01_ingest/*.parquet.enc``).
* **pseudonymised** tables are what the vault stage produces for every later stage
  (``02_vault/*.parquet``): agency keys replaced by keyed pseudonyms (``*_pid``), direct
  identifiers removed, dates of birth reduced to a birth year.

Code-valued columns hold codes from :mod:`gbo.schema.codes`; ``None`` means not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = True
    identifier: bool = False  # a direct identifier: only ever in the vault


@dataclass(frozen=True)
class TableSpec:
    name: str
    one_row_per: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def identifier_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.identifier]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


STR, INT, DATE, BOOL, STR_LIST = (
    pa.string(),
    pa.int64(),
    pa.date32(),
    pa.bool_(),
    pa.list_(pa.string()),
)

PRECISION = "precision of the date: day, month or year (None when no date)"

# Columns every canonical row carries to say where it came from.
_PROVENANCE = (
    Column("agency", STR, "agency that recorded the row", nullable=False),
    Column("source_file", STR, "file name of the export the row came from", nullable=False),
    Column(
        "source_row",
        INT,
        "line of the file the row starts on (spreadsheet row; record number in Parquet and JSON)",
        nullable=False,
    ),
)

# ---------------------------------------------------------------------------------------------
# Canonical tables (ingest output, encrypted)
# ---------------------------------------------------------------------------------------------
PERSON_RECORD = TableSpec(
    "person_record",
    "person as one agency recorded them",
    (
        Column("record_key", STR, "agency + ':' + local id; unique", False, True),
        *_PROVENANCE,
        Column("local_id", STR, "the agency's own person id", False, True),
        Column("given_name", STR, "first given name as recorded", identifier=True),
        Column("middle_names", STR, "other given names", identifier=True),
        Column("family_name", STR, "family name as recorded", identifier=True),
        Column("aliases", STR_LIST, "other names recorded (full names)", identifier=True),
        Column(
            "dob", DATE, "date of birth (first day of the period when partial)", identifier=True
        ),
        Column("dob_precision", STR, PRECISION),
        Column("age_recorded", INT, "age in years when no date of birth was recorded"),
        Column("age_recorded_on", DATE, "the date the recorded age refers to"),
        Column("sex", STR, "sex code (codes.SEX)"),
        Column("ethnicity_self", STR, "self-defined ethnicity, 18+1 code (codes.SDE_18)"),
        Column("ethnicity_self_list", STR, "the list the agency used: 18+1 or 16+1"),
        Column("ethnicity_officer", STR, "officer-defined ethnicity, IC code (codes.IC_CODES)"),
        Column("nationality", STR, "ISO 3166-1 alpha-3 code"),
        Column("address", STR, "address line(s)", identifier=True),
        Column("postcode", STR, "full postcode", identifier=True),
        Column("nhs_number", STR, "NHS number (ten digits) when recorded", identifier=True),
        Column("postcode_district", STR, "outward code of the postcode, e.g. LS6"),
        Column("local_authority", STR, "local authority code (codes.LOCAL_AUTHORITIES)"),
        Column("is_looked_after", BOOL, "looked-after child at the time of the record"),
    ),
)

OFFENCE = TableSpec(
    "offence",
    "recorded crime or incident",
    (
        Column("offence_key", STR, "agency + ':' + crime reference; unique", False, True),
        *_PROVENANCE,
        Column("crime_ref", STR, "the agency's crime reference", False, True),
        Column("ho_offence_code", STR, "Home Office offence code (codes.HO_OFFENCES)"),
        Column("is_cse_flagged", BOOL, "child sexual exploitation flag applied"),
        Column("is_online", BOOL, "online element recorded"),
        Column("cocad_category", STR, "COCAD category (codes.COCAD)"),
        Column("first_date", DATE, "first (or only) date of the offence"),
        Column("first_date_precision", STR, PRECISION),
        Column("last_date", DATE, "last date of the offence"),
        Column("recorded_date", DATE, "date the agency recorded the offence"),
        Column("location_type", STR, "location type (codes.LOCATION_TYPES)"),
        Column("methods", STR_LIST, "method codes (codes.METHODS)"),
        Column("police_force_area", STR, "police force area code (codes.POLICE_FORCES)"),
        Column("local_authority", STR, "local authority code"),
        Column("outcome_code", STR, "Home Office outcome code (codes.OUTCOMES)"),
        Column("outcome_date", DATE, "date the outcome was recorded"),
    ),
)

INVOLVEMENT = TableSpec(
    "involvement",
    "person record in an offence",
    (
        Column("offence_key", STR, "the offence", False, True),
        Column("record_key", STR, "the person record", False, True),
        *_PROVENANCE,
        Column("role", STR, "role (codes.ROLES)", False),
    ),
)

EVENT = TableSpec(
    "event",
    "agency contact with a child",
    (
        Column("record_key", STR, "the person record", False, True),
        *_PROVENANCE,
        Column("event_type", STR, "event type (codes.EVENT_TYPES)", False),
        Column("event_date", DATE, "date of the contact"),
        Column("event_date_precision", STR, PRECISION),
        Column("event_reason", STR, "recorded reason for the contact (codes.EVENT_REASONS)"),
    ),
)

VULNERABILITY = TableSpec(
    "vulnerability",
    "recorded vulnerability marker",
    (
        Column("record_key", STR, "the person record", False, True),
        *_PROVENANCE,
        Column("marker", STR, "marker (codes.VULNERABILITY_MARKERS)", False),
        Column("marker_date", DATE, "date recorded"),
    ),
)

ASSOCIATION = TableSpec(
    "association",
    "recorded link between two people",
    (
        Column("record_key_a", STR, "one person record", False, True),
        Column("record_key_b", STR, "the other person record", False, True),
        *_PROVENANCE,
        Column("association_type", STR, "type (codes.ASSOCIATION_TYPES)", False),
        Column("association_date", DATE, "date recorded"),
    ),
)

CANONICAL_TABLES: dict[str, TableSpec] = {
    t.name: t for t in (PERSON_RECORD, OFFENCE, INVOLVEMENT, EVENT, VULNERABILITY, ASSOCIATION)
}

SOURCE_FILE = TableSpec(
    "source_file",
    "input file",
    (
        Column("agency", STR, "agency", False),
        Column("source_file", STR, "file name", False),
        Column("format", STR, "csv, xlsx, ods, parquet, json or ndjson"),
        Column("encoding", STR, "text encoding detected (text formats)"),
        Column("sha256", STR, "SHA-256 of the file"),
        Column("rows_read", INT, "data rows read", False),
        Column("rows_accepted", INT, "rows accepted", False),
        Column("rows_rejected", INT, "rows quarantined", False),
        Column(
            "rows_left_out",
            INT,
            "rows that feed no table by the mapping's row_filter or exclude (not rejected)",
        ),
        Column("error", STR, "why the whole file could not be read, if so"),
    ),
)

REJECTED_ROW = TableSpec(
    "rejected_row",
    "quarantined input row and reason (one row per problem)",
    (
        Column("agency", STR, "agency", False),
        Column("source_file", STR, "file name", False),
        Column("sheet", STR, "sheet name for spreadsheets"),
        Column("source_row", INT, "line of the file (spreadsheet row; record number)", False),
        Column("column", STR, "source column at fault, if one"),
        Column("rule", STR, "short rule id, e.g. impossible_date", False),
        Column("reason", STR, "what is wrong and what to do, without the value", False),
    ),
)

DATA_QUALITY_FINDING = TableSpec(
    "data_quality_finding",
    "a problem that did not reject the row (e.g. an unmapped code, set to not recorded)",
    (
        Column("agency", STR, "agency", False),
        Column("source_file", STR, "file name", False),
        Column("table", STR, "canonical table", False),
        Column("column", STR, "canonical column", False),
        Column("source_row", INT, "line of the file (the first, for blank_lines)"),
        Column("rule", STR, "rule id, e.g. unmapped_code", False),
        Column("severity", STR, "info, warning or error", False),
        Column("detail", STR, "what was found (a code value, never an identifier)"),
    ),
)

# ---------------------------------------------------------------------------------------------
# Pseudonymised tables (vault output, plain Parquet)
# ---------------------------------------------------------------------------------------------
PSEUDONYMISED_COLUMNS: dict[str, tuple[Column, ...]] = {
    "person_record": (
        Column("record_pid", STR, "pseudonym of record_key", False),
        Column("agency", STR, "agency", False),
        Column("birth_year", INT, "year of birth (from dob, or estimated from a recorded age)"),
        Column("birth_year_is_estimated", BOOL, "birth year estimated from a recorded age"),
        Column("sex", STR, "sex code"),
        Column("ethnicity_self", STR, "self-defined ethnicity, 18+1 code"),
        Column("ethnicity_self_list", STR, "18+1 or 16+1"),
        Column("ethnicity_officer", STR, "officer-defined IC code"),
        Column("nationality", STR, "ISO 3166-1 alpha-3"),
        Column("postcode_district", STR, "outward code"),
        Column("local_authority", STR, "local authority code"),
        Column("is_looked_after", BOOL, "looked-after child at the time of the record"),
    ),
    "offence": (
        Column("offence_pid", STR, "pseudonym of offence_key", False),
        *(
            c
            for c in OFFENCE.columns
            if c.name not in {"offence_key", "crime_ref", "source_file", "source_row"}
        ),
    ),
    "involvement": (
        Column("offence_pid", STR, "the offence", False),
        Column("record_pid", STR, "the person record", False),
        Column("agency", STR, "agency", False),
        Column("role", STR, "role", False),
    ),
    "event": (
        Column("record_pid", STR, "the person record", False),
        *(c for c in EVENT.columns if c.name not in {"record_key", "source_file", "source_row"}),
    ),
    "vulnerability": (
        Column("record_pid", STR, "the person record", False),
        *(
            c
            for c in VULNERABILITY.columns
            if c.name not in {"record_key", "source_file", "source_row"}
        ),
    ),
    "association": (
        Column("record_pid_a", STR, "one person record", False),
        Column("record_pid_b", STR, "the other person record", False),
        *(
            c
            for c in ASSOCIATION.columns
            if c.name not in {"record_key_a", "record_key_b", "source_file", "source_row"}
        ),
    ),
}

PSEUDONYMISED_TABLES: dict[str, TableSpec] = {
    name: TableSpec(name, CANONICAL_TABLES[name].one_row_per, cols)
    for name, cols in PSEUDONYMISED_COLUMNS.items()
}

# The identity table the vault keeps encrypted, keyed by record pseudonym, for linkage.
IDENTITY = TableSpec(
    "identity",
    "identifiers of one person record (vault only)",
    (
        Column("record_pid", STR, "pseudonym of record_key", False),
        Column("agency", STR, "agency", False),
        *(c for c in PERSON_RECORD.columns if c.identifier and c.name != "record_key"),
        Column("dob_precision", STR, PRECISION),
        Column("age_recorded", INT, "age in years when no date of birth was recorded"),
        Column("age_recorded_on", DATE, "the date the recorded age refers to"),
        Column("sex", STR, "sex code"),
        Column("postcode_district", STR, "outward code"),
    ),
)
