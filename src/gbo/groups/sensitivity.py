"""How many groups, and how large, under alternative rules.

Six alternatives, each with and without the Leiden split: offence-only links; plus shared
victims; plus associations. The configured rule is marked (and added as its own row when it
is none of the six). Size bands follow the ones used in publications: 2, 3-4, 5-9, 10+.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from gbo.groups.partition import Links, Partition, find_groups
from gbo.groups.rule import GroupRule
from gbo.groups.settings import EdgeType

ALTERNATIVES: tuple[tuple[str, tuple[EdgeType, ...]], ...] = (
    ("offence_only", ("shared_offence",)),
    ("plus_shared_victim", ("shared_offence", "shared_victim")),
    ("plus_association", ("shared_offence", "shared_victim", "association")),
)
SIZE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("n_groups_size_2", 2, 2),
    ("n_groups_size_3_4", 3, 4),
    ("n_groups_size_5_9", 5, 9),
    ("n_groups_size_10_plus", 10, 1 << 62),
)


def summarise_partition(partition: Partition) -> dict[str, float | int | None]:
    sizes = partition.group_sizes()
    row: dict[str, float | int | None] = {
        "n_groups": int(sizes.size),
        "n_offenders_in_groups": int(sizes.sum()),
        "n_offenders_not_in_groups": int((partition.group < 0).sum()),
        "n_components_split": partition.n_components_split,
        "largest_group": int(sizes.max()) if sizes.size else None,
        "mean_group_size": float(sizes.mean()) if sizes.size else None,
        "median_group_size": float(np.median(sizes)) if sizes.size else None,
    }
    for name, low, high in SIZE_BANDS:
        row[name] = int(((sizes >= low) & (sizes <= high)).sum())
    return row


def build_sensitivity(
    rule: GroupRule,
    links_for: Callable[[GroupRule], Links],
    configured: Partition,
) -> pa.Table:
    """The sensitivity table (the configured partition is reused, not recomputed)."""
    rows: list[dict[str, object]] = []
    seen_configured = False
    for name, edge_types in ALTERNATIVES:
        for split in (False, True):
            variant = rule.with_edges(edge_types, split=split)
            is_configured = variant.definition() == rule.definition()
            seen_configured |= is_configured
            partition = configured if is_configured else find_groups(links_for(variant), variant)
            rows.append(
                _row(f"{name}{'_split' if split else ''}", variant, is_configured, partition)
            )
    if not seen_configured:
        rows.append(_row("configured", rule, True, configured))
    return pa.Table.from_pylist(rows, schema=SENSITIVITY_SCHEMA)


def _row(
    name: str, rule: GroupRule, is_configured: bool, partition: Partition
) -> dict[str, object]:
    return {
        "rule_name": name,
        "edge_types": list(rule.edge_types),
        "is_split": rule.split,
        "is_configured_rule": is_configured,
        "rule_hash": rule.rule_hash,
        **summarise_partition(partition),
    }


SENSITIVITY_SCHEMA = pa.schema(
    [
        pa.field("rule_name", pa.string(), nullable=False),
        pa.field("edge_types", pa.list_(pa.string())),
        pa.field("is_split", pa.bool_()),
        pa.field("is_configured_rule", pa.bool_()),
        pa.field("rule_hash", pa.string()),
        pa.field("n_groups", pa.int64()),
        pa.field("n_offenders_in_groups", pa.int64()),
        pa.field("n_offenders_not_in_groups", pa.int64()),
        pa.field("n_components_split", pa.int64()),
        pa.field("largest_group", pa.int64()),
        pa.field("mean_group_size", pa.float64()),
        pa.field("median_group_size", pa.float64()),
        *(pa.field(name, pa.int64()) for name, _, _ in SIZE_BANDS),
    ]
)
