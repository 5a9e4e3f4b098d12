"""Blocking benchmark: how many pairs each blocking rule makes, and how that grows.

For each size the synthetic exports are made, ingested and vaulted as in ``bench_link``
(or an existing run folder is read with ``--run-dir``), the identity records are decrypted
and standardised in memory, and Splink's own blocking analysis
(``splink.blocking_analysis.count_comparisons_from_blocking_rules``) counts, without
scoring anything:

* each rule's comparisons on its own, and the marginal and cumulative de-duplicated counts
  of the rules in the order they are declared (what scoring would compare);
* each rule's largest block (records sharing one key), before any block-size guard.

At ten million records the counts are estimated from a deterministic sample of records on
each side (``--sample 0.05``: Splink scales the sampled count up); below that they are
exact. The rules are the link stage's own, with the configured block-size guard
(``link.max_block_size``) applied exactly as the stage applies it.

    python -m benchmarks.bench_blocking [--sizes 100000 1000000] [--profile heldout]
    python -m benchmarks.bench_blocking --run-dir bench-data/scale-10000000/run-duckdb \
        --sample 0.05
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from benchmarks.measure import measure


def _records(run_dir: Path) -> pa.Table:
    from benchmarks.bench_link import _identity
    from gbo.link.ordering import content_ids
    from gbo.link.standardise import standardise_identity

    standardised = standardise_identity(_identity(run_dir))
    ordered, _ = content_ids(standardised, "4GB")
    return ordered


def count_rules(
    records: pa.Table, sample: float, memory_limit: str, max_block_size: int | None = -1
) -> dict[str, Any]:
    """Per rule: its own count, largest block, and the cumulative de-duplicated count."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from gbo.duckdb_spill import spilling_connection
    from gbo.link.blocks import guarded_blocking
    from gbo.link.coverage import rule_label
    from gbo.link.model import splink_rule
    from gbo.link.settings import LinkSettings

    settings = LinkSettings(duckdb_memory_limit=memory_limit)
    if max_block_size != -1:  # -1: the setting's own
        settings = settings.model_copy(update={"max_block_size": max_block_size})
    guarded = guarded_blocking(records, settings.blocking_rules, settings.max_block_size)
    db = DuckDBAPI(connection=spilling_connection(memory_limit, "bench-blocking"))
    table = db.register(guarded.records, dataset_display_name="records")
    rules = [splink_rule(r) for r in guarded.rules]

    def counted(chosen: list[Any]) -> list[Any]:
        return count_comparisons_from_blocking_rules(
            table, blocking_rules=chosen, link_type="dedupe_only", record_sample_proportion=sample
        )

    rows: list[dict[str, Any]] = []
    for rule, splink_form, blocks in zip(
        settings.blocking_rules, rules, guarded.blocks, strict=True
    ):
        started = time.perf_counter()
        own = counted([splink_form])[0]
        rows.append(
            {
                "rule": rule_label(rule),
                "comparisons": int(own["marginal_comparison_count"]),
                "largest_block": blocks.largest,
                "blocks_over_guard": blocks.over_guard,
                "records_in_blocks_over_guard": blocks.records_over_guard,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    cumulative = counted(rules)
    for row, record in zip(rows, cumulative, strict=True):
        row["marginal"] = int(record["marginal_comparison_count"])
        row["cumulative"] = int(record["cumulative_comparison_count"])
    return {
        "records": records.num_rows,
        "sample": sample,
        "max_block_size": settings.max_block_size,
        "rules": rows,
        "total_deduplicated": rows[-1]["cumulative"] if rows else 0,
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"\n{result['records']:,} records (sample {result['sample']}, "
        f"max_block_size {result['max_block_size']}): "
        f"{result['total_deduplicated']:,} de-duplicated comparisons; "
        f"{result['seconds']} s, peak {result['peak_mb']} MB"
    )
    print(f"{'rule':<52}{'own':>14}{'marginal':>14}{'cumulative':>14}{'largest':>9}{'over':>7}")
    for r in result["rules"]:
        print(
            f"{r['rule'][:51]:<52}{r['comparisons']:>14,}{r['marginal']:>14,}"
            f"{r['cumulative']:>14,}{r['largest_block'] or 0:>9,}{r['blocks_over_guard']:>7,}"
        )


def main() -> None:
    from benchmarks.bench_link import prepare

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--profile", default="default", help="default or heldout")
    parser.add_argument("--run-dir", type=Path, help="an existing run folder (vault done)")
    parser.add_argument("--sample", type=float, default=1.0, help="record sample proportion")
    parser.add_argument("--memory-limit", default="6GB", help="DuckDB memory for counting")
    parser.add_argument(
        "--max-block-size",
        type=int,
        nargs="+",
        default=[-1],
        help="link.max_block_size values to count with (0: guard off; default: the setting's)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    run_dirs = [args.run_dir] if args.run_dir else [prepare(s, args.profile) for s in args.sizes]
    results = []
    for run_dir in run_dirs:
        records = _records(run_dir)
        for bound in args.max_block_size:
            with measure() as m:
                guard = None if bound == 0 else bound
                result = count_rules(records, args.sample, args.memory_limit, guard)
            result.update(seconds=round(m.seconds, 1), peak_mb=round(m.peak_rss_mb))
            _print(result)
            results.append(result)
            if args.json:
                args.json.write_text(json.dumps(results, indent=2))
        del records


if __name__ == "__main__":
    main()
