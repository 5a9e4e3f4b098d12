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


S, I, D, B, LS = pa.string(), pa.int64(), pa.date32(), pa.bool_(), pa.list_(pa.string())

PRECISION = "precision of the date: day, month or year (None when no date)"

# Columns every canonical row carries to say where it came from.
_PROVENANCE = (
    Column("agency", S, "agency that recorded the row", nullable=False),
    Column("source_file", S, "file name of the export the row came from", nullable=False),
    Column("source_row", I, "row number in that file (1 = first data row)", nullable=False),
)

# ---------------------------------------------------------------------------------------------
# Canonical tables (ingest output, encrypted)
# ---------------------------------------------------------------------------------------------
PERSON_RECORD = TableSpec(
    "person_record",
    "person as one agency recorded them",
    (
        Column("record_key", S, "agency + ':' + local id; unique", False, True),
        *_PROVENANCE,
        Column("local_id", S, "the agency's own person id", False, True),
        Column("given_name", S, "first given name as recorded", identifier=True),
        Column("middle_names", S, "other given names", identifier=True),
        Column("family_name", S, "family name as recorded", identifier=True),
        Column("aliases", LS, "other names recorded (full names)", identifier=True),
        Column("dob", D, "date of birth (first day of the period when partial)", identifier=True),
        Column("dob_precision", S, PRECISION),
        Column("age_recorded", I, "age in years when no date of birth was recorded"),
        Column("age_recorded_on", D, "the date the recorded age refers to"),
        Column("sex", S, "sex code (codes.SEX)"),
        Column("ethnicity_self", S, "self-defined ethnicity, 18+1 code (codes.SDE_18)"),
        Column("ethnicity_self_list", S, "the list the agency used: 18+1 or 16+1"),
        Column("ethnicity_officer", S, "officer-defined ethnicity, IC code (codes.IC_CODES)"),
        Column("nationality", S, "ISO 3166-1 alpha-3 code"),
        Column("address", S, "address line(s)", identifier=True),
        Column("postcode", S, "full postcode", identifier=True),
        Column("postcode_district", S, "outward code of the postcode, e.g. LS6"),
        Column("local_authority", S, "local authority code (codes.LOCAL_AUTHORITIES)"),
        Column("is_looked_after", B, "looked-after child at the time of the record"),
    ),
)

OFFENCE = TableSpec(
    "offence",
    "recorded crime or incident",
    (
        Column("offence_key", S, "agency + ':' + crime reference; unique", False, True),
        *_PROVENANCE,
        Column("crime_ref", S, "the agency's crime reference", False, True),
        Column("ho_offence_code", S, "Home Office offence code (codes.HO_OFFENCES)"),
        Column("is_cse_flagged", B, "child sexual exploitation flag applied"),
        Column("is_online", B, "online element recorded"),
        Column("cocad_category", S, "COCAD category (codes.COCAD)"),
        Column("first_date", D, "first (or only) date of the offence"),
        Column("first_date_precision", S, PRECISION),
        Column("last_date", D, "last date of the offence"),
        Column("location_type", S, "location type (codes.LOCATION_TYPES)"),
        Column("methods", LS, "method codes (codes.METHODS)"),
        Column("police_force_area", S, "police force area code (codes.POLICE_FORCES)"),
        Column("local_authority", S, "local authority code"),
        Column("outcome_code", S, "Home Office outcome code (codes.OUTCOMES)"),
        Column("outcome_date", D, "date the outcome was recorded"),
    ),
)

INVOLVEMENT = TableSpec(
    "involvement",
    "person record in an offence",
    (
        Column("offence_key", S, "the offence", False, True),
        Column("record_key", S, "the person record", False, True),
        *_PROVENANCE,
        Column("role", S, "role (codes.ROLES)", False),
    ),
)

EVENT = TableSpec(
    "event",
    "agency contact with a child",
    (
        Column("record_key", S, "the person record", False, True),
        *_PROVENANCE,
        Column("event_type", S, "event type (codes.EVENT_TYPES)", False),
        Column("event_date", D, "date of the contact"),
        Column("event_date_precision", S, PRECISION),
    ),
)

VULNERABILITY = TableSpec(
    "vulnerability",
    "recorded vulnerability marker",
    (
        Column("record_key", S, "the person record", False, True),
        *_PROVENANCE,
        Column("marker", S, "marker (codes.VULNERABILITY_MARKERS)", False),
        Column("marker_date", D, "date recorded"),
    ),
)

ASSOCIATION = TableSpec(
    "association",
    "recorded link between two people",
    (
        Column("record_key_a", S, "one person record", False, True),
        Column("record_key_b", S, "the other person record", False, True),
        *_PROVENANCE,
        Column("association_type", S, "type (codes.ASSOCIATION_TYPES)", False),
        Column("association_date", D, "date recorded"),
    ),
)

