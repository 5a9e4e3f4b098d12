"""The block-size guard: exactly the pairs of blocks within the bound, and nothing else."""

from __future__ import annotations

import random
from itertools import combinations

import pandas as pd
import pyarrow as pa
import pytest

from gbo.link.blocks import BlockSizes, guarded_blocking
from gbo.link.settings import BlockingRuleSettings, LinkSettings
from gbo.link.standardise import standardise_identity
from tests.link.identities import make_identities

RULES = [
    BlockingRuleSettings(columns=["name", "month"]),
    BlockingRuleSettings(columns=["keys", "month"], explode=["keys"]),
    BlockingRuleSettings(sql="l.name = r.other and l.month = r.month"),
    BlockingRuleSettings(sql="l.name = r.other or l.other = r.name"),  # not guarded
]


def _records(seed: int, n: int = 120) -> pa.Table:
    rng = random.Random(seed)
    names = [rng.choice(["A", "B", "C", "D", None]) for _ in range(n)]
    others = [rng.choice(["A", "B", "E", None]) for _ in range(n)]
    months = [rng.choice(["01", "02", None]) for _ in range(n)]
    keys = [
        None
        if rng.random() < 0.1
        else rng.sample(["k1", "k2", "k3", "k4", "k5"], rng.randint(0, 3))
        for _ in range(n)
    ]
    ids = [f"{i:04d}" for i in range(n)]
    rng.shuffle(ids)  # not in id order: the guard must sort
    return pa.table(
        {"unique_id": ids, "name": names, "other": others, "month": months, "keys": keys}
    )


def _expected(
    table: pa.Table, rule: BlockingRuleSettings, bound: int | None
) -> set[tuple[str, ...]]:
    """Brute force: the pairs sharing a key whose block has at most ``bound`` records."""
    rows = table.to_pylist()
    if rule.sql:  # l.name = r.other and l.month = r.month, left the smaller id
        block: dict[tuple[object, ...], set[str]] = {}
        for row in rows:
            for key in ((row["name"], row["month"]), (row["other"], row["month"])):
                if None not in key:
                    block.setdefault(key, set()).add(row["unique_id"])
        found: set[tuple[str, ...]] = set()
        for left, right in combinations(sorted(rows, key=lambda r: r["unique_id"]), 2):
            key = (left["name"], left["month"])
            small = bound is None or len(block.get(key, ())) <= bound
            if None not in key and key == (right["other"], right["month"]) and small:
                found.add((left["unique_id"], right["unique_id"]))
        return found
    blocks: dict[tuple[object, ...], set[str]] = {}
    for row in rows:
        firsts = row[rule.columns[0]] if rule.explode else [row[rule.columns[0]]]
        for first in firsts or []:
            key = (first, row[rule.columns[1]])
            if None not in key:
                blocks.setdefault(key, set()).add(row["unique_id"])
    pairs: set[tuple[str, ...]] = set()
    for members in blocks.values():
        if bound is None or len(members) <= bound:
            pairs |= set(combinations(sorted(members), 2))
    return pairs


