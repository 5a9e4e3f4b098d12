"""A planted-partition generator of co-offending graphs with known groups, for validation.

Offenders are either lone (no links) or members of a planted group. Each group is connected
(a random spanning path) and gets extra random links inside it up to the requested total.
Groups sit in small "areas"; in a share of areas a few bridging links join groups to each
other, so that connected components chain several true groups together and the Leiden split
has real work to do. Everything is numpy, so a graph of a million offenders takes seconds.
It has no real-world meaning: sizes and shares are parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gbo.groups.partition import NO_GROUP, IntArray, Links


@dataclass(frozen=True)
class PlantedGraph:
    links: Links
    true_group: IntArray  # per node, -1 for lone offenders


def plant_groups(
    n_nodes: int,
    n_links: int,
    *,
    seed: int = 1,
    lone_share: float = 0.3,
    mean_group_size: float = 10.0,
    max_group_size: int = 80,
    groups_per_area: int = 4,
    bridged_area_share: float = 0.1,
    bridges_per_group: int = 1,
) -> PlantedGraph:
    """A random co-offending graph with planted groups (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_grouped = int(round(n_nodes * (1 - lone_share)))
    sizes = _group_sizes(rng, n_grouped, mean_group_size, max_group_size)
    n_groups = sizes.size
    nodes = rng.permutation(n_nodes)
    grouped = nodes[: sizes.sum()]
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    true_group = np.full(n_nodes, NO_GROUP, dtype=np.int64)
    group_of_slot = np.repeat(np.arange(n_groups), sizes)
    true_group[grouped] = group_of_slot

    # A spanning path inside each group keeps it connected.
    slot = np.arange(grouped.size)
    not_last = np.ones(grouped.size, dtype=bool)
    not_last[np.cumsum(sizes) - 1] = False
    path_a, path_b = grouped[slot[not_last]], grouped[slot[not_last] + 1]

    # Bridges between groups of the same area, in a share of areas.
    area = np.arange(n_groups) // groups_per_area
    bridged = rng.random(area.max() + 1 if n_groups else 0) < bridged_area_share
    from_groups = np.repeat(np.flatnonzero(bridged[area]), bridges_per_group)
    offset = rng.integers(1, groups_per_area, size=from_groups.size)
    to_groups = area[from_groups] * groups_per_area + (
        (from_groups % groups_per_area + offset) % groups_per_area
    )
    ok = to_groups < n_groups
    from_groups, to_groups = from_groups[ok], to_groups[ok]
    bridge_a = grouped[starts[from_groups] + rng.integers(0, sizes[from_groups])]
    bridge_b = grouped[starts[to_groups] + rng.integers(0, sizes[to_groups])]

    # Extra links inside groups, drawn in proportion to each group's number of pairs.
    cumulative_capacity = np.cumsum(sizes * (sizes - 1) / 2)
    n_extra = max(0, n_links - path_a.size - bridge_a.size)
    pieces_a, pieces_b = [path_a, bridge_a], [path_b, bridge_b]
    src, dst = _unique_pairs(np.concatenate(pieces_a), np.concatenate(pieces_b))
    for _ in range(6):
        missing = n_links - src.size
        if missing <= 0 or n_extra == 0:
            break
        draw = int(missing * 1.3) + 16
        groups = np.searchsorted(cumulative_capacity, rng.random(draw) * cumulative_capacity[-1])
        a = grouped[starts[groups] + rng.integers(0, sizes[groups])]
        b = grouped[starts[groups] + rng.integers(0, sizes[groups])]
        src, dst = _unique_pairs(np.r_[src, a], np.r_[dst, b])
    if src.size > n_links:
        keep = np.sort(rng.choice(src.size, size=n_links, replace=False))
        # Never drop the spanning paths: put them back if a draw removed them.
        src, dst = _unique_pairs(np.r_[src[keep], path_a], np.r_[dst[keep], path_b])
    weight = np.ones(src.size, dtype=np.float64)
    return PlantedGraph(Links(n_nodes, src, dst, weight), true_group)


def _group_sizes(
    rng: np.random.Generator, n_grouped: int, mean_size: float, max_size: int
) -> IntArray:
    """Sizes 2..max_size (shifted geometric) adding up exactly to ``n_grouped``."""
    if n_grouped < 2:
        return np.zeros(0, dtype=np.int64)
    p = 1.0 / max(mean_size - 1.0, 1.0)
    draws = np.minimum(1 + rng.geometric(p, size=n_grouped // 2 + 1), max_size)
    cumulative = np.cumsum(draws)
    count = int(np.searchsorted(cumulative, n_grouped, side="right"))
    sizes = draws[:count].astype(np.int64)
    rest = n_grouped - int(sizes.sum())
    if rest >= 2:
        sizes = np.r_[sizes, rest]
    elif rest == 1:
        sizes[-1] += 1
    return sizes


def _unique_pairs(a: IntArray, b: IntArray) -> tuple[IntArray, IntArray]:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi = lo[keep].astype(np.int64), hi[keep].astype(np.int64)
    base = int(hi.max()) + 1 if hi.size else 1
    # Sort-based de-duplication: numpy 2's hash-based np.unique is slow on large arrays.
    codes = np.sort(lo * base + hi)
    codes = codes[np.r_[True, codes[1:] != codes[:-1]]] if codes.size else codes
    return codes // base, codes % base
