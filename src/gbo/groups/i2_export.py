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
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
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
#: A block of rows of one kind: a table, and how to make the CSV's columns from any slice of
#: it (so that the text of only one slice at a time is held).
Block: TypeAlias = tuple[pa.Table, Callable[[pa.Table], Sequence[Column]]]
#: Rows turned into text at a time: about 50 MB of ``links.csv``.
CHUNK_ROWS = 250_000


def _short(pids: Column) -> pa.Array | pa.ChunkedArray:
    """The first eight characters after the prefix of each pseudonym (``per_1a2b...``)."""
    values = pa.array(pids, pa.string()) if isinstance(pids, list) else pids
    return pc.utf8_slice_codeunits(pc.replace_substring_regex(values, "^[^_]*_", ""), 0, 8)


def _label(text: str, pids: Column) -> pa.Array | pa.ChunkedArray:
    return pc.binary_join_element_wise(text, _short(pids), " ")


def _dates(values: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """ISO dates (yyyy-MM-dd); empty where unknown."""
    return pc.cast(values, pa.string())


def _constant(value: str | None, n: int) -> pa.Array:
    return pa.nulls(n, pa.string()) if value is None else pa.array([value] * n, pa.string())


def _link_label(edge_type: pa.ChunkedArray, which: int) -> pa.Array | pa.ChunkedArray:
    """The i2 link type (``which`` 0) or strength (1) of each edge type."""
    kinds = sorted(LINK_LABELS)
    index = pc.index_in(edge_type, value_set=pa.array(kinds, pa.string()))
    return pc.take(pa.array([LINK_LABELS[k][which] for k in kinds], pa.string()), index)


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


def _text_bytes(lines: pa.Array | pa.ChunkedArray) -> bytes:
    """The UTF-8 bytes of non-null strings one after another (their Arrow data buffer)."""
    array = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    if len(array) == 0:
        return b""
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width)[
        array.offset : array.offset + len(array) + 1
    ]
    data = array.buffers()[2]
    text: bytes = data.slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes()
    return text


def csv_chunks(
    header: Sequence[str], blocks: Iterable[Block], rows: int | None = None
) -> Iterator[bytes]:
    """CSV bytes (UTF-8, CRLF, quoted where needed, empty for null), as ``csv.writer``
    writes them, ``rows`` lines (:data:`CHUNK_ROWS` by default) at a time; each chunk's
    lines are joined a column at a time in Arrow."""
    rows = rows or CHUNK_ROWS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield buffer.getvalue().encode("utf-8")
    for table, columns_of in blocks:
        for start in range(0, table.num_rows, rows):
            texts = [_field_text(c) for c in columns_of(table.slice(start, rows))]
            lines = pc.binary_join_element_wise(*texts, ",")
            yield _text_bytes(pc.binary_join_element_wise(lines, "", "\r\n"))


def _csv(header: Sequence[str], blocks: Iterable[Block], rows: int | None = None) -> str:
    """The whole CSV as text (for small tables and tests)."""
    return b"".join(csv_chunks(header, blocks, rows)).decode("utf-8")


def write_chunks(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` to ``path`` one after another (atomically: a temporary file renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    os.replace(tmp, path)
    return path


def entities_csv(membership: pa.Table, group: pa.Table, group_victim: pa.Table) -> Iterator[bytes]:
    """``entities.csv``: offenders, then groups, then the victims of group offences."""

    def offenders(t: pa.Table) -> list[Column]:
        n = t.num_rows
        in_group = pc.is_valid(t["group_pid"])
        lone = pc.if_else(t["is_lone"], "Lone offender", "")
        return [
            t["person_pid"],
            _constant("Offender", n),
            _label("Offender", t["person_pid"]),
            t["group_pid"],
            t["n_offences"],
            *[_constant(None, n)] * 4,
            pc.if_else(in_group, "Group member", pc.fill_null(lone, "")),
        ]

    def groups(t: pa.Table) -> list[Column]:
        n = t.num_rows
        return [
            t["group_pid"],
            _constant("Group", n),
            _label("Group", t["group_pid"]),
            t["group_pid"],
            t["n_offences"],
            t["n_victims"],
            t["n_offenders"],
            _dates(t["first_date"]),
            _dates(t["last_date"]),
            pc.binary_join_element_wise(pc.cast(t["n_offenders"], pa.string()), "offenders", " "),
        ]

    def victims(t: pa.Table) -> list[Column]:
        n = t.num_rows
        return [
            t["person_pid"],
            _constant("Victim", n),
            _label("Victim", t["person_pid"]),
            *[_constant(None, n)] * 6,
            _constant("", n),
        ]

    # Each victim once, in order (UTF-8 byte order is code point order, as Python sorts).
    victim_pids = pc.unique(group_victim.column("person_pid").cast(pa.string()))
    victim_table = pa.table({"person_pid": victim_pids}).sort_by("person_pid")
    blocks: list[Block] = [(membership, offenders), (group, groups), (victim_table, victims)]
    return csv_chunks(ENTITY_HEADER, blocks)


def _directed_links(
    prefix: str, link_type: str, start: tuple[str, str], end: tuple[str, str], t: pa.Table
) -> list[Column]:
    """Links from ``start`` to ``end`` (each a column of pseudonyms and its entity type):
    offender to group (``member``), group to a victim of its offences (``victim``)."""
    n = t.num_rows
    (from_pid, from_type), (to_pid, to_type) = start, end
    return [
        pc.binary_join_element_wise(prefix, t[from_pid], t[to_pid], ":"),
        t[from_pid],
        _constant(from_type, n),
        t[to_pid],
        _constant(to_type, n),
        _constant(link_type, n),
        _constant("Arrow to end 2", n),
        _constant("Confirmed", n),
        *[_constant(None, n)] * 2,
        t["n_offences"],
        _constant(None, n),
        _constant("Yes", n),
        _constant("", n),
    ]


def links_csv(edges: pa.Table, membership: pa.Table, group_victim: pa.Table) -> Iterator[bytes]:
    """``links.csv``: offender edges, then group memberships, then groups' victims."""

    def edge_rows(t: pa.Table) -> list[Column]:
        n = t.num_rows
        return [
            pc.binary_join_element_wise(t["edge_type"], t["person_pid_a"], t["person_pid_b"], ":"),
            t["person_pid_a"],
            _constant("Offender", n),
            t["person_pid_b"],
            _constant("Offender", n),
            _link_label(t["edge_type"], 0),
            _constant("None", n),
            _link_label(t["edge_type"], 1),
            _dates(t["first_date"]),
            _dates(t["last_date"]),
            t["n_offences"],
            t["weight"],
            pc.if_else(t["is_in_rule"], "Yes", "No"),
            pc.fill_null(pc.binary_join(t["agencies"], ";"), ""),
        ]

    members = membership.filter(pc.is_valid(membership["group_pid"]))
    blocks: list[Block] = [
        (edges, edge_rows),
        (
            members,
            partial(
                _directed_links,
                "member",
                "Member of",
                ("person_pid", "Offender"),
                ("group_pid", "Group"),
            ),
        ),
        (
            group_victim,
            partial(
                _directed_links,
                "victim",
                "Offended against",
                ("group_pid", "Group"),
                ("person_pid", "Victim"),
            ),
        ),
    ]
    return csv_chunks(LINK_HEADER, blocks)
