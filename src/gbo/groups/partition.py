"""The co-offending graph and its partition into groups.

Nodes are offenders, numbered ``0..n-1``; links are unique pairs ``src < dst`` with a weight
(the weighted evidence behind the pair). Groups are connected components of at least
``min_group_size`` offenders; components larger than ``split_threshold`` are split into
communities with Leiden (``leidenalg``, fixed seed). A piece of a split component smaller
than ``min_group_size`` (in practice a single offender) is merged into the neighbouring
piece it has the most link weight with, so that nobody with a co-offending link is counted
as a lone offender because of the split.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import igraph as ig
import leidenalg
import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from gbo.groups.rule import GroupRule

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
NO_GROUP = -1


@dataclass(frozen=True)
class Links:
    """Unique undirected links ``src[i] < dst[i]`` between nodes ``0..n_nodes-1``."""

    n_nodes: int
    src: IntArray
    dst: IntArray
    weight: FloatArray

    @property
    def n_links(self) -> int:
        return int(self.src.size)


@dataclass(frozen=True)
class Partition:
    """Per node: its component, the component's size, its group (or -1) and split flag."""

    component: IntArray
    component_size: IntArray
    group: IntArray
    is_split: npt.NDArray[np.bool_]
    n_components_split: int

    @property
    def n_groups(self) -> int:
        return int(self.group.max()) + 1 if self.group.size and self.group.max() >= 0 else 0

    def group_sizes(self) -> IntArray:
        in_group = self.group[self.group >= 0]
        return np.bincount(in_group, minlength=self.n_groups).astype(np.int64)


def build_offender_graph(links: Links) -> ig.Graph:
    """The igraph graph of the links (weights are used only when a component is split)."""
    return _graph_of(links.n_nodes, links.src, links.dst)


def _graph_of(n_nodes: int, src: IntArray, dst: IntArray) -> ig.Graph:
    """An igraph graph from numpy edge arrays (``add_edges`` converts numpy about twice as
    fast as the constructor does)."""
    graph = ig.Graph(n=n_nodes)
    graph.add_edges(np.column_stack((src, dst)))
    return graph


def find_components(graph: ig.Graph) -> IntArray:
    """Connected component of each node."""
    return np.asarray(graph.connected_components().membership, dtype=np.int64)


def split_component(
    n_nodes: int, src: IntArray, dst: IntArray, weight: FloatArray, rule: GroupRule
) -> IntArray:
    """Leiden communities of one connected component (local node numbers), small pieces merged.

    With the igraph engine and the constant Potts model this may also be given several
    components at once (the quality is a sum over communities, so the result is the same
    kind of partition; pieces never span two components).
    """
    graph = _graph_of(n_nodes, src, dst)
    if rule.leiden_engine == "igraph":
        membership = _igraph_leiden(graph, weight, rule)
        return merge_small_pieces(membership, src, dst, weight, rule.min_group_size)
    partition_type = (
        leidenalg.CPMVertexPartition
        if rule.leiden_objective == "cpm"
        else leidenalg.RBConfigurationVertexPartition
    )
    found = leidenalg.find_partition(
        graph,
        partition_type,
        weights=weight.tolist(),
        resolution_parameter=rule.leiden_resolution,
        seed=rule.leiden_seed,
        n_iterations=rule.leiden_iterations,
    )
    membership = np.asarray(found.membership, dtype=np.int64)
    return merge_small_pieces(membership, src, dst, weight, rule.min_group_size)


