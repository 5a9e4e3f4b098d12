"""Splitting sheets to fit the worksheet row limit, and the mapping that reads every part."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.synth.social_care import social_care_mapping, split_sheets
from gbo.synth.writers import sheet_parts


@settings(deadline=None)
@given(n_rows=st.integers(min_value=0, max_value=10_000), limit=st.integers(1, 3000))
def test_sheet_parts_cover_every_row_once(n_rows: int, limit: int) -> None:
    parts = sheet_parts("Contacts", n_rows, limit)
    covered = [r for _, rows in parts for r in range(rows.start, rows.stop)]
    assert covered == list(range(n_rows))
    assert all(rows.stop - rows.start <= limit for _, rows in parts)
    assert parts[0][0] == "Contacts"
    assert len({name for name, _ in parts}) == len(parts)


def test_a_sheet_over_the_limit_continues_and_the_mapping_reads_every_part() -> None:
    contacts = pa.table({"Child ID": [f"CH{i}" for i in range(7)], "Contact Type": ["x"] * 7})
    children = pa.table({"Child ID": ["CH1"]})
    written = split_sheets({"Children": children, "Contacts": contacts}, limit=3)
    assert list(written) == ["Children", "Contacts", "Contacts 2", "Contacts 3"]
    assert sum(t.num_rows for n, t in written.items() if n.startswith("Contacts")) == 7
    mapping = social_care_mapping(list(written))
    events = [t.sheet for t in mapping.tables if t.target == "event"]
    assert events == ["Contacts", "Contacts 2", "Contacts 3"]
