"""Label-free estimates: how many true pairs blocking misses, and what a threshold buys.

Real agency data has no ground truth, so ``linkage_quality.json`` carries two estimates that
need none.

**Blocking recall** (:func:`blocking_coverage`). Every accepted link is checked against
every blocking rule. The rules fall in two families: those that need the *names* to agree
(sound-alike forename or family name, swapped names) and those that do not (date of birth
with postcode or house, address, NHS number). Treating the two families as two independent
"captures" of the true pairs, Chapman's capture-recapture estimator gives the number of
true pairs, N = (n1 + 1)(n2 + 1) / (m + 1) - 1, where n1 and n2 are the links each family
finds and m those both find; the links found over N estimates blocking recall. A true pair
whose names and whose dates and address both changed is caught by neither family, which
is what the estimate counts. It is an estimate: it assumes the families miss pairs
independently, and it is drawn from pairs good enough to be linked, so it leans high.
Per rule, the links that only that rule found show what dropping it would cost.

**Threshold curve** (:func:`threshold_curve`). For a candidate threshold t, the model's own
probabilities estimate the precision of the links it would make (the mean probability of
pairs at or above t) and their recall among scored pairs (the probability mass at or above
t over the mass of every scored pair). Multiplied by the blocking recall, the latter
estimates recall over all true pairs. Pick the lowest threshold whose estimated precision
meets the target; pairs between it and the review floor go to clerical review.
:func:`choose_threshold` does exactly that when ``link.target_precision`` is set.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from gbo.duckdb_spill import ANALYSIS_MEMORY_LIMIT, spilling_connection
from gbo.link.settings import BlockingRuleSettings

NAME_COLUMNS = ("given", "family")
CURVE_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)


def rule_label(rule: BlockingRuleSettings) -> str:
    return rule.sql if rule.sql else " + ".join(rule.columns)


def _condition(rule: BlockingRuleSettings) -> str:
    if rule.sql:
        return f"({rule.sql})"
    parts = [
        f'list_has_any(l."{c}", r."{c}")' if c in rule.explode else f'l."{c}" = r."{c}"'
        for c in rule.columns
    ]
    return "(" + " and ".join(parts) + ")"


def _is_name_rule(rule: BlockingRuleSettings) -> bool:
    text = rule.sql if rule.sql else " ".join(rule.columns)
    return any(word in text for word in NAME_COLUMNS)


def rule_membership(
    records: pa.Table,
    links: pd.DataFrame,
    rules: list[BlockingRuleSettings],
    *,
    keep_ids: bool = False,
) -> pd.DataFrame:
    """For each link (``unique_id_l``, ``unique_id_r``): which rules would have found it
    (one column ``rule_<i>`` per rule; with ``keep_ids``, the link's two ids first)."""
    flags = ", ".join(
        f"coalesce({_condition(rule)}, false) as rule_{i}" for i, rule in enumerate(rules)
    )
    pairs = pa.Table.from_pandas(links[["unique_id_l", "unique_id_r"]], preserve_index=False)
    con = spilling_connection(ANALYSIS_MEMORY_LIMIT, "link-coverage")
    try:
        con.register("records", records)
        con.register("pairs", pairs)
        frame: pd.DataFrame = con.sql(
            f"select {'p.unique_id_l, p.unique_id_r, ' if keep_ids else ''}{flags} from pairs p "
            "join records l on l.unique_id = p.unique_id_l "
            "join records r on r.unique_id = p.unique_id_r"
        ).df()
    finally:
        con.close()
    return frame


def reachable_by_agency(
    records: pa.Table, rules: list[BlockingRuleSettings]
) -> list[dict[str, Any]]:
    """Per agency, its records and how many of them some blocking rule can pair at all.

    A rule pairs a record only if the record has every column the rule compares (a charity
    export with a first name and an age has neither a date of birth nor a family name). A
    record is tested against itself: the rule's condition holds with the record on both
    sides exactly when it has those columns, whether the rule is written on columns or in
    SQL. A record no rule reaches is never compared, so never linked.
    """
    if not rules or "agency" not in records.column_names:
        return []
    reached = " or ".join(f"coalesce({_condition(rule)}, false)" for rule in rules)
    con = spilling_connection(ANALYSIS_MEMORY_LIMIT, "link-reachable")
    try:
        con.register("records", records)
        rows = con.sql(
            "select coalesce(l.agency, 'no agency') as agency, count(*) as n_records, "
            f"count(*) filter (where {reached}) as n_reachable "
            "from records l join records r on l.unique_id = r.unique_id "
            "group by all order by agency"
        ).fetchall()
    finally:
        con.close()
    return [{"agency": str(a), "n_records": int(n), "n_reachable": int(k)} for a, n, k in rows]


def unreachable_warnings(
    reachable: list[dict[str, Any]], rules: list[BlockingRuleSettings], share: float = 0.1
) -> list[str]:
    """A warning for each agency of which more than ``share`` of records no rule reaches."""
    out = []
    for row in reachable:
        missing = row["n_records"] - row["n_reachable"]
        if row["n_records"] and missing > share * row["n_records"]:
            out.append(
                f"linkage: {missing:,} of {row['n_records']:,} {row['agency']} records have "
                "the columns of no blocking rule, so they are never compared and cannot be "
                f"linked ({'; '.join(rule_label(r) for r in rules)}): map the identifiers "
                "the export has that a rule needs (date of birth, family name, postcode, NHS "
                "number), or add a blocking rule on the columns it does have (link.blocking_rules)"
            )
    return out


def blocking_coverage(
    records: pa.Table,
    links: pd.DataFrame,
    rules: list[BlockingRuleSettings],
    labels: list[BlockingRuleSettings] | None = None,
) -> dict[str, Any]:
    """Capture-recapture estimate of blocking recall from accepted links (module docstring).

    ``rules`` are the rules blocked on (after the block-size guard of :mod:`gbo.link.blocks`,
    whose key columns ``records`` carries); ``labels``, the declared rules they stand for,
    name them and say which family each is in (the declared rules by default)."""
    labels = labels or rules
    if links.empty or not rules:
        return coverage_from_flags(np.zeros((0, len(labels)), dtype=bool), labels)
    return coverage_from_flags(rule_membership(records, links, rules).to_numpy(dtype=bool), labels)


def coverage_from_flags(flags: np.ndarray, labels: list[BlockingRuleSettings]) -> dict[str, Any]:
    """:func:`blocking_coverage` from the links' rule flags (a row per link, a column per
    rule of ``labels``), for a caller that took them while it still held the records."""
    if len(flags) == 0 or not labels:
        return {"n_links": 0, "estimated_blocking_recall": None}
    name = np.array([_is_name_rule(r) for r in labels])
    by_names, by_other = flags[:, name].any(axis=1), flags[:, ~name].any(axis=1)
    n1, n2, both = int(by_names.sum()), int(by_other.sum()), int((by_names & by_other).sum())
    found = int((by_names | by_other).sum())
    estimated = (n1 + 1) * (n2 + 1) / (both + 1) - 1
    only = flags & (flags.sum(axis=1) == 1)[:, None]
    return {
        "n_links": len(flags),
        "n_links_found_by_a_rule": found,
        "found_by_name_rules": n1,
        "found_by_other_rules": n2,
        "found_by_both": both,
        "estimated_true_pairs": round(estimated, 1),
        "estimated_blocking_recall": round(min(1.0, found / estimated), 4) if estimated else None,
        "by_rule": [
            {
                "rule": rule_label(rule),
                "family": "names" if name[i] else "other",
                "links_found": int(flags[:, i].sum()),
                "links_only_this_rule_found": int(only[:, i].sum()),
            }
            for i, rule in enumerate(labels)
        ],
    }


def threshold_curve(
    probabilities: pd.Series, blocking_recall: float | None
) -> list[dict[str, Any]]:
    """Estimated precision and recall at candidate thresholds (module docstring)."""
    p = probabilities.to_numpy(dtype=np.float64)
    total = float(p.sum())
    rows = []
    for t in CURVE_THRESHOLDS:
        chosen = p[p >= t]
        recall = float(chosen.sum()) / total if total else None
        rows.append(
            {
                "threshold": t,
                "n_links": len(chosen),
                "estimated_precision": round(float(chosen.mean()), 5) if len(chosen) else None,
                "estimated_recall_among_scored": round(recall, 5) if recall is not None else None,
                "estimated_recall": (
                    round(recall * blocking_recall, 5)
                    if recall is not None and blocking_recall is not None
                    else None
                ),
            }
        )
    return rows


def choose_threshold(probabilities: pd.Series, target: float, lowest: float) -> float:
    """The lowest curve threshold at or above ``lowest`` whose estimated precision (the mean
    probability of the pairs at or above it) reaches ``target``; the highest if none does.

    The estimate spends a budget of expected false links (1 - target per link) on the least
    certain pairs the data can afford: data with many near-certain pairs can take pairs down
    to ``lowest``, data whose probabilities are spread out get a higher threshold.
    """
    p = np.sort(probabilities.to_numpy(dtype=np.float64))
    candidates = [t for t in CURVE_THRESHOLDS if t >= lowest] or [max(CURVE_THRESHOLDS)]
    for t in candidates:
        chosen = p[np.searchsorted(p, t, side="left") :]
        if len(chosen) and float(chosen.mean()) >= target:
            return t
    return candidates[-1]