def _pairs(table: pa.Table, rule: BlockingRuleSettings) -> set[tuple[str, ...]]:
    """The pairs the (possibly rewritten) rule joins, as Splink would: equal non-null keys,
    or any shared element of an exploded list."""
    rows = sorted(table.to_pylist(), key=lambda r: r["unique_id"])
    pairs: set[tuple[str, ...]] = set()
    for left, right in combinations(rows, 2):
        if rule.sql:
            cols = rule.sql.replace("l.", "").replace("r.", "").split(" = ")
            if rule.sql.startswith("l.name"):  # the declared rule
                same = left["name"] is not None and left["month"] is not None
                same = same and (left["name"], left["month"]) == (right["other"], right["month"])
            else:  # the guarded rule: l.block_2_l = r.block_2_r
                lcol, rcol = cols[0].strip(), cols[1].strip()
                same = left[lcol] is not None and left[lcol] == right[rcol]
        elif rule.explode:
            col = rule.explode[0]
            lists_meet = bool(set(left[col] or []) & set(right[col] or []))
            others = [c for c in rule.columns if c != col]
            same = lists_meet and all(left[c] is not None and left[c] == right[c] for c in others)
        else:
            same = all(left[c] is not None and left[c] == right[c] for c in rule.columns)
        if same:
            pairs.add(tuple(sorted((left["unique_id"], right["unique_id"]))))
    return pairs


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("bound", [2, 5, 12, None])
def test_guarded_rules_join_exactly_the_pairs_of_blocks_within_the_bound(
    seed: int, bound: int | None
) -> None:
    table = _records(seed)
    guarded = guarded_blocking(table, RULES, bound)
    for declared, rule, sizes in zip(RULES[:3], guarded.rules[:3], guarded.blocks[:3], strict=True):
        assert _pairs(guarded.records, rule) == _expected(table, declared, bound)
        assert sizes.largest is not None and sizes.largest >= 2
        if not declared.explode and not declared.sql:  # exact for plain columns
            assert sizes.pairs == len(_expected(table, declared, None))
            assert sizes.pairs_within_guard == len(_expected(table, declared, bound))
        if bound is None or sizes.over_guard == 0:
            assert rule is declared  # left exactly as declared
        else:
            assert "block_" in (rule.sql or rule.columns[0])
    assert guarded.rules[3] is RULES[3]  # SQL other than equalities is left alone
    assert guarded.blocks[3].largest is None
    # Every record kept, with its own values.
    original = table.to_pandas().set_index("unique_id")
    out = guarded.records.to_pandas().set_index("unique_id")
    assert sorted(out.index) == sorted(original.index)
    pd.testing.assert_series_equal(out["name"].sort_index(), original["name"].sort_index())


def test_the_guard_leaves_small_blocks_as_declared() -> None:
    identity, _ = make_identities(150, seed=3)
    records = standardise_identity(identity)
    settings = LinkSettings()
    guarded = guarded_blocking(records, settings.blocking_rules, settings.max_block_size)
    assert guarded.rules == settings.blocking_rules
    assert guarded.records.column_names == records.column_names
    assert not any("guarded" in line for line in guarded.summary(settings.blocking_rules))


def test_a_guarded_rule_is_named_in_the_summary() -> None:
    table = _records(1)
    guarded = guarded_blocking(table, RULES, 3)
    lines = guarded.summary(RULES)
    assert len(lines) == 3  # the rules on columns or equalities; the OR rule is not measured
    assert lines[0].startswith("blocks of name + month: ")
    assert any("guarded: " in line for line in lines)


def _sizes(table: pa.Table, rule: BlockingRuleSettings, bound: int) -> BlockSizes:
    """Brute force: each block's distinct records on either side and on each."""
    sides: dict[tuple[object, ...], list[set[str]]] = {}
    for row in table.to_pylist():
        if rule.sql:  # l.name = r.other and l.month = r.month
            keys = [[(row["name"], row["month"])], [(row["other"], row["month"])]]
        elif rule.explode:
            keys = [[(k, row["month"]) for k in row["keys"] or []]]
        else:
            keys = [[(row["name"], row["month"])]]
        for side, side_keys in enumerate(keys):
            for key in side_keys:
                if None not in key:
                    sides.setdefault(key, [set() for _ in keys])[side].add(row["unique_id"])
    n = {key: len(set().union(*members)) for key, members in sides.items()}
    pairs = {
        key: len(m[0]) * (len(m[0]) - 1) // 2 if len(m) == 1 else len(m[0]) * len(m[1])
        for key, m in sides.items()
    }
    over = [key for key in sides if n[key] > bound]
    return BlockSizes(
        largest=max(n.values()),
        over_guard=len(over),
        records_over_guard=sum(n[key] for key in over),
        pairs=sum(pairs.values()),
        pairs_within_guard=sum(v for key, v in pairs.items() if n[key] <= bound),
    )


@pytest.mark.parametrize("seed", range(4))
def test_block_sizes_count_each_record_once_per_block_and_side(seed: int) -> None:
    table = _records(seed, n=200)
    repeated = {"unique_id": ["x"], "name": ["A"], "other": ["A"], "month": ["01"]}
    table = pa.concat_tables([table, pa.table({**repeated, "keys": [["k1", "k1"]]})])
    guarded = guarded_blocking(table, RULES, 6)
    for rule, sizes in zip(RULES[:3], guarded.blocks[:3], strict=True):
        assert sizes == _sizes(table, rule, 6), rule
