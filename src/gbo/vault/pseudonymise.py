"""Column-at-a-time pseudonymisation and birth-year reduction."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from gbo.security import KeyRing, pseudonymise_column

PseudonymCache = dict[tuple[str, str], dict[str, str]]


def pseudonymise_keys(
    keys: KeyRing,
    namespace: str,
    values: pa.ChunkedArray | pa.Array,
    prefix: str,
    cache: PseudonymCache | None = None,
) -> pa.Array:
    """Pseudonymise a column of agency keys; repeated keys are hashed once, and with a
    ``cache`` shared by the tables of a run, once over all of them (a record key is in
    the person records, the involvements, the events and so on)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    dictionary: list[str] = encoded.dictionary.to_pylist()
    known = {} if cache is None else cache.setdefault((namespace, prefix), {})
    missing = [v for v in dictionary if v not in known]
    made = pseudonymise_column(keys, namespace, missing, prefix)
    known.update((v, p) for v, p in zip(missing, made, strict=True) if p is not None)
    mapped = pa.array([known[v] for v in dictionary], type=pa.string())
    return pc.take(mapped, encoded.indices)


def estimate_birth_year(person_record: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Birth year from the date of birth, else from a recorded age and the date it refers to.

    An age ``a`` recorded on date ``d`` means birth in ``year(d) - a - 1`` or
    ``year(d) - a``; the later year is used and the estimate is flagged.
    """
    from_dob = pc.year(person_record["dob"])
    from_age = pc.subtract(pc.year(person_record["age_recorded_on"]), person_record["age_recorded"])
    year = pc.coalesce(from_dob, from_age).cast(pa.int64())
    is_estimated = pc.and_(pc.is_null(from_dob), pc.is_valid(from_age))
    return year.combine_chunks() if isinstance(year, pa.ChunkedArray) else year, (
        is_estimated.combine_chunks() if isinstance(is_estimated, pa.ChunkedArray) else is_estimated
    )
