"""Disclosure control of the group sensitivity table (groups under other group rules).

Each row counts the same offenders under another group rule, so a reader can difference
rows: two rules whose offenders in groups differ by 3 say that 3 offenders are in a group
only through the extra kind of link, a small count in its own right. The table is
controlled column by column:

* internal columns (rule hashes), the size of the single largest group and the counts of
  groups by size band are never published;
* a count of 1 to ``threshold - 1`` is withheld;
* offenders in groups and offenders not in groups add to the same total of offenders, so
  where one is withheld so is the other;
* two shown counts of a column may not differ by 1 to ``threshold - 1`` (the row that is
  not the configured rule gives way), and where a column has a withheld count beside two
  or more shown ones, the shown ones must span at least the protection interval (by
  default the threshold), or the withheld one
  could be pinned between them (offenders in groups only grow as a rule adds kinds of
  link): otherwise the whole column is withheld;
* the mean and median group size of a row with any withheld count are withheld (a mean
  times the number of groups gives back the offenders in groups).

The configured rule's row counts the groups and offenders the publication's tables count
(``groups_size`` and ``offenders_group_status``). Those figures are shown or withheld there,
so here they are taken as the tables publish them (``published``), never decided afresh:
an outside reader found the row withholding figures the tables print (December 2026), and a
figure is shown in every place or withheld in every place. A figure the tables show is
known to the reader, so every other row's count is kept from lying within ``threshold - 1``
of it, as of any shown count.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from gbo.disclosure.rounding import round_counts
from gbo.disclosure.symbols import CONFIDENTIAL

# never published: internal hashes, the size of the single largest group, and counts of
# groups by size band (small counts the configured rule's own tables already publish)
HIDDEN_PREFIXES = ("rule_hash", "largest_group", "n_groups_size_")
COUNT_COLUMNS = (
    "n_groups",
    "n_offenders_in_groups",
    "n_offenders_not_in_groups",
    "n_components_split",
)
COMPLEMENTS = (("n_offenders_in_groups", "n_offenders_not_in_groups"),)
SUMMARY_COLUMNS = ("mean_group_size", "median_group_size")


def _differences(
    values: pd.Series, hidden: pd.Series, order: list[int], k: int, fixed: pd.Series
) -> bool:
    """Withhold one of each pair of shown counts that differ by 1 to k - 1 (never a
    ``fixed`` one); True if any."""
    changed = False
    for i in order:
        if hidden[i] or fixed[i]:
            continue
        for j in values.index:
            if j != i and not hidden[j] and 0 < abs(int(values[i]) - int(values[j])) < k:
                hidden[i] = True
                changed = True
                break
    return changed


def control_group_sensitivity(
    frame: pd.DataFrame,
    threshold: int,
    published: Mapping[str, bool] | None = None,
    rounding_base: int = 1,
    protection: int | None = None,
) -> pd.DataFrame:
    """The sensitivity table as it may be published, withheld counts shown as ``[c]``.

    ``published``: for the configured rule's count columns the tables publish, whether they
    show it (True) or withhold it (False); those cells follow the tables. With
    ``rounding_base`` above 1 the shown counts are rounded as the tables' are (so the
    configured rule's row says what the tables say), the mean group size is worked from
    the rounded counts and the median is shown whole: true figures would undo the rounding.
    ``protection``: the width a withheld count's range must keep (the stage's protection
    interval; by default the threshold)."""
    keep = [c for c in frame.columns if not str(c).startswith(HIDDEN_PREFIXES)]
    out = frame[keep].reset_index(drop=True).copy()
    counts = [c for c in COUNT_COLUMNS if c in out.columns]
    hidden = {c: (out[c] > 0) & (out[c] < threshold) for c in counts}
    configured = (
        out["is_configured_rule"].astype(bool)
        if "is_configured_rule" in out.columns
        else pd.Series(False, index=out.index)
    )
    fixed = {c: pd.Series(False, index=out.index) for c in counts}
    for c, is_shown in (published or {}).items():
        if c in hidden:
            fixed[c] = configured.copy()
            hidden[c] = hidden[c].where(~configured, not is_shown)
    # the configured rule's row is the last to give way
    order = sorted(out.index, key=lambda i: (bool(configured[i]), -i))
    span = protection or threshold
    changed = True
    while changed:
        changed = False
        for a, b in COMPLEMENTS:
            if a in hidden and b in hidden:
                either = hidden[a] | hidden[b]
                for c in (a, b):
                    new = hidden[c] | (either & ~fixed[c])
                    changed |= bool((new != hidden[c]).any())
                    hidden[c] = new
        for c in counts:
            changed |= _differences(out[c], hidden[c], order, threshold, fixed[c])
            shown = out[c][~hidden[c]]
            if hidden[c].any() and len(shown) >= 2 and shown.max() - shown.min() < span:
                rest = ~hidden[c] & ~fixed[c]
                changed |= bool(rest.any())
                hidden[c] = hidden[c] | rest
    if rounding_base > 1:
        for c in counts:
            out[c] = round_counts(out[c].to_numpy(), rounding_base)
        if {"mean_group_size", "n_groups", "n_offenders_in_groups"} <= set(out.columns):
            groups = out["n_groups"].where(out["n_groups"] > 0)
            out["mean_group_size"] = (out["n_offenders_in_groups"] / groups).round(2)
        if "median_group_size" in out.columns:
            out["median_group_size"] = np.floor(out["median_group_size"] + 0.5)
    any_hidden = pd.Series(False, index=out.index)
    for c in counts:
        any_hidden |= hidden[c]
        out[c] = out[c].astype(object).where(~hidden[c], CONFIDENTIAL)
    for c in SUMMARY_COLUMNS:
        if c in out.columns:
            out[c] = out[c].astype(object).where(~any_hidden, CONFIDENTIAL)
    return out
