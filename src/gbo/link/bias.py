"""The linkage bias audit: do link rates and missed links differ between groups of people?

Linkage error that differs by group biases every table that follows (for example, if one
ethnic group's names are transliterated inconsistently, its people split into more "persons"
and its counts inflate). Ethnicity is used here only to *measure* this, never to link.

One row per dimension x group (``linkage_bias.parquet``):

* ``n_records`` - person records in the group;
* ``pct_linked`` - share of them linked to at least one other record;
* ``pct_near_miss`` - share with a scored pair in the grey zone that was *not* linked: an
  indicator of missed links available without ground truth;
* with ground truth: ``pct_missed_link`` (share with a true partner in another person) and
  ``pct_false_merged`` (share put in a person with someone else's record).

Dimensions: sex, ethnicity group (ONS 2021 high-level group from self-defined ethnicity),
age band (age at the end of ``age_reference_year``), and for pairs, the agency pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gbo.schema.codes import NOT_RECORDED, ONS_19, ONS_GROUPS, SDE_TO_ONS, age_band

BIAS_COLUMNS = [
    "dimension",
    "group",
    "n_records",
    "n_linked",
    "pct_linked",
    "n_near_miss",
    "pct_near_miss",
    "n_missed_link",
    "pct_missed_link",
    "n_false_merged",
    "pct_false_merged",
]


def ethnicity_group(code: object) -> str:
    """ONS 2021 high-level group of a self-defined 18+1 code; not recorded otherwise."""
    if not isinstance(code, str) or code not in SDE_TO_ONS:
        return NOT_RECORDED
    return ONS_GROUPS[ONS_19[SDE_TO_ONS[code]][1]]


def record_groups(records: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """The audit groups of each record: sex, ethnicity group, age band, agency."""
    out = pd.DataFrame({"record_pid": records["record_pid"]})
    out["sex"] = records["sex"].fillna(NOT_RECORDED) if "sex" in records else NOT_RECORDED
    if "ethnicity_self" in records:
        out["ethnicity_group"] = records["ethnicity_self"].map(ethnicity_group)
    else:
        out["ethnicity_group"] = NOT_RECORDED
    years = (
        records["birth_year"] if "birth_year" in records else pd.Series(np.nan, index=records.index)
    )
    ages = reference_year - pd.to_numeric(years, errors="coerce")
    out["age_band"] = [age_band(None if pd.isna(a) else int(a)) for a in ages]
    out["agency"] = records["agency"]
    return out


def _rates(flags: pd.DataFrame, dimension: str, has_truth: bool) -> pd.DataFrame:
    grouped = flags.groupby(dimension, dropna=False)
    table = pd.DataFrame(
        {
            "n_records": grouped.size(),
            "n_linked": grouped["is_linked"].sum(),
            "n_near_miss": grouped["is_near_miss"].sum(),
        }
    )
    if has_truth:
        table["n_missed_link"] = grouped["has_missed_link"].sum()
        table["n_false_merged"] = grouped["is_false_merged"].sum()
    table = table.reset_index().rename(columns={dimension: "group"})
    table.insert(0, "dimension", dimension)
    return table


def audit_bias(
    groups: pd.DataFrame,
    record_map: pd.DataFrame,
    near_misses: pd.Series,
    agency_pairs: pd.DataFrame,
    truth: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The audit table (see the module docstring).

    ``near_misses``: the records in a scored pair in the grey zone or above that was not
    linked; ``agency_pairs``: per pair of agencies (``group``, as ``"a - b"``), the scored
    pairs, the linked ones and the near misses (``n_records``, ``n_linked``,
    ``n_near_miss``). Both are counted from ``link_pair`` by :mod:`gbo.link.evidence`."""
    flags = groups.merge(record_map[["record_pid", "person_pid", "cluster_size"]], on="record_pid")
    flags["is_linked"] = flags["cluster_size"] > 1
    flags["is_near_miss"] = flags["record_pid"].isin(near_misses)
    has_truth = truth is not None and not truth.empty
    if truth is not None and has_truth:
        flags = flags.merge(
            truth.rename(columns={"unique_id": "record_pid"}), on="record_pid", how="left"
        )
        persons_per_entity = flags.groupby("entity_id")["person_pid"].transform("nunique")
        entities_per_person = flags.groupby("person_pid")["entity_id"].transform("nunique")
        flags["has_missed_link"] = (persons_per_entity > 1) & flags["entity_id"].notna()
        flags["is_false_merged"] = entities_per_person > 1
    tables = [_rates(flags, d, has_truth) for d in ("sex", "ethnicity_group", "age_band", "agency")]
    pairs = agency_pairs[["group", "n_records", "n_linked", "n_near_miss"]]
    tables.append(pairs.assign(dimension="agency_pair (scored pairs)"))
    out = pd.concat(tables, ignore_index=True)
    for n in ("linked", "near_miss", "missed_link", "false_merged"):
        if f"n_{n}" not in out:
            out[f"n_{n}"] = np.nan
        out[f"pct_{n}"] = (100 * out[f"n_{n}"] / out["n_records"]).round(2)
    for col in ("n_records", "n_linked", "n_near_miss", "n_missed_link", "n_false_merged"):
        out[col] = out[col].astype("Int64")
    out["group"] = out["group"].astype(str)
    return out[BIAS_COLUMNS]
