"""Where linkage errs: cluster recall by perturbation class and by group, false merges by kind.

Used by ``bench_link`` (synthetic data, where the true person's sex and ethnicity are known)
and ``bench_febrl``. Ethnicity is read only here, to report error by group; it is never a
feature of any model.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def _within_pairs(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Every pair of records sharing ``key`` (``unique_id_l`` < ``unique_id_r``)."""
    grouped = frame[["unique_id", key]].dropna()
    sizes = grouped.groupby(key)["unique_id"].transform("size")
    grouped = grouped[sizes > 1]
    pairs = grouped.merge(grouped, on=key, suffixes=("_l", "_r"))
    return pairs[pairs["unique_id_l"] < pairs["unique_id_r"]].reset_index(drop=True)


def _fold(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.lower().str.replace(r"[^a-z]", "", regex=True)


def _pair_view(pairs: pd.DataFrame, identity: pd.DataFrame) -> pd.DataFrame:
    ident = identity.set_index("record_pid")
    out = pairs.copy()
    for side in ("l", "r"):
        rows = ident.reindex(out[f"unique_id_{side}"])
        out[f"given_{side}"] = _fold(rows["given_name"]).to_numpy()
        out[f"family_{side}"] = _fold(rows["family_name"]).to_numpy()
        dob = pd.to_datetime(rows["dob"], errors="coerce")
        precision = (
            rows["dob_precision"].fillna("day").astype(str).str.lower()
            if "dob_precision" in rows
            else pd.Series("day", index=rows.index)
        )
        weak = (
            dob.isna()
            | (precision != "day")
            | ((dob.dt.month == 1) & (dob.dt.day == 1))
            | (dob.dt.year < 1901)
        )
        out[f"dob_{side}"] = dob.dt.strftime("%Y-%m-%d").to_numpy()
        out[f"dob_weak_{side}"] = weak.to_numpy()
        postcode = rows["postcode"] if "postcode" in rows else pd.Series(None, index=rows.index)
        out[f"postcode_{side}"] = (
            postcode.fillna("").astype(str).str.upper().str.replace(" ", "").to_numpy()
        )
        out[f"agency_{side}"] = rows["agency"].to_numpy()
    return out


def perturbation_classes(view: pd.DataFrame) -> dict[str, pd.Series]:
    """Boolean masks over true pairs, one per kind of difference between the two records."""
    moved = (view["postcode_l"] != "") & (view["postcode_r"] != "")
    moved &= view["postcode_l"] != view["postcode_r"]
    same_name = (view["given_l"] == view["given_r"]) & (view["family_l"] == view["family_r"])
    full_dob = ~view["dob_weak_l"] & ~view["dob_weak_r"]
    return {
        "all true pairs": pd.Series(True, index=view.index),
        "moved (postcode differs)": moved,
        "moved, exact name and full DOB": moved
        & same_name
        & full_dob
        & (view["dob_l"] == view["dob_r"]),
        "forename differs": view["given_l"] != view["given_r"],
        "surname differs": view["family_l"] != view["family_r"],
        "DOB missing, placeholder or partial": view["dob_weak_l"] | view["dob_weak_r"],
        "full DOBs differ": full_dob & (view["dob_l"] != view["dob_r"]),
        "same agency (in-file duplicate)": view["agency_l"] == view["agency_r"],
    }


def breakdown(
    identity: pd.DataFrame,
    truth: pd.DataFrame,
    clusters: pd.DataFrame,
    people: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Recall by class and group, and false merges by kind.

    ``identity``: record_pid, given_name, family_name, dob, [dob_precision], [postcode],
    agency; ``truth``: unique_id, entity_id; ``clusters``: unique_id, cluster_id;
    ``people`` (optional): entity_id, sex, ethnicity_group of each true person.
    """
    true_pairs = _within_pairs(truth, "entity_id")
    cluster_of = clusters.set_index("unique_id")["cluster_id"]
    found = (
        true_pairs["unique_id_l"].map(cluster_of).to_numpy()
        == true_pairs["unique_id_r"].map(cluster_of).to_numpy()
    )
    view = _pair_view(true_pairs, identity)
    by_class = {
        name: {"n": int(mask.sum()), "recall": round(float(found[mask.to_numpy()].mean()), 4)}
        for name, mask in perturbation_classes(view).items()
        if mask.any()
    }
    result: dict[str, Any] = {"recall_by_class": by_class}
    if people is not None:
        attributes = people.set_index("entity_id")
        entity = true_pairs["entity_id"]
        for column in ("sex", "ethnicity_group"):
            group = entity.map(attributes[column]).fillna("Not recorded")
            table = pd.DataFrame({"group": group, "found": found}).groupby("group")["found"]
            rates = table.agg(["size", "mean"])
            result[f"recall_by_{column}"] = {
                str(g): {"n": int(r["size"]), "recall": round(float(r["mean"]), 4)}
                for g, r in rates.iterrows()
            }
            recalls = [v["recall"] for v in result[f"recall_by_{column}"].values() if v["n"] >= 50]
            result[f"recall_spread_{column}"] = round(max(recalls) - min(recalls), 4)
    predicted = _within_pairs(clusters, "cluster_id")
    entity_of = truth.set_index("unique_id")["entity_id"]
    false = predicted[
        predicted["unique_id_l"].map(entity_of).to_numpy()
        != predicted["unique_id_r"].map(entity_of).to_numpy()
    ]
    fview = _pair_view(false, identity)
    same_family = fview["family_l"] == fview["family_r"]
    same_dob = (fview["dob_l"] == fview["dob_r"]) & fview["dob_l"].notna()
    result["false_pairs"] = {
        "total": len(false),
        "same surname and DOB (twin-like)": int((same_family & same_dob).sum()),
        "same surname, other DOB (sibling or parent)": int((same_family & ~same_dob).sum()),
        "different forename": int((fview["given_l"] != fview["given_r"]).sum()),
    }
    return result


def print_breakdown(label: str, figures: dict[str, Any]) -> None:
    print(f"  {label}: recall by perturbation class")
    for name, v in figures["recall_by_class"].items():
        print(f"    {name:<40}{v['n']:>8}{v['recall']:>9.4f}")
    for column in ("sex", "ethnicity_group"):
        if f"recall_by_{column}" in figures:
            print(f"  {label}: recall by {column} (spread {figures[f'recall_spread_{column}']})")
            for g, v in figures[f"recall_by_{column}"].items():
                print(f"    {g:<40}{v['n']:>8}{v['recall']:>9.4f}")
    print(f"  {label}: false pairs {figures['false_pairs']}")