CANONICAL_TABLES: dict[str, TableSpec] = {
    t.name: t for t in (PERSON_RECORD, OFFENCE, INVOLVEMENT, EVENT, VULNERABILITY, ASSOCIATION)
}

SOURCE_FILE = TableSpec(
    "source_file",
    "input file",
    (
        Column("agency", S, "agency", False),
        Column("source_file", S, "file name", False),
        Column("format", S, "csv, xlsx, ods, parquet, json or ndjson"),
        Column("encoding", S, "text encoding detected (text formats)"),
        Column("sha256", S, "SHA-256 of the file"),
        Column("rows_read", I, "data rows read", False),
        Column("rows_accepted", I, "rows accepted", False),
        Column("rows_rejected", I, "rows quarantined", False),
        Column("error", S, "why the whole file could not be read, if so"),
    ),
)

REJECTED_ROW = TableSpec(
    "rejected_row",
    "quarantined input row and reason (one row per problem)",
    (
        Column("agency", S, "agency", False),
        Column("source_file", S, "file name", False),
        Column("sheet", S, "sheet name for spreadsheets"),
        Column("source_row", I, "row number (1 = first data row)", False),
        Column("column", S, "source column at fault, if one"),
        Column("rule", S, "short rule id, e.g. impossible_date", False),
        Column("reason", S, "what is wrong and what to do, without the value", False),
    ),
)

DATA_QUALITY_FINDING = TableSpec(
    "data_quality_finding",
    "a problem that did not reject the row (e.g. an unmapped code, set to not recorded)",
    (
        Column("agency", S, "agency", False),
        Column("source_file", S, "file name", False),
        Column("table", S, "canonical table", False),
        Column("column", S, "canonical column", False),
        Column("source_row", I, "row number"),
        Column("rule", S, "rule id, e.g. unmapped_code", False),
        Column("severity", S, "info, warning or error", False),
        Column("detail", S, "what was found (a code value, never an identifier)"),
    ),
)

# ---------------------------------------------------------------------------------------------
# Pseudonymised tables (vault output, plain Parquet)
# ---------------------------------------------------------------------------------------------
PSEUDONYMISED_COLUMNS: dict[str, tuple[Column, ...]] = {
    "person_record": (
        Column("record_pid", S, "pseudonym of record_key", False),
        Column("agency", S, "agency", False),
        Column("birth_year", I, "year of birth (from dob, or estimated from a recorded age)"),
        Column("birth_year_is_estimated", B, "birth year estimated from a recorded age"),
        Column("sex", S, "sex code"),
        Column("ethnicity_self", S, "self-defined ethnicity, 18+1 code"),
        Column("ethnicity_self_list", S, "18+1 or 16+1"),
        Column("ethnicity_officer", S, "officer-defined IC code"),
        Column("nationality", S, "ISO 3166-1 alpha-3"),
        Column("postcode_district", S, "outward code"),
        Column("local_authority", S, "local authority code"),
        Column("is_looked_after", B, "looked-after child at the time of the record"),
    ),
    "offence": (
        Column("offence_pid", S, "pseudonym of offence_key", False),
        *(c for c in OFFENCE.columns if c.name not in {"offence_key", "crime_ref",
                                                       "source_file", "source_row"}),
    ),
    "involvement": (
        Column("offence_pid", S, "the offence", False),
        Column("record_pid", S, "the person record", False),
        Column("agency", S, "agency", False),
        Column("role", S, "role", False),
    ),
    "event": (
        Column("record_pid", S, "the person record", False),
        *(c for c in EVENT.columns if c.name not in {"record_key", "source_file", "source_row"}),
    ),
    "vulnerability": (
        Column("record_pid", S, "the person record", False),
        *(c for c in VULNERABILITY.columns
          if c.name not in {"record_key", "source_file", "source_row"}),
    ),
    "association": (
        Column("record_pid_a", S, "one person record", False),
        Column("record_pid_b", S, "the other person record", False),
        *(c for c in ASSOCIATION.columns
          if c.name not in {"record_key_a", "record_key_b", "source_file", "source_row"}),
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
        Column("record_pid", S, "pseudonym of record_key", False),
        Column("agency", S, "agency", False),
        *(c for c in PERSON_RECORD.columns if c.identifier and c.name != "record_key"),
        Column("dob_precision", S, PRECISION),
        Column("age_recorded", I, "age in years when no date of birth was recorded"),
        Column("age_recorded_on", D, "the date the recorded age refers to"),
        Column("sex", S, "sex code"),
        Column("postcode_district", S, "outward code"),
    ),
)
