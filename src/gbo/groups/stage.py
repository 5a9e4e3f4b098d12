"""The groups stage: offender graph, groups under the versioned rule, metrics and exports.

Reads ``02_vault`` and ``03_link``; writes ``05_groups/``: ``offender_edge``,
``group_membership``, ``group``, ``group_offence``, ``group_victim``, ``group_sensitivity``,
``group_rule.json``, ``i2/`` and ``networks/<group_pid>.svg`` (internal use only).
"""

from __future__ import annotations

import time
from collections import defaultdict
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from gbo.duckdb_spill import ANALYSIS_MEMORY_LIMIT, spilling_connection
from gbo.groups.edges import (
    build_offender_edges,
    count_nodes,
    edge_table,
    links_for_rule,
    prepare_person_tables,
    read_edge_arrays,
)
from gbo.groups.group_records import build_group, build_group_offence, build_group_victim
from gbo.groups.i2_export import README, entities_csv, links_csv, write_chunks
from gbo.groups.inputs import read_group_inputs
from gbo.groups.membership import build_membership
from gbo.groups.partition import build_offender_graph, find_groups
from gbo.groups.pictures import draw_group_svg
from gbo.groups.rule import GroupRule, default_rule
from gbo.groups.sensitivity import build_sensitivity
from gbo.groups.settings import DEFAULT_RULE_VERSION, GroupsSettings
from gbo.runfolder import RunContext, StageResult


def run(ctx: RunContext) -> StageResult:
    settings: GroupsSettings = ctx.config.groups
    rule = GroupRule.from_settings(settings)
    result = StageResult()
    if rule.version == DEFAULT_RULE_VERSION and rule.rule_hash != default_rule().rule_hash:
        result.warnings.append(
            f"the group rule differs from the default but keeps the default version "
            f"{DEFAULT_RULE_VERSION!r}; set groups.rule_version to name the new rule"
        )
    timings: dict[str, float] = {}
    inputs = read_group_inputs(ctx)
    if inputs.n_unmapped_records:
        ctx.warn(
            f"{inputs.n_unmapped_records} person records in involvement or association are "
            "not in the linkage map; each was treated as a person of its own"
        )
    if inputs.missing_person_columns:
        ctx.warn(
            "link output person.parquet lacks "
            f"{', '.join(inputs.missing_person_columns)}; counted as not recorded"
        )
    con = spilling_connection(ANALYSIS_MEMORY_LIMIT, "groups")
    try:
        inputs.load_into(con)
        started = time.perf_counter()
        with ctx.progress.task("groups: building offender edges"):
            prepare_person_tables(con, list(settings.offender_roles))
            build_offender_edges(
                con,
                window_days=rule.shared_victim_window_days,
                association_types=rule.association_types,
            )
        n_nodes = count_nodes(con)
        edge_arrays = read_edge_arrays(con, n_nodes)
        timings["edges_seconds"] = time.perf_counter() - started

        started = time.perf_counter()
        with ctx.progress.task("groups: components and Leiden"):
            links = links_for_rule(edge_arrays, rule)
            partition = find_groups(links, rule, build_offender_graph(links))
        timings["partition_seconds"] = time.perf_counter() - started

        membership = build_membership(con, ctx.keys, rule, partition)
        con.register("membership", membership)
        edges = edge_table(con, rule)
        group_offence = build_group_offence(con)
        group_victim = build_group_victim(con)
        group = build_group(con, rule)

        ctx.write_table("offender_edge", edges, personal_data=True)
        ctx.write_table("group_membership", membership, personal_data=True)
        ctx.write_table("group", group, personal_data=True)
        ctx.write_table("group_offence", group_offence, personal_data=True)
        ctx.write_table("group_victim", group_victim, personal_data=True)
    finally:
        con.close()
    # The inputs (some gigabytes at ten million records) and the database are let go before
    # the sensitivity and the exports, which need only the arrays and tables made above.
    del inputs, group_offence

    if settings.sensitivity:
        started = time.perf_counter()
        with ctx.progress.task("groups: sensitivity to the rule"):
            sensitivity = build_sensitivity(rule, partial(links_for_rule, edge_arrays), partition)
        ctx.write_table("group_sensitivity", sensitivity)
        timings["sensitivity_seconds"] = time.perf_counter() - started
    del edge_arrays

    if settings.i2_export:
        # Written a slice of rows at a time: at ten million records links.csv is 2.4 GB.
        for name, chunks in (
            ("entities.csv", entities_csv(membership, group, group_victim)),
            ("links.csv", links_csv(edges, membership, group_victim)),
        ):
            ctx.record_file(write_chunks(ctx.stage_dir / "i2" / name, chunks), personal_data=True)
        ctx.write_text("i2/README.txt", README)
    n_pictures = write_network_pictures(ctx, membership, edges, group, settings.network_pictures)

    rule_json = rule.to_json()
    ctx.write_json("group_rule.json", rule_json)
    result.metrics = {
        "group_rule": rule_json,
        "n_offenders": n_nodes,
        "n_offender_edges": edges.num_rows,
        "n_links_in_rule": links.n_links,
        "n_groups": partition.n_groups,
        "n_offenders_in_groups": int((partition.group >= 0).sum()),
        "n_lone_offenders": int((partition.component_size == 1).sum()),
        "n_components_split": partition.n_components_split,
        "n_network_pictures": n_pictures,
        **{k: round(v, 3) for k, v in timings.items()},
    }
    return result


