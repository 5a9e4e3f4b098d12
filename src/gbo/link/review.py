"""Link evidence and the clerical review queue: pseudonyms and comparison levels only.

``link_pair`` keeps every scored pair (above ``predict_min_probability``) with its match
weight, probability and, for each comparison, the level the pair fell in. The review queue
is the subset a person should look at: every pair between the review floor and the top of
the grey zone (so every pair below the link threshold that the model thought possible),
weak links, and pairs above the threshold that a guard held back (see
:mod:`gbo.link.clusters`), minus pairs already decided. Nothing in the band is dropped
silently. Each row carries its waterfall: the weight every comparison added
(``mw_forename`` ...; their sum plus the prior's weight is ``match_weight``). Neither
ever holds a name, a date of birth, an address or a local id; the reviewer looks the
records up in the agencies' own systems (or the vault) by pseudonym.

``link_pair`` itself is written by DuckDB (:mod:`gbo.link.evidence`): every kept pair with
the pseudonyms and agencies of its records (the smaller pseudonym on the left), its weight,
probability, ``gamma_*`` levels and their readable labels (``?`` for a level the model does
not name), ``mw_*`` weights and ``is_linked``, sorted by pair. The queue is built here from
the rows of it that can enter the queue.
"""

from __future__ import annotations

import pandas as pd

from gbo.link.model import COMPARISON_NAMES
from gbo.link.settings import LinkSettings

REVIEW_COLUMNS = [
    "record_pid_l",
    "record_pid_r",
    "agency_l",
    "agency_r",
    "match_probability",
    "match_weight",
    *COMPARISON_NAMES,
    *[f"mw_{c}" for c in COMPARISON_NAMES],
    "reason",
    "is_linked",
    "decision",
    "reviewer",
    "decided_on",
]


def build_review_queue(
    link_pairs: pd.DataFrame,
    weak_links: pd.DataFrame,
    decisions: pd.DataFrame | None,
    settings: LinkSettings,
    guarded: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Grey-zone pairs, weak links and guarded pairs not yet decided, most uncertain first."""
    p = link_pairs["match_probability"]
    grey = link_pairs[
        (p >= settings.review_min_probability) & (p < settings.review_max_probability)
    ]
    grey = grey.assign(reason="grey zone")
    if not weak_links.empty:
        key = link_pairs["record_pid_l"] + "|" + link_pairs["record_pid_r"]
        reasons = weak_links.assign(
            reason=weak_links["conflict"].map(
                lambda c: f"weak link, conflicting {c}: cut" if c else "weak link holds a person"
            ),
            key=weak_links["unique_id_l"] + "|" + weak_links["unique_id_r"],
        ).set_index("key")["reason"]
        weak = link_pairs[key.isin(reasons.index)]
        weak = weak.assign(reason=(weak["record_pid_l"] + "|" + weak["record_pid_r"]).map(reasons))
        grey = pd.concat([weak, grey], ignore_index=True)
    if guarded is not None and not guarded.empty:
        key = link_pairs["record_pid_l"] + "|" + link_pairs["record_pid_r"]
        reasons = guarded.assign(
            key=guarded["unique_id_l"] + "|" + guarded["unique_id_r"]
        ).set_index("key")["reason"]
        held = link_pairs[key.isin(reasons.index)]
        held = held.assign(reason=(held["record_pid_l"] + "|" + held["record_pid_r"]).map(reasons))
        grey = pd.concat([held, grey], ignore_index=True)
    queue = grey.drop_duplicates(["record_pid_l", "record_pid_r"])
    if decisions is not None and not decisions.empty:
        decided = set(decisions["pair_key"])
        queue = queue[~(queue["record_pid_l"] + "|" + queue["record_pid_r"]).isin(decided)]
    queue = queue.assign(
        uncertainty=(queue["match_probability"] - 0.5).abs(),
        decision="",
        reviewer="",
        decided_on="",
    )
    queue = queue.sort_values(["uncertainty", "record_pid_l", "record_pid_r"])
    queue["match_probability"] = queue["match_probability"].round(6)
    queue["match_weight"] = queue["match_weight"].round(3)
    for name in COMPARISON_NAMES:
        if f"mw_{name}" not in queue:
            queue[f"mw_{name}"] = float("nan")
        queue[f"mw_{name}"] = queue[f"mw_{name}"].round(3)
    return queue[REVIEW_COLUMNS].reset_index(drop=True)
