"""Components, the Leiden split and agreement with planted groups."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.groups.partition import (
    NO_GROUP,
    Links,
    compare_groups,
    find_groups,
    labels_with_singletons,
    merge_small_pieces,
)
from gbo.groups.planted import plant_groups
from gbo.groups.rule import GroupRule, default_rule


def links_of(n: int, pairs: list[tuple[int, int]], weights: list[float] | None = None) -> Links:
    src = np.array([min(a, b) for a, b in pairs], dtype=np.int64)
    dst = np.array([max(a, b) for a, b in pairs], dtype=np.int64)
    w = np.array(weights if weights else [1.0] * len(pairs), dtype=np.float64)
    return Links(n, src, dst, w)


def clique(nodes: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :]]


def test_components_of_two_or_more_are_groups_and_the_rest_lone() -> None:
    links = links_of(7, [(0, 1), (1, 2), (4, 5)])
    part = find_groups(links, default_rule())
    assert part.group.tolist() == [0, 0, 0, NO_GROUP, 1, 1, NO_GROUP]
    assert part.component_size.tolist() == [3, 3, 3, 1, 2, 2, 1]
    assert part.n_groups == 2
    assert part.group_sizes().tolist() == [3, 2]


def test_min_group_size_three_leaves_pairs_out_of_groups() -> None:
    links = links_of(5, [(0, 1), (2, 3), (3, 4)])
    rule = dataclasses.replace(default_rule(), min_group_size=3)
    part = find_groups(links, rule)
    assert part.group.tolist() == [NO_GROUP, NO_GROUP, 0, 0, 0]


def test_two_cliques_joined_by_one_link_are_split_above_the_threshold() -> None:
    a, b = list(range(0, 12)), list(range(12, 24))
    links = links_of(24, clique(a) + clique(b) + [(11, 12)])
    split = find_groups(links, default_rule())
    assert split.n_groups == 2
    assert split.n_components_split == 1
    assert len(set(split.group[a].tolist())) == 1
    assert len(set(split.group[b].tolist())) == 1
    assert split.is_split.all()
    unsplit = find_groups(links, dataclasses.replace(default_rule(), split=False))
    assert unsplit.n_groups == 1
    below = find_groups(links, dataclasses.replace(default_rule(), split_threshold=24))
    assert below.n_groups == 1


def test_a_dense_group_above_the_threshold_stays_whole() -> None:
    links = links_of(30, clique(list(range(30))))
    part = find_groups(links, default_rule())
    assert part.n_components_split == 1
    assert part.n_groups == 1


def test_modularity_objective_also_splits_on_the_bridge() -> None:
    a, b = list(range(0, 12)), list(range(12, 24))
    links = links_of(24, clique(a) + clique(b) + [(11, 12)])
    rule = dataclasses.replace(default_rule(), leiden_objective="modularity", leiden_resolution=1)
    part = find_groups(links, rule)
    assert part.n_groups == 2


def test_a_hanging_offender_is_merged_into_its_neighbours_piece_not_left_lone() -> None:
    membership = np.array([0, 0, 0, 1, 1, 1, 2], dtype=np.int64)
    src = np.array([0, 1, 0, 3, 3, 4, 2, 5], dtype=np.int64)
    dst = np.array([1, 2, 2, 4, 5, 5, 3, 6], dtype=np.int64)
    weight = np.array([1, 1, 1, 1, 1, 1, 1, 3], dtype=np.float64)
    merged = merge_small_pieces(membership, src, dst, weight, 2)
    assert merged[6] == merged[5]
    assert merged[0] != merged[3]


def test_small_pieces_tie_goes_to_the_lowest_piece() -> None:
    membership = np.array([0, 0, 1, 1, 2], dtype=np.int64)
    src = np.array([0, 2, 1, 3], dtype=np.int64)
    dst = np.array([1, 3, 4, 4], dtype=np.int64)
    merged = merge_small_pieces(membership, src, dst, np.ones(4), 2)
    assert merged[4] == merged[0]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=25).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.integers(0, 4), min_size=n, max_size=n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=n),
            st.integers(2, 4),
        )
    )
)
def test_merging_leaves_no_small_piece_that_has_a_neighbour(
    case: tuple[int, list[int], list[tuple[int, int]], int],
) -> None:
    n, labels, pairs, min_size = case
    chain = [(i, i + 1) for i in range(n - 1)]  # connected, as a component is
    all_pairs = [(min(a, b), max(a, b)) for a, b in pairs + chain if a != b]
    src = np.array([a for a, _ in all_pairs], dtype=np.int64)
    dst = np.array([b for _, b in all_pairs], dtype=np.int64)
    merged = merge_small_pieces(
        np.array(labels, dtype=np.int64), src, dst, np.ones(src.size), min_size
    )
    sizes = np.bincount(merged)
    assert sizes.size == 1 or sizes.min() >= min_size
    # Merging only joins pieces: nodes together before stay together.
    for a in range(n):
        for b in range(n):
            if labels[a] == labels[b]:
                assert merged[a] == merged[b]


def test_labels_with_singletons_gives_each_lone_node_its_own_label() -> None:
    labels = labels_with_singletons(np.array([0, NO_GROUP, 1, NO_GROUP, 0]))
    assert labels.tolist() == [0, 2, 1, 3, 0]


def test_identical_partitions_agree_perfectly() -> None:
    truth = np.array([0, 0, 1, 1, NO_GROUP, NO_GROUP])
    found = np.array([5, 5, 2, 2, NO_GROUP, NO_GROUP])
    agreement = compare_groups(truth, found)
    assert agreement.ari == pytest.approx(1.0)
    assert agreement.nmi == pytest.approx(1.0)
    merged = compare_groups(truth, np.array([0, 0, 0, 0, NO_GROUP, NO_GROUP]))
    assert merged.ari < 1.0


def test_planted_groups_are_recovered_at_the_default_rule() -> None:
    planted = plant_groups(4000, 20000, seed=11, mean_group_size=10, bridged_area_share=0.2)
    rule = default_rule()
    part = find_groups(planted.links, rule)
    agreement = compare_groups(planted.true_group, part.group)
    assert part.n_components_split > 0  # the split had work to do
    assert agreement.ari >= 0.95
    assert agreement.nmi >= 0.95
    # Without the split, bridged areas stay merged and agreement drops.
    unsplit = find_groups(planted.links, dataclasses.replace(rule, split=False))
    assert compare_groups(planted.true_group, unsplit.group).ari < agreement.ari


def test_the_split_is_reproducible_with_the_fixed_seed() -> None:
    planted = plant_groups(3000, 15000, seed=4, bridged_area_share=0.3)
    rule: GroupRule = default_rule()
    first = find_groups(planted.links, rule)
    second = find_groups(planted.links, rule)
    assert np.array_equal(first.group, second.group)


def test_planted_graph_has_the_requested_shape() -> None:
    planted = plant_groups(2000, 8000, seed=2, lone_share=0.25)
    assert planted.links.n_nodes == 2000
    assert (planted.links.src < planted.links.dst).all()
    assert int((planted.true_group == NO_GROUP).sum()) == 500
    # Every planted group is connected by its own links.
    no_bridges = plant_groups(2000, 8000, seed=2, lone_share=0.25, bridged_area_share=0.0)
    part = find_groups(no_bridges.links, dataclasses.replace(default_rule(), split=False))
    assert compare_groups(no_bridges.true_group, part.group).ari == pytest.approx(1.0)


def test_the_igraph_engine_finds_the_same_planted_groups() -> None:
    planted = plant_groups(4000, 20000, seed=11, mean_group_size=10, bridged_area_share=0.2)
    rule = dataclasses.replace(default_rule(), leiden_engine="igraph")
    part = find_groups(planted.links, rule)
    assert compare_groups(planted.true_group, part.group).ari >= 0.95
    again = find_groups(planted.links, rule)
    assert np.array_equal(part.group, again.group)
    modularity = dataclasses.replace(rule, leiden_objective="modularity", leiden_resolution=1.0)
    assert find_groups(planted.links, modularity).n_groups > 0


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=40).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
            st.integers(2, 8),
            st.sampled_from(["cpm", "modularity"]),
        )
    )
)
def test_groups_are_connected_pieces_of_components_and_lone_means_unlinked(
    case: tuple[int, list[tuple[int, int]], int, str],
) -> None:
    n, pairs, threshold, objective = case
    unique = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    links = links_of(n, unique)
    rule = dataclasses.replace(
        default_rule(),
        split_threshold=threshold,
        leiden_objective=objective,
        leiden_resolution=0.05 if objective == "cpm" else 1.0,
    )
    part = find_groups(links, rule)
    degree = np.bincount(np.r_[links.src, links.dst].astype(np.int64), minlength=n)
    # Lone offenders are exactly those with no link; everyone else is in a group.
    assert ((part.group == NO_GROUP) == (degree == 0)).all()
    sizes = part.group_sizes()
    assert (sizes >= rule.min_group_size).all()
    for g in range(part.n_groups):
        members = np.flatnonzero(part.group == g)
        assert len(set(part.component[members].tolist())) == 1  # within one component
        inside = np.isin(links.src, members) & np.isin(links.dst, members)
        sub = find_groups(
            Links(n, links.src[inside], links.dst[inside], links.weight[inside]),
            dataclasses.replace(rule, split=False),
        )
        assert len(set(sub.group[members].tolist())) == 1  # and connected by its own links