def _igraph_leiden(graph: ig.Graph, weight: FloatArray, rule: GroupRule) -> IntArray:
    """igraph's built-in Leiden, with its random numbers drawn from a seeded generator."""
    ig.set_random_number_generator(random.Random(rule.leiden_seed))
    try:
        found = graph.community_leiden(
            objective_function="cpm" if rule.leiden_objective == "cpm" else "modularity",
            weights=weight.tolist(),
            resolution=rule.leiden_resolution,
            n_iterations=rule.leiden_iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(found.membership, dtype=np.int64)


def merge_small_pieces(
    membership: IntArray, src: IntArray, dst: IntArray, weight: FloatArray, min_size: int
) -> IntArray:
    """Merge each piece smaller than ``min_size`` into its most strongly linked neighbour.

    Ties go to the neighbouring piece with the lowest number. Pieces that choose each other
    (or form a chain) are merged together. Repeats until no piece is too small or only one
    piece is left.
    """
    membership = _relabel(membership)
    while True:
        sizes = np.bincount(membership)
        small = sizes < min_size
        if not small.any():
            return membership
        piece_a, piece_b = membership[src], membership[dst]
        between = piece_a != piece_b
        # Each link counted from both ends, keep the ends that sit in a small piece.
        frm = np.concatenate((piece_a[between], piece_b[between]))
        to = np.concatenate((piece_b[between], piece_a[between]))
        w = np.concatenate((weight[between], weight[between]))
        keep = small[frm]
        frm, to, w = frm[keep], to[keep], w[keep]
        n_pieces = sizes.size
        pair = frm * n_pieces + to
        uniq, inverse = np.unique(pair, return_inverse=True)
        total = np.bincount(inverse, weights=w)
        u_frm, u_to = uniq // n_pieces, uniq % n_pieces
        # Best target per small piece: highest weight, then lowest piece number.
        order = np.lexsort((u_to, -total, u_frm))
        first = np.ones(order.size, dtype=bool)
        first[1:] = u_frm[order][1:] != u_frm[order][:-1]
        chosen_frm, chosen_to = u_frm[order][first], u_to[order][first]
        if chosen_frm.size == 0:
            return membership
        joins = coo_matrix(
            (np.ones(chosen_frm.size), (chosen_frm, chosen_to)), shape=(n_pieces, n_pieces)
        )
        _, merged = connected_components(joins, directed=False)
        membership = _relabel(merged.astype(np.int64)[membership])


def _relabel(labels: IntArray) -> IntArray:
    """Number labels 0.. in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse.reshape(-1)]


def find_groups(links: Links, rule: GroupRule, graph: ig.Graph | None = None) -> Partition:
    """Components, then Leiden on the oversized ones; groups numbered by their first node."""
    graph = graph if graph is not None else build_offender_graph(links)
    component = find_components(graph)
    sizes = np.bincount(component, minlength=1).astype(np.int64)
    component_size = sizes[component]
    group = np.where(component_size >= rule.min_group_size, component, NO_GROUP)
    is_split = np.zeros(links.n_nodes, dtype=bool)
    n_split = 0
    if rule.split:
        big = sizes > rule.split_threshold
        n_split = int(big.sum())
        if n_split:
            is_split = big[component]
            group = _split_big_components(links, component, big, group, rule)
    return Partition(component, component_size, _number_groups(group), is_split, n_split)


def _split_big_components(
    links: Links, component: IntArray, big: npt.NDArray[np.bool_], group: IntArray, rule: GroupRule
) -> IntArray:
    """Leiden on every component above the threshold.

    leidenalg runs on one component at a time (it is markedly slower on many components at
    once). igraph's Leiden with the constant Potts model, whose quality has no global term,
    runs once over all the oversized components together; with modularity, which has one,
    it too runs a component at a time.
    """
    group = group.copy()
    next_label = int(component.max()) + 1
    nodes = np.flatnonzero(big[component])  # ascending
    link_mask = big[component[links.src]]
    src = np.searchsorted(nodes, links.src[link_mask])
    dst = np.searchsorted(nodes, links.dst[link_mask])
    weight = links.weight[link_mask]
    if rule.leiden_engine == "igraph" and rule.leiden_objective == "cpm":
        pieces = split_component(nodes.size, src, dst, weight, rule)
    else:
        pieces = _split_each_component(component[nodes], src, dst, weight, rule)
    group[nodes] = next_label + pieces
    return group


def _split_each_component(
    node_comp: IntArray, src: IntArray, dst: IntArray, weight: FloatArray, rule: GroupRule
) -> IntArray:
    """Leiden on each component separately; ``src``/``dst`` number nodes as ``node_comp``."""
    pieces = np.empty(node_comp.size, dtype=np.int64)
    node_order = np.argsort(node_comp, kind="stable")
    sorted_comp = node_comp[node_order]
    node_starts = np.flatnonzero(np.r_[True, sorted_comp[1:] != sorted_comp[:-1]])
    node_ends = np.r_[node_starts[1:], node_order.size]
    link_comp = node_comp[src]
    link_order = np.argsort(link_comp, kind="stable")
    sorted_link_comp = link_comp[link_order]
    comps = sorted_comp[node_starts]
    link_starts = np.searchsorted(sorted_link_comp, comps, side="left")
    link_ends = np.searchsorted(sorted_link_comp, comps, side="right")
    offset = 0
    for n0, n1, e0, e1 in zip(node_starts, node_ends, link_starts, link_ends, strict=True):
        members = node_order[n0:n1]  # ascending within the component
        chosen = link_order[e0:e1]
        local = split_component(
            members.size,
            np.searchsorted(members, src[chosen]),
            np.searchsorted(members, dst[chosen]),
            weight[chosen],
            rule,
        )
        pieces[members] = offset + local
        offset += int(local.max()) + 1
    return pieces


def _number_groups(group: IntArray) -> IntArray:
    """Renumber groups 0.. in order of their lowest node; -1 stays -1."""
    out = np.full(group.size, NO_GROUP, dtype=np.int64)
    in_group = group >= 0
    if in_group.any():
        out[in_group] = _relabel(group[in_group])
    return out


def labels_with_singletons(group: IntArray) -> IntArray:
    """Group labels where each node outside a group is its own one-node cluster."""
    labels = group.copy()
    alone = labels < 0
    start = int(labels.max()) + 1 if labels.size else 0
    labels[alone] = start + np.arange(int(alone.sum()))
    return labels


@dataclass(frozen=True)
class Agreement:
    """How well found groups match true groups (lone offenders are one-node clusters)."""

    ari: float
    nmi: float


def compare_groups(true_group: IntArray, found_group: IntArray) -> Agreement:
    """Adjusted Rand index and normalised mutual information (igraph.compare_communities)."""
    truth = labels_with_singletons(np.asarray(true_group, dtype=np.int64)).tolist()
    found = labels_with_singletons(np.asarray(found_group, dtype=np.int64)).tolist()
    return Agreement(
        ari=float(ig.compare_communities(truth, found, method="ari")),
        nmi=float(ig.compare_communities(truth, found, method="nmi")),
    )