def write_network_pictures(
    ctx: RunContext, membership: pa.Table, edges: pa.Table, group: pa.Table, limit: int
) -> int:
    """Draw the largest ``limit`` groups (ties by pseudonym) as SVG; returns how many."""
    if limit <= 0 or group.num_rows == 0:
        return 0
    chosen = sorted(
        zip(
            group.column("group_pid").to_pylist(),
            group.column("n_offenders").to_pylist(),
            strict=True,
        ),
        key=lambda g: (-g[1], g[0]),
    )[:limit]
    if len(chosen) < group.num_rows:
        ctx.warn(f"network pictures drawn for the {limit} largest of {group.num_rows} groups")
    wanted = {g for g, _ in chosen}
    # Only the chosen groups' members and their edges reach Python (Arrow filters keep the
    # order of the rows, so the pictures are those of a row-by-row pass).
    chosen_members = membership.filter(
        pc.is_in(membership["group_pid"], value_set=pa.array(sorted(wanted), pa.string()))
    )
    members: dict[str, list[str]] = defaultdict(list)
    group_of: dict[str, str] = {}
    for person, grp in zip(
        chosen_members.column("person_pid").to_pylist(),
        chosen_members.column("group_pid").to_pylist(),
        strict=True,
    ):
        members[grp].append(person)
        group_of[person] = grp
    people = chosen_members["person_pid"]
    near = edges.filter(
        pc.and_(
            pc.fill_null(edges["is_in_rule"], False),
            pc.and_(
                pc.is_in(edges["person_pid_a"], value_set=people),
                pc.is_in(edges["person_pid_b"], value_set=people),
            ),
        )
    )
    links: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    rows: Any = zip(
        near.column("person_pid_a").to_pylist(),
        near.column("person_pid_b").to_pylist(),
        near.column("edge_type").to_pylist(),
        strict=True,
    )
    for a, b, edge_type in rows:
        grp = group_of.get(a)
        if grp is not None and group_of.get(b) == grp:
            links[grp].append((a, b, edge_type))
    for group_pid, _ in chosen:
        svg = draw_group_svg(group_pid, sorted(members[group_pid]), links[group_pid])
        ctx.write_text(f"networks/{group_pid}.svg", svg, personal_data=True)
    return len(chosen)
