"""The i2 CSVs are built a column at a time, byte for byte as ``csv.writer`` writes them."""

from __future__ import annotations

import csv
import io

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.groups.i2_export import _constant, _csv

TEXT = st.one_of(st.none(), st.text(alphabet=st.sampled_from('ab ,"\r\n;é'), max_size=6))


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            TEXT,
            st.one_of(st.none(), st.integers(-(10**6), 10**6)),
            st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
            st.one_of(st.none(), st.booleans()),
        ),
        max_size=8,
    ),
    chunk_rows=st.integers(1, 9),
)
def test_columns_joined_in_arrow_are_what_the_csv_module_writes(
    rows: list[tuple[str | None, int | None, float | None, bool | None]], chunk_rows: int
) -> None:
    header = ("Text", "Count", "Weight", "Flag")
    table = pa.table(
        {
            "text": pa.array([r[0] for r in rows], pa.string()),
            "count": pa.array([r[1] for r in rows], pa.int64()),
            "weight": pa.array([r[2] for r in rows], pa.float64()),
            "flag": pa.array([r[3] for r in rows], pa.bool_()),
        }
    )

    def columns_of(part: pa.Table) -> list[object]:
        n = part.num_rows
        return [*part.columns, _constant("Offender", n), _constant(None, n)]

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((*header, "Type", "Empty"))
    writer.writerows((*r, "Offender", None) for r in rows)
    # Two blocks of the same rows, turned into text ``chunk_rows`` rows at a time.
    writer.writerows((*r, "Offender", None) for r in rows)
    blocks = [(table, columns_of), (table, columns_of)]
    got = _csv((*header, "Type", "Empty"), blocks, chunk_rows)
    assert got == buffer.getvalue()
