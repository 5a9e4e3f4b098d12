"""Persons: one row per linked person, with attributes resolved by documented rules.

* ``person_pid`` - the pseudonym of the smallest ``record_pid`` in the person, so the same
  inputs and key give the same person pseudonyms on every run;
* ``sex`` - the recorded sex when all records that state one agree, else not recorded (null)
  and ``has_conflicting_sex``;
* ``birth_year`` - the most frequent known (not estimated) birth year, else the most frequent
  of any, else the earliest (ties go to the next rule); ``has_conflicting_dob`` when known
  birth years are more than a year apart;
* ``ethnicity_self``, ``ethnicity_officer``, ``nationality`` - the most frequent recorded
  value; a tie between values is not recorded (null). These are resolved for aggregate tables
  only; they were never used to link.
"""

from __future__ import annotations

import pandas as pd

from gbo.security import KeyRing, pseudonymise


def _mode_without_ties(df: pd.DataFrame, column: str) -> pd.Series:
    """Per person, the most frequent non-null value of ``column``; null on a tie or no value."""
    counts = df.dropna(subset=[column]).groupby(["person_pid", column]).size()
    if counts.empty:
        return pd.Series(dtype="object")
    ranked = counts.reset_index(name="n").sort_values(
        ["person_pid", "n", column], ascending=[True, False, True]
    )
    first = ranked.groupby("person_pid").nth(0).set_index("person_pid")
    second = ranked.groupby("person_pid").nth(1).set_index("person_pid")["n"]
    tie = second.reindex(first.index) == first["n"]
    return first[column].where(~tie)


def person_pids(clusters: pd.DataFrame, keys: KeyRing) -> pd.DataFrame:
    """``record_pid`` -> ``person_pid`` and ``cluster_size`` from ``unique_id``/``cluster_id``."""
    smallest = clusters.groupby("cluster_id")["unique_id"].transform("min")
    size = clusters.groupby("cluster_id")["unique_id"].transform("size")
    lookup = {s: pseudonymise(keys, "person", s, "per") for s in pd.unique(smallest)}
    return pd.DataFrame(
        {
            "record_pid": clusters["unique_id"].to_numpy(),
            "person_pid": smallest.map(lookup).to_numpy(),
            "cluster_size": size.astype("int64").to_numpy(),
        }
    )


def build_persons(record_map: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """One row per person from the record map and the pseudonymised person records.

    ``records``: ``record_pid``, ``agency``, ``sex``, ``birth_year``, ``birth_year_is_estimated``,
    ``ethnicity_self``, ``ethnicity_officer``, ``nationality`` (missing columns are null).
    """
    df = record_map[["record_pid", "person_pid"]].merge(records, on="record_pid", how="left")
    for col in ("sex", "birth_year", "birth_year_is_estimated", "ethnicity_self",
                "ethnicity_officer", "nationality", "agency"):  # fmt: skip
        if col not in df.columns:
            df[col] = None
    persons = df.groupby("person_pid", sort=True).agg(
        n_records=("record_pid", "size"),
        n_sexes=("sex", "nunique"),
        any_sex=("sex", "first"),
    )
    persons["agencies"] = df.groupby("person_pid")["agency"].agg(lambda a: sorted(set(a.dropna())))
    estimated = df["birth_year_is_estimated"].astype("boolean").fillna(False).astype(bool)
    known = df[~estimated]
    span = known.groupby("person_pid")["birth_year"].agg(lambda y: y.max() - y.min())
    known_year = _mode_without_ties(known, "birth_year")
    any_year = _mode_without_ties(df, "birth_year")
    lowest = df.groupby("person_pid")["birth_year"].min()
    year = known_year.reindex(persons.index)
    year = year.fillna(any_year.reindex(persons.index)).fillna(lowest.reindex(persons.index))
    out = pd.DataFrame(
        {
            "person_pid": persons.index.to_numpy(),
            "n_records": persons["n_records"].astype("int64").to_numpy(),
            "agencies": persons["agencies"].to_numpy(),
            "sex": persons["any_sex"].where(persons["n_sexes"] == 1).to_numpy(),
            "birth_year": pd.array(year.to_numpy(), dtype="Int64"),
        }
    )
    for col in ("ethnicity_self", "ethnicity_officer", "nationality"):
        out[col] = _mode_without_ties(df, col).reindex(persons.index).to_numpy()
    out["has_conflicting_sex"] = (persons["n_sexes"] > 1).to_numpy()
    out["has_conflicting_dob"] = (span.reindex(persons.index).fillna(0) > 1).to_numpy()
    return out
