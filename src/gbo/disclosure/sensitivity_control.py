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
  or more shown ones, the shown ones must span at least the threshold, or the withheld one
  could be pinned between them (offenders in groups only grow as a rule adds kinds of
  link): otherwise the whole column is withheld;
* the mean and median group size of a row with any withheld count are withheld (a mean
  times the number of groups gives back the offenders in groups).
"""

from __future__ import annotations

import pandas as pd

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


def _differences(values: pd.Series, hidden: pd.Series, order: list[int], k: int) -> bool:
    """Withhold one of each pair of shown counts that differ by 1 to k - 1; True if any."""
    changed = False
    for i in order:
        if hidden[i]:
            continue
        for j in values.index:
            if j != i and not hidden[j] and 0 < abs(int(values[i]) - int(values[j])) < k:
                hidden[i] = True
                changed = True
                break
    return changed


def control_group_sensitivity(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The sensitivity table as it may be published, withheld counts shown as ``[c]``."""
    keep = [c for c in frame.columns if not str(c).startswith(HIDDEN_PREFIXES)]
    out = frame[keep].reset_index(drop=True).copy()
    counts = [c for c in COUNT_COLUMNS if c in out.columns]
    hidden = {c: (out[c] > 0) & (out[c] < threshold) for c in counts}
    configured = (
        out["is_configured_rule"].astype(bool)
        if "is_configured_rule" in out.columns
        else pd.Series(False, index=out.index)
    )
    # the configured rule's row is the last to give way
    order = sorted(out.index, key=lambda i: (bool(configured[i]), -i))
    changed = True
    while changed:
        changed = False
        for a, b in COMPLEMENTS:
            if a in hidden and b in hidden:
                either = hidden[a] | hidden[b]
                changed |= bool((either != hidden[a]).any() or (either != hidden[b]).any())
                hidden[a], hidden[b] = either.copy(), either.copy()
        for c in counts:
            changed |= _differences(out[c], hidden[c], order, threshold)
            shown = out[c][~hidden[c]]
            if hidden[c].any() and len(shown) >= 2 and shown.max() - shown.min() < threshold:
                hidden[c][:] = True
                changed = True
    any_hidden = pd.Series(False, index=out.index)
    for c in counts:
        any_hidden |= hidden[c]
        out[c] = out[c].astype(object).where(~hidden[c], CONFIDENTIAL)
    for c in SUMMARY_COLUMNS:
        if c in out.columns:
            out[c] = out[c].astype(object).where(~any_hidden, CONFIDENTIAL)
    return out
