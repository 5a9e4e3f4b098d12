"""Completeness: the share of records with a recorded value, per agency and field.

Person-record fields are measured over the records of each population (offenders', victims'
and all records); offence fields over the offences in the period; event dates over victims'
events; vulnerability markers as the share of victims' records with at least one marker.
A coded 'unknown' (NS, IC9, COCAD Unknown) does not count as recorded.
"""

from __future__ import annotations

import pyarrow as pa

from gbo.disclosure.text_figures import share_in_text, share_key
from gbo.profile.population import Profile
from gbo.profile.registry import TableDef

COMPLETENESS_SCHEMA = pa.schema(
    [
        pa.field("agency", pa.string(), nullable=False),
        pa.field("table", pa.string(), nullable=False),
        pa.field("field", pa.string(), nullable=False),
        pa.field("population", pa.string(), nullable=False),
        pa.field("n", pa.int64(), nullable=False),
        pa.field("n_recorded", pa.int64(), nullable=False),
        pa.field("share_recorded", pa.float64()),
    ]
)

PERSON_FIELDS: dict[str, str] = {
    "sex": "sex IS NOT NULL",
    "birth_year": "birth_year IS NOT NULL",
    "ethnicity_self": "ethnicity_self IS NOT NULL AND ethnicity_self <> 'NS'",
    "ethnicity_officer": "ethnicity_officer IS NOT NULL "
    "AND ethnicity_officer NOT IN ('IC9', 'IC0', 'IC7')",
    "nationality": "nationality IS NOT NULL",
    "local_authority": "local_authority IS NOT NULL",
    "is_looked_after": "is_looked_after IS NOT NULL",
}
OFFENCE_FIELDS: dict[str, str] = {
    "ho_offence_code": "ho_offence_code IS NOT NULL",
    "is_cse_flagged": "is_cse_flagged IS NOT NULL",
    "is_online": "is_online IS NOT NULL",
    "cocad_category": "cocad_category IS NOT NULL AND cocad_category <> 'UNKNOWN'",
    "first_date": "first_date IS NOT NULL",
    "location_type": "location_type IS NOT NULL",
    "methods": "methods IS NOT NULL AND len(methods) > 0",
    "police_force_area": "police_force_area IS NOT NULL",
    "local_authority": "local_authority IS NOT NULL",
    "outcome_code": "outcome_code IS NOT NULL",
}
POPULATIONS: dict[str, str] = {
    "offenders": "is_offender",
    "victims": "is_victim",
    "all person records": "true",
}

Row = tuple[str, str, str, str, int, int]


def _grouped(
    profile: Profile,
    source: str,
    table: str,
    populations: dict[str, str],
    fields: dict[str, str],
) -> list[Row]:
    """One scan of ``source``: n and n recorded per agency, population and field."""
    aggregates = []
    for where in populations.values():
        aggregates.append(f"count(*) FILTER (WHERE {where})")
        aggregates += [
            f"count(*) FILTER (WHERE ({where}) AND ({test}))" for test in fields.values()
        ]
    result = profile.con.execute(
        f"SELECT agency, {', '.join(aggregates)} FROM {source} GROUP BY agency"
    ).fetchall()
    rows: list[Row] = []
    width = len(fields) + 1
    for agency, *numbers in result:
        for p_index, population in enumerate(populations):
            n = int(numbers[p_index * width])
            for f_index, field in enumerate(fields):
                recorded = int(numbers[p_index * width + 1 + f_index])
                rows.append((agency or "Not recorded", table, field, population, n, recorded))
    return rows


def build_completeness(profile: Profile) -> pa.Table:
    records = """(
        SELECT r.*, o.person_pid IS NOT NULL AS is_offender, v.person_pid IS NOT NULL AS is_victim,
               vul.record_pid IS NOT NULL AS has_marker
        FROM p_record r
        LEFT JOIN p_offender o ON r.person_pid = o.person_pid
        LEFT JOIN p_victim v ON r.person_pid = v.person_pid
        LEFT JOIN (SELECT DISTINCT record_pid FROM in_vulnerability) vul
            ON r.record_pid = vul.record_pid
    )"""
    rows = _grouped(profile, records, "person_record", POPULATIONS, PERSON_FIELDS)
    rows += _grouped(profile, records, "vulnerability", {"victims": "is_victim"},
                     {"marker": "has_marker"})  # fmt: skip
    rows += _grouped(profile, "p_offence", "offence", {"offences": "true"}, OFFENCE_FIELDS)
    rows += _grouped(
        profile, "p_event", "event", {"victims": "true"}, {"event_date": "event_date IS NOT NULL"}
    )
    rows = [r for r in rows if r[4] > 0]
    rows.sort(key=lambda r: (r[1], r[2], r[3], r[0]))
    return pa.table(
        {
            "agency": [r[0] for r in rows],
            "table": [r[1] for r in rows],
            "field": [r[2] for r in rows],
            "population": [r[3] for r in rows],
            "n": [r[4] for r in rows],
            "n_recorded": [r[5] for r in rows],
            "share_recorded": [r[5] / r[4] for r in rows],
        },
        schema=COMPLETENESS_SCHEMA,
    )


def population_of(definition: TableDef, table: str) -> str:
    """Which completeness population a table's field is measured over."""
    if table == "offence":
        return "offences"
    if table in {"event", "vulnerability"} or "victim" in definition.margin_key:
        return "victims"
    return "offenders"


def completeness_notes(definition: TableDef, completeness: pa.Table) -> list[str]:
    """One note per field of the table: its completeness by agency."""
    rows = completeness.to_pylist()
    notes = []
    for table, field in (*definition.fields, *definition.breakdown_fields):
        population = population_of(definition, table)
        parts = [
            f"{r['agency']} "
            + share_in_text(
                r["n_recorded"], r["n"], share_key(population, table, field, r["agency"])
            )
            for r in rows
            if r["table"] == table
            and r["field"] == field
            and r["population"] == population
            and r["share_recorded"] is not None
        ]
        if parts:
            notes.append(
                f"Completeness of {field} ({population}' records by agency): " + "; ".join(parts)
                if table == "person_record"
                else f"Completeness of {field} ({table} rows, by agency): " + "; ".join(parts)
            )
        else:
            notes.append(f"Completeness of {field}: no {table} rows for this population.")
    return notes
