"""Content-ordered record ids, so that linkage never depends on the vault key.

Record pseudonyms are keyed hashes: rotating the vault key gives every record a new one, in
a new order. Splink samples records for u, and pairs for EM, by hashing the unique id, so
training on pseudonyms would learn slightly different m and u values under each key, and a
pair near the threshold could move. gbo therefore never shows Splink a pseudonym.

:func:`content_ids` sorts the standardised records by their content (every compared column,
then the agency) and numbers them in that order; Splink sees only these numbers. Records
with identical content are interchangeable, so whichever order they take among themselves
the model, the scores and the persons are the same. :class:`IdMap` translates every result
back to pseudonyms, with the smaller pseudonym of a pair on the left (the order clerical
decisions use).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gbo.duckdb_spill import spilling_connection

ID_WIDTH = 10


@dataclass(frozen=True)
class IdMap:
    """Content-ordered ids and the record pseudonyms they stand for.

    Splink sees a record's id as text (``0000000001`` ...); after scoring, the pairs,
    clustering and the evidence carry it as a number (:func:`numbered_pairs`), which at ten
    million records takes a fraction of the memory of ten million Python strings.
    """

    pseudonyms: pa.Array  # the pseudonym of the record numbered k + 1 is at k

    @cached_property
    def pseudonym_of(self) -> pd.Series:
        """Internal id (text) -> pseudonym (for small data: it holds every id as a string)."""
        return pd.Series(self.pseudonyms.to_pylist(), index=self.text_ids(), dtype=object)

    @cached_property
    def internal_of(self) -> pd.Series:
        """Pseudonym -> internal id (text), for clerical decisions."""
        return pd.Series(self.text_ids(), index=self.pseudonyms.to_pylist(), dtype=object)

    def text_ids(self) -> list[str]:
        return [str(k).zfill(ID_WIDTH) for k in range(1, len(self.pseudonyms) + 1)]

    def to_internal(self, ids: pd.Series) -> pd.Series:
        return ids.map(self.internal_of)

    def to_pseudonyms(self, ids: pd.Series) -> pd.Series:
        """Internal ids, as numbers or as text, as pseudonyms."""
        if pd.api.types.is_integer_dtype(ids.dtype):
            taken = self.pseudonyms.take(pa.array(ids.to_numpy(dtype=np.int64) - 1))
            return pd.Series(taken.to_numpy(zero_copy_only=False), index=ids.index, dtype=object)
        return ids.map(self.pseudonym_of)

    def pairs_to_pseudonyms(self, pairs: pd.DataFrame) -> pd.DataFrame:
        """``unique_id_l``/``unique_id_r`` as pseudonyms, the smaller on the left."""
        return _map_pairs(pairs, self.to_pseudonyms)

    def pairs_to_internal(self, pairs: pd.DataFrame) -> pd.DataFrame:
        """Pseudonym pairs as internal ids, the smaller internal id on the left."""
        return _map_pairs(pairs, self.to_internal)


def _map_pairs(pairs: pd.DataFrame, convert: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
    """Both ids of each pair converted, the smaller on the left."""
    if pairs.empty:
        return pairs.astype({"unique_id_l": object, "unique_id_r": object})
    left = convert(pairs["unique_id_l"]).to_numpy(dtype=object)
    right = convert(pairs["unique_id_r"]).to_numpy(dtype=object)
    swap = left > right
    out = pairs.copy()
    out["unique_id_l"] = np.where(swap, right, left)
    out["unique_id_r"] = np.where(swap, left, right)
    return out


def id_numbers(ids: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Internal ids as text (``0000000042``) -> as numbers (42)."""
    return pc.cast(ids, pa.int64())


def id_text(ids: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Internal ids as numbers -> as the text Splink sees."""
    return pc.utf8_lpad(pc.cast(ids, pa.string()), width=ID_WIDTH, padding="0")


def numbered_pairs(pairs: pa.Table) -> pa.Table:
    """Scored pairs with ``unique_id_l``/``unique_id_r`` as numbers (the same order)."""
    for name in ("unique_id_l", "unique_id_r"):
        i = pairs.column_names.index(name)
        pairs = pairs.set_column(i, name, id_numbers(pairs.column(name)))
    return pairs


def content_ids(records: pa.Table, memory_limit: str = "2GB") -> tuple[pa.Table, IdMap]:
    """``records`` sorted by content, with ``unique_id`` replaced by the content rank. The
    sort is held to ``memory_limit`` and spills the rest (at ten million records an
    unlimited sort took most of the machine's memory)."""
    content = [c for c in records.column_names if c not in ("unique_id", "agency")]
    order = ", ".join(f'"{c}" NULLS FIRST' for c in [*content, "agency", "unique_id"])
    con = spilling_connection(memory_limit, "link-ids")
    try:
        con.register("records", records)
        ranked = con.sql(
            f"select lpad(cast(row_number() over (order by {order}) as varchar), {ID_WIDTH}, '0')"
            f" as internal_id, * from records order by internal_id"
        ).arrow()
    finally:
        con.close()
    if isinstance(ranked, pa.RecordBatchReader):
        ranked = ranked.read_all()
    original = ranked.column("unique_id")
    table = ranked.drop_columns(["internal_id"])
    table = table.set_column(
        table.column_names.index("unique_id"), "unique_id", ranked.column("internal_id")
    )
    pseudonyms = pc.cast(original, pa.string()).combine_chunks()
    return table, IdMap(pseudonyms=pseudonyms)
