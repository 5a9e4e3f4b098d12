"""Large generations in shards: bounded memory at any size.

The generator draws its whole true world in memory (about 1 GB per million person records,
and as much again while an export is built), so a generation larger than
:data:`SHARD_RECORDS` is made as several independent *shards* of at most that many records,
one after another, each appended to the same export files and ground truth before the next
is drawn. Memory stays that of one shard whatever the size.

What a shard is: a region of its own, with its own people, planted groups and offences,
drawn from its own seed (the generation's seed, size and the shard's number). Nobody
appears in two shards, no group spans two, and nothing in one shard refers to another;
within a shard everything is as in an unsharded generation. What keeps shards apart in
the files:

* agency person numbers and crime reference numbers come from a block of serials of the
  shard's own (:func:`gbo.synth.serials.draw_serials`), so no id is used twice;
* NHS numbers: shard ``k`` of ``n`` draws from every ``n``-th number of the test range;
* ground-truth ids (``T...``, ``G...``, ``L...``, ``O...``) of shard ``k`` >= 1 start
  ``S<k>-`` (``S3-T0000001``); shard 0 keeps the usual form.

A generation of :data:`SHARD_RECORDS` records or fewer is one shard, made exactly as
before (the same bytes for the same seed).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

SHARD_RECORDS = 1_000_000
TRUE_ID_COLUMNS = frozenset(
    {
        "true_person_id",
        "true_person_id_a",
        "true_person_id_b",
        "true_group_id",
        "victim_of_group_id",
        "unit_id",
        "true_offence_id",
    }
)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (from 0) of ``count``; the default is a whole generation."""

    index: int = 0
    count: int = 1


def shard_sizes(size: int, limit: int = SHARD_RECORDS) -> list[int]:
    """Person records per shard: as few shards as ``limit`` allows, sizes differing by one
    at most, adding up to ``size``."""
    count = max(1, -(-size // limit))
    base, extra = divmod(size, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def shard_true_ids(table: pa.Table, shard: Shard) -> pa.Table:
    """A ground-truth table with the true ids of shard ``k`` >= 1 prefixed ``S<k>-``."""
    if shard.index == 0:
        return table
    prefix = pa.scalar(f"S{shard.index}-")
    for i, name in enumerate(table.column_names):
        if name in TRUE_ID_COLUMNS:
            column = table.column(i)
            table = table.set_column(i, name, pc.binary_join_element_wise(prefix, column, ""))
    return table
