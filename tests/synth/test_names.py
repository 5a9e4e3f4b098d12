"""Name pools and their variants."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.synth.names import VariantTable, load_name_pools, make_typos


@settings(deadline=None)
@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=20))
def test_typos_differ_from_the_name(name: str) -> None:
    typos = make_typos(name)
    assert typos
    assert name not in typos


def test_transliteration_sets_are_in_the_pools() -> None:
    pools = load_name_pools()
    names = list(pools.given_male.names)
    i = names.index("Mohammed")
    table = pools.given_male.transliterations
    variants = set(table.values[table.offsets[i] : table.offsets[i + 1]])
    assert {"Muhammad", "Mohammad"} <= variants
    assert len(pools.family) > 1000
    assert abs(pools.family.probabilities.sum() - 1.0) < 1e-9


def test_nicknames_come_from_the_nicknames_package() -> None:
    pools = load_name_pools()
    names = list(pools.given_male.names)
    table = pools.given_male.nicknames
    i = names.index("William")
    assert "Bill" in set(table.values[table.offsets[i] : table.offsets[i + 1]])


@settings(deadline=None)
@given(st.lists(st.lists(st.text(max_size=5), max_size=4), min_size=1, max_size=30))
def test_variant_table_picks_only_a_names_own_variants(variants: list[list[str]]) -> None:
    table = VariantTable.build(variants)
    index = np.array([i for i, v in enumerate(variants) if v], dtype=np.int64)
    if len(index) == 0:
        return
    picked = table.pick(index, np.random.default_rng(0).random(len(index)))
    for i, name in zip(index, picked, strict=True):
        assert name in variants[i]
