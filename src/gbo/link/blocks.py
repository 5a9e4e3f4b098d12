"""The block-size guard: no blocking rule compares every pair of a block larger than a bound.

A blocking rule compares every pair of records that agree on its key. Where the key's
values are drawn from a set that does not grow with the population (forename and family
name codes, a postcode, a month of birth) its blocks grow with the number of records, and
so the pairs they make grow with its square: a national file has thousands of records with
one common forename code and family name code, and the rule on those two codes alone
compares every pair of them. At ten million synthetic records the fifteen default rules
made some 620 million pairs within blocks (summed over the rules), 65 times those of a
million records.

:func:`guarded_blocking` bounds that. For every rule on columns (``link.blocking_rules``
with ``columns``), the records are grouped by the rule's key (each element of an exploded
array column counted as its own key); a key shared by more than ``link.max_block_size``
records is left out of *that rule only*. Each rule then makes at most
``max_block_size / 2`` pairs per record, so the pairs scored grow about linearly with the
records. The records of a large block are still compared wherever another, tighter rule
puts them together (the same common name with the same date of birth, or the same
postcode); what is lost is a pair that agrees on nothing but a common key, which the model
would score low anyway. A rule written in SQL as equalities between columns (``l.given_dm =
r.family_dm and l.family_dm = r.given_dm``) is guarded the same way, a key's block being
the records that have it on either side; other SQL is left as it is.

How it is done: a rule that has a block over the bound is replaced by a rule on a new key
column, ``block_<i>``, holding a 63-bit hash of the rule's key (a signed integer, which
every backend reads) where the key's block is within the bound and null where it is not
(for an exploded rule, a list of the hashes of the record's keys within the bound; for a
rule in SQL, two columns, ``block_<i>_l`` and ``block_<i>_r``, one per side). A null key
never joins, so exactly the large blocks drop out. A hash collision could only join two
blocks, making more pairs, never fewer.
Rules with no block over the bound, and all rules when the guard is off, are kept as
declared, so small data is blocked exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from gbo.duckdb_spill import ANALYSIS_MEMORY_LIMIT, spilling_connection
from gbo.link.settings import BlockingRuleSettings

Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class BlockSizes:
    """One rule's blocks: the largest, those over the guard's bound, and the pairs within
    blocks (each block's n(n-1)/2 summed: exact for a rule on plain columns, an upper bound
    for an exploded rule, where two records sharing two keys are counted twice)."""

    largest: int | None  # None for a rule written in SQL (not measured)
    over_guard: int = 0
    records_over_guard: int = 0  # summed over those blocks
    pairs: int = 0
    pairs_within_guard: int = 0


@dataclass(frozen=True)
class GuardedBlocking:
    """The records with any new key columns, and the rules to block on (in the same order
    as the declared rules)."""

    records: pa.Table
    rules: list[BlockingRuleSettings]
    blocks: list[BlockSizes]

    def summary(self, declared: list[BlockingRuleSettings]) -> list[str]:
        """One line per rule on columns: its pairs and largest block, and what the guard
        left out (a run diagnostic for the stage's log)."""
        from gbo.link.coverage import rule_label

        lines = []
        for rule, guarded, sizes in zip(declared, self.rules, self.blocks, strict=True):
            if sizes.largest is None:
                continue
            line = f"blocks of {rule_label(rule)}: {sizes.pairs:,} pairs, largest {sizes.largest:,}"
            if guarded is not rule:
                line += (
                    f"; guarded: {sizes.over_guard:,} blocks over the bound "
                    f"({sizes.records_over_guard:,} records) left out, "
                    f"{sizes.pairs_within_guard:,} pairs kept"
                )
            lines.append(line)
        return lines


@dataclass(frozen=True)
class _Side:
    """The keys of one side of a rule: a FROM clause giving one row per record and key
    (exploded columns unnested) and the key's expressions."""

    source: str
    keys: list[str]
    explode: bool

    @property
    def hashed(self) -> str:
        return f"(hash({', '.join(self.keys)}) >> 1)::bigint"

    @property
    def not_null(self) -> str:
        return " and ".join(f"{k} is not null" for k in self.keys)

    def keyed(self, tag: int) -> str:
        return (
            f"select records.unique_id as id, {self.hashed} as h, {tag} as side "
            f"from {self.source} where {self.not_null}"
        )


_CROSS = re.compile(r"^\s*l\.(\w+)\s*=\s*r\.(\w+)\s*$", re.IGNORECASE)


def _cross_columns(sql: str) -> tuple[list[str], list[str]] | None:
    """``l.a = r.b and l.c = r.d ...`` as (``[a, c]``, ``[b, d]``); None for other SQL."""
    left, right = [], []
    for part in re.split(r"\s+and\s+", sql.strip(), flags=re.IGNORECASE):
        matched = _CROSS.match(part)
        if not matched:
            return None
        left.append(matched.group(1))
        right.append(matched.group(2))
    return left, right


def _sides(rule: BlockingRuleSettings) -> list[_Side] | None:
    """One side for a rule on columns; two (left, right) for a rule in SQL that is a
    conjunction of equalities between columns; None for any other SQL (not guarded)."""
    if rule.sql:
        cross = _cross_columns(rule.sql)
        if cross is None:
            return None
        return [_Side("records", [f'records."{c}"' for c in cols], False) for cols in cross]
    sources = ["records"]
    keys = []
    for i, column in enumerate(rule.columns):
        if column in rule.explode:
            sources.append(f'unnest(records."{column}") as x{i}(k)')
            keys.append(f"x{i}.k")
        else:
            keys.append(f'records."{column}"')
    return [_Side(", ".join(sources), keys, bool(rule.explode))]


def _blocks_sql(sides: list[_Side]) -> str:
    """Each block (key hash) with its records on either side (``n``) and on each (``n0``,
    ``n1``).

    Counted without ``count(distinct ...)``, which DuckDB does with a table of its own per
    block (five times slower at millions of keys): a rule on plain columns gives each
    record one row, so its rows are its records; otherwise each record is first taken once
    per block, noting the sides it is on."""
    keyed = " union all ".join(side.keyed(i) for i, side in enumerate(sides))
    if len(sides) == 1 and not sides[0].explode:
        return f"select h, count(*) as n, count(*) as n0 from ({keyed}) group by h"
    on_side = ", ".join(f"bool_or(side = {i}) as s{i}" for i in range(len(sides)))
    per_side = ", ".join(f"count(*) filter (where s{i}) as n{i}" for i in range(len(sides)))
    return (
        f"select h, count(*) as n, {per_side} from "
        f"(select h, id, {on_side} from ({keyed}) group by h, id) group by h"
    )


def _measure(con: Connection, n_sides: int, bound: int | None) -> BlockSizes:
    """The sizes of the blocks in the temporary table ``blocks``."""
    over = f"n > {bound}" if bound is not None else "false"
    pairs = "n0 * (n0 - 1) // 2" if n_sides == 1 else "n0 * n1"
    row = con.execute(
        f"select max(n), count(*) filter (where {over}), "
        f"coalesce(sum(n) filter (where {over}), 0), coalesce(sum({pairs}), 0), "
        f"coalesce(sum({pairs}) filter (where not ({over})), 0) from blocks"
    ).fetchall()[0]
    return BlockSizes(*(int(v) if v is not None else 0 for v in row))


def _guarded_keys(con: Connection, sides: list[_Side], bound: int) -> list[pa.Array]:
    """Per side, per record (in ``unique_id`` order): the hash of its key where the key's
    block (in the temporary table ``blocks``) is within ``bound``, else null; a list of
    such hashes for an exploded rule."""
    out = []
    for i, side in enumerate(sides):
        if side.explode:
            sql = (
                f"with s as (select k.id, k.h from ({side.keyed(i)}) k semi join "
                f"(select h from blocks where n <= {bound}) small using (h)), "
                "v as (select id, list(distinct s.h order by s.h) as key from s group by id) "
                "select v.key from records left join v on v.id = records.unique_id "
                "order by records.unique_id"
            )
        else:  # one key per record: looked up in place, without gathering by record
            sql = (
                f"with k as (select records.unique_id, case when {side.not_null} then "
                f"{side.hashed} end as h from records) "
                f"select if(b.n <= {bound}, k.h, null) as key from k left join blocks b "
                "using (h) order by k.unique_id"
            )
        table = con.sql(sql).arrow()
        if isinstance(table, pa.RecordBatchReader):
            table = table.read_all()
        column = table.column("key")
        out.append(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)
    return out


def guarded_blocking(
    records: pa.Table,
    rules: list[BlockingRuleSettings],
    max_block_size: int | None,
    memory_limit: str = ANALYSIS_MEMORY_LIMIT,
) -> GuardedBlocking:
    """The rules with the block-size guard applied (module docstring)."""
    sorted_ids = records.column("unique_id")
    ordered = records
    if (
        records.num_rows > 1
        and not pc.all(
            pc.less(sorted_ids.slice(0, len(sorted_ids) - 1), sorted_ids.slice(1))
        ).as_py()
    ):
        ordered = records.sort_by("unique_id")
    con = spilling_connection(memory_limit, "link-blocks")
    out_rules: list[BlockingRuleSettings] = []
    sizes: list[BlockSizes] = []
    try:
        con.register("records", ordered.select(["unique_id", *_rule_columns(rules)]))
        for i, rule in enumerate(rules):
            sides = _sides(rule)
            if sides is None:
                out_rules.append(rule)
                sizes.append(BlockSizes(None))
                continue
            # Each rule's blocks are counted once, for its sizes and its guarded keys alike.
            con.execute(f"create or replace temp table blocks as {_blocks_sql(sides)}")
            measured = _measure(con, len(sides), max_block_size)
            sizes.append(measured)
            if max_block_size is None or measured.over_guard == 0:
                out_rules.append(rule)
                continue
            keys = _guarded_keys(con, sides, max_block_size)
            if len(sides) == 1:
                name = f"block_{i}"
                ordered = ordered.append_column(name, keys[0])
                explode = [name] if rule.explode else []
                out_rules.append(BlockingRuleSettings(columns=[name], explode=explode))
            else:
                left, right = f"block_{i}_l", f"block_{i}_r"
                ordered = ordered.append_column(left, keys[0]).append_column(right, keys[1])
                out_rules.append(BlockingRuleSettings(sql=f"l.{left} = r.{right}"))
    finally:
        con.close()
    return GuardedBlocking(ordered, out_rules, sizes)


def _rule_columns(rules: list[BlockingRuleSettings]) -> list[str]:
    seen: list[str] = []
    for rule in rules:
        cross = _cross_columns(rule.sql) if rule.sql else None
        columns = [*cross[0], *cross[1]] if cross else rule.columns
        for column in columns:
            if column not in seen and column != "unique_id":
                seen.append(column)
    return seen
