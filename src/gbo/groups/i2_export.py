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
from typing import Any, TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

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


Column: TypeAlias = pa.Array | pa.ChunkedArray | list[Any]


def _short(pids: Column) -> pa.Array | pa.ChunkedArray:
    """The first eight characters after the prefix of each pseudonym (``per_1a2b...``)."""
    values = pa.array(pids, pa.string()) if isinstance(pids, list) else pids
    return pc.utf8_slice_codeunits(pc.replace_substring_regex(values, "^[^_]*_", ""), 0, 8)


def _label(text: str, pids: Column) -> pa.Array | pa.ChunkedArray:
    return pc.binary_join_element_wise(text, _short(pids), " ")


def _dates(values: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """ISO dates (yyyy-MM-dd); empty where unknown."""
    return pc.cast(values, pa.string())


def _constant(value: str | None, n: int) -> list[str | None]:
    return [value] * n


def _field_text(column: Column) -> pa.Array | pa.ChunkedArray:
    """A column as the text ``csv.writer`` writes for it (``str`` of each value, empty for
    null), quoted where the ``csv`` module quotes (a comma, a double quote or a line break
    in it), built a column at a time."""
    values = pa.array(column) if isinstance(column, list) else column
    kind = values.type
    if pa.types.is_floating(kind):
        # Python writes a float as ``str`` gives it (2.0, not 2): not Arrow's formatting.
        text = pa.array([None if v is None else str(v) for v in values.to_pylist()], pa.string())
    elif pa.types.is_boolean(kind):
        text = pc.if_else(values, "True", "False")
    elif pa.types.is_null(kind):
        text = pa.nulls(len(values), pa.string())
    else:
        text = pc.cast(values, pa.string())
    needs = pc.match_substring_regex(text, '[,"\r\n]')
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.fill_null(pc.if_else(needs, quoted, text), "")


def _csv(header: Sequence[str], blocks: Iterable[Sequence[Column]]) -> str:
    """CSV text (CRLF, quoted where needed, empty for null), as ``csv.writer`` writes it;
    each block is a list of equally long columns, joined into lines a column at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    parts = [buffer.getvalue()]
    for columns in blocks:
        texts = [_field_text(c) for c in columns]
        if len(texts[0]) == 0:
            continue
        lines = pc.binary_join_element_wise(*texts, ",")
        parts.append("\r\n".join(lines.to_pylist()) + "\r\n")
    return "".join(parts)


def entities_csv(membership: pa.Table, group: pa.Table, group_victim: pa.Table) -> str:
    n, n_groups = membership.num_rows, group.num_rows
    in_group = pc.is_valid(membership["group_pid"])
    lone = pc.if_else(membership["is_lone"], "Lone offender", "")
    offenders = [
        membership["person_pid"],
        _constant("Offender", n),
        _label("Offender", membership["person_pid"]),
        membership["group_pid"],
        membership["n_offences"],
        *[_constant(None, n)] * 4,
        pc.if_else(in_group, "Group member", pc.fill_null(lone, "")),
    ]
    groups = [
        group["group_pid"],
        _constant("Group", n_groups),
        _label("Group", group["group_pid"]),
        group["group_pid"],
        group["n_offences"],
        group["n_victims"],
        group["n_offenders"],
        _dates(group["first_date"]),
        _dates(group["last_date"]),
        pc.binary_join_element_wise(pc.cast(group["n_offenders"], pa.string()), "offenders", " "),
    ]
    victims = sorted(set(group_victim.column("person_pid").to_pylist()))
    n_victims = len(victims)
    victim_rows = [
        victims,
        _constant("Victim", n_victims),
        _label("Victim", victims),
        *[_constant(None, n_victims)] * 6,
        _constant("", n_victims),
    ]
    return _csv(ENTITY_HEADER, [offenders, groups, victim_rows])


def links_csv(edges: pa.Table, membership: pa.Table, group_victim: pa.Table) -> str:
    n = edges.num_rows
    kinds = edges["edge_type"].to_pylist()
    edge_rows = [
        pc.binary_join_element_wise(
            edges["edge_type"], edges["person_pid_a"], edges["person_pid_b"], ":"
        ),
        edges["person_pid_a"],
        _constant("Offender", n),
        edges["person_pid_b"],
        _constant("Offender", n),
        [LINK_LABELS[k][0] for k in kinds],
        _constant("None", n),
        [LINK_LABELS[k][1] for k in kinds],
        _dates(edges["first_date"]),
        _dates(edges["last_date"]),
        edges["n_offences"],
        edges["weight"],
        pc.if_else(edges["is_in_rule"], "Yes", "No"),
        pc.fill_null(pc.binary_join(edges["agencies"], ";"), ""),
    ]
    members = membership.filter(pc.is_valid(membership["group_pid"]))
    m = members.num_rows
    member_rows = [
        pc.binary_join_element_wise("member", members["person_pid"], members["group_pid"], ":"),
        members["person_pid"],
        _constant("Offender", m),
        members["group_pid"],
        _constant("Group", m),
        _constant("Member of", m),
        _constant("Arrow to end 2", m),
        _constant("Confirmed", m),
        *[_constant(None, m)] * 2,
        members["n_offences"],
        _constant(None, m),
        _constant("Yes", m),
        _constant("", m),
    ]
    v = group_victim.num_rows
    victim_rows = [
        pc.binary_join_element_wise(
            "victim", group_victim["group_pid"], group_victim["person_pid"], ":"
        ),
        group_victim["group_pid"],
        _constant("Group", v),
        group_victim["person_pid"],
        _constant("Victim", v),
        _constant("Offended against", v),
        _constant("Arrow to end 2", v),
        _constant("Confirmed", v),
        *[_constant(None, v)] * 2,
        group_victim["n_offences"],
        _constant(None, v),
        _constant("Yes", v),
        _constant("", v),
    ]
    return _csv(LINK_HEADER, [edge_rows, member_rows, victim_rows])
