"""Pseudonymised entity and link CSVs that IBM i2 Analyst's Notebook can import.

``i2/entities.csv`` has one row per entity (offenders, groups, victims of group offences);
``i2/links.csv`` one row per link, each row naming both ends and their types, so that it
can also be imported on its own with the Import Wizard's "entity-link-entity" design.
Only pseudonyms, counts, dates and agency names are exported: no personal attributes. The
column mapping for the Import Wizard is documented in ``docs/methodology/groups.md`` and in
``i2/README.txt`` written beside the files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

ENTITY_HEADER = (
    "Entity ID",
    "Entity Type",
    "Label",
    "Group ID",
    "Offences",
    "Victims",
    "Offenders",
    "First Date",
    "Last Date",
    "Description",
)
LINK_HEADER = (
    "Link ID",
    "From ID",
    "From Type",
    "To ID",
    "To Type",
    "Link Type",
    "Direction",
    "Strength",
    "First Date",
    "Last Date",
    "Offences",
    "Evidence",
    "In Group Rule",
    "Agencies",
)
LINK_LABELS = {
    "shared_offence": ("Co-offended", "Confirmed"),
    "shared_victim": ("Shared victim", "Unconfirmed"),
    "association": ("Recorded association", "Tentative"),
}

README = """gbo export for IBM i2 Analyst's Notebook (pseudonymised; for internal analysis only)

entities.csv  one row per entity. Import as entities: identity = "Entity ID", entity type =
              "Entity Type" (Offender, Group, Victim), label = "Label"; the other columns
              are attributes (Offences, Victims, Offenders: numbers; First Date, Last Date:
              dates in yyyy-MM-dd).
links.csv     one row per link, with both ends. Import with the "entity-link-entity" design:
              end 1 identity = "From ID", type = "From Type"; end 2 identity = "To ID",
              type = "To Type"; link type = "Link Type"; direction = "Direction" (None or
              Arrow to end 2); strength = "Strength" (Confirmed, Unconfirmed, Tentative);
              date = "First Date"; attributes Last Date, Offences, Evidence, In Group Rule,
              Agencies.
Entity and link identities are gbo pseudonyms; they match group_membership, group and
offender_edge in the same run folder.
"""


def _short(pid: str) -> str:
    return pid.split("_", 1)[-1][:8]


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def entities_csv(membership: pa.Table, group: pa.Table, group_victim: pa.Table) -> str:
    rows: list[tuple[Any, ...]] = []
    for m in membership.to_pylist():
        kind = "Group member" if m["group_pid"] else ("Lone offender" if m["is_lone"] else "")
        rows.append(
            (
                m["person_pid"],
                "Offender",
                f"Offender {_short(m['person_pid'])}",
                m["group_pid"],
                m["n_offences"],
                None,
                None,
                None,
                None,
                kind,
            )
        )
    for g in group.to_pylist():
        rows.append(
            (
                g["group_pid"],
                "Group",
                f"Group {_short(g['group_pid'])}",
                g["group_pid"],
                g["n_offences"],
                g["n_victims"],
                g["n_offenders"],
                _date(g["first_date"]),
                _date(g["last_date"]),
                f"{g['n_offenders']} offenders",
            )
        )
    victims = sorted(set(group_victim.column("person_pid").to_pylist()))
    for pid in victims:
        rows.append(
            (pid, "Victim", f"Victim {_short(pid)}", None, None, None, None, None, None, "")
        )
    return _csv(ENTITY_HEADER, rows)


def links_csv(edges: pa.Table, membership: pa.Table, group_victim: pa.Table) -> str:
    rows: list[tuple[Any, ...]] = []
    for e in edges.to_pylist():
        label, strength = LINK_LABELS[e["edge_type"]]
        rows.append(
            (
                f"{e['edge_type']}:{e['person_pid_a']}:{e['person_pid_b']}",
                e["person_pid_a"],
                "Offender",
                e["person_pid_b"],
                "Offender",
                label,
                "None",
                strength,
                _date(e["first_date"]),
                _date(e["last_date"]),
                e["n_offences"],
                e["weight"],
                "Yes" if e["is_in_rule"] else "No",
                ";".join(e["agencies"] or []),
            )
        )
    for m in membership.to_pylist():
        if m["group_pid"]:
            rows.append(
                (
                    f"member:{m['person_pid']}:{m['group_pid']}",
                    m["person_pid"],
                    "Offender",
                    m["group_pid"],
                    "Group",
                    "Member of",
                    "Arrow to end 2",
                    "Confirmed",
                    None,
                    None,
                    m["n_offences"],
                    None,
                    "Yes",
                    "",
                )
            )
    for v in group_victim.to_pylist():
        rows.append(
            (
                f"victim:{v['group_pid']}:{v['person_pid']}",
                v["group_pid"],
                "Group",
                v["person_pid"],
                "Victim",
                "Offended against",
                "Arrow to end 2",
                "Confirmed",
                None,
                None,
                v["n_offences"],
                None,
                "Yes",
                "",
            )
        )
    return _csv(LINK_HEADER, rows)
