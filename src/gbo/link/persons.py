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

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gbo.security import KeyRing, pseudonymise


def _mode_without_ties(df: pd.DataFrame, column: str) -> pd.Series:
    """Per person, the most frequent non-null value of ``column``; null on a tie or no value."""
    counts = df.dropna(subset=[column]).groupby(["person_pid", column]).size()
    if counts.empty:
        return pd.Series(dtype="object")
    ranked = counts.reset_index(name="n").sort_values(
        ["person_pid", "n", column], ascending=[True, False, True]
    )
    # Vectorised first and second of each person (groupby.nth is slow at a million persons).
    repeat = ranked["person_pid"].duplicated()
    first = ranked[~repeat].set_index("person_pid")
    second = ranked[repeat].drop_duplicates("person_pid").set_index("person_pid")["n"]
    tie = second.reindex(first.index) == first["n"]
    return first[column].where(~tie)


def person_pids(clusters: pd.DataFrame, keys: KeyRing) -> pd.DataFrame:
    """``record_pid`` -> ``person_pid`` and ``cluster_size`` from ``unique_id``/``cluster_id``."""
    records = clusters["unique_id"].to_numpy(dtype=object)
    codes, _ = pd.factorize(clusters["cluster_id"])
    # The smallest record of each cluster: the first of its records in pseudonym order,
    # sorted by Arrow (pseudonyms are ASCII, so its byte order is Python's string order; a
    # pandas sort of ten million Python strings took minutes).
    order = pc.sort_indices(pa.array(records, pa.string())).to_numpy()
    _, first = np.unique(codes[order], return_index=True)
    smallest = records[order[first]]  # by cluster code
    persons = np.array([pseudonymise(keys, "person", s, "per") for s in smallest], dtype=object)
    return pd.DataFrame(
        {
            "record_pid": records,
            "person_pid": persons[codes],
            "cluster_size": np.bincount(codes)[codes].astype("int64"),
        }
    )


def _agencies(df: pd.DataFrame) -> pd.Series:
    """Per person, the sorted list of its records' agencies (without a Python call per
    person: each person's set of agencies is a bit mask, and the few masks become lists)."""
    present = df[["person_pid", "agency"]].dropna().drop_duplicates()
    names = sorted(present["agency"].unique())
    bit = present["agency"].map({a: 1 << i for i, a in enumerate(names)}).astype("int64")
    mask = bit.groupby(present["person_pid"]).sum()
    lists = {m: [a for i, a in enumerate(names) if m >> i & 1] for m in mask.unique()}
    out = pd.Series([lists[m] for m in mask.to_numpy()], index=mask.index, dtype="object")
    missing = df.loc[~df["person_pid"].isin(mask.index), "person_pid"].unique()
    empty: pd.Series = pd.Series([[] for _ in missing], index=missing, dtype="object")
    combined: pd.Series = pd.concat([out, empty])
    return combined


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
    # Group on integer codes (in pseudonym order), not on the pseudonym strings: sorting a
    # million strings again for every attribute was most of the stage's time.
    codes, pids = pd.factorize(df["person_pid"], sort=True)
    df = df.assign(person_pid=codes)
    persons = df.groupby("person_pid", sort=True).agg(
        n_records=("record_pid", "size"),
        n_sexes=("sex", "nunique"),
        any_sex=("sex", "first"),
    )
    persons["agencies"] = _agencies(df).reindex(persons.index)
    estimated = df["birth_year_is_estimated"].astype("boolean").fillna(False).astype(bool)
    known = df[~estimated]
    years = known.groupby("person_pid")["birth_year"]
    span = years.max() - years.min()
    known_year = _mode_without_ties(known, "birth_year")
    any_year = _mode_without_ties(df, "birth_year")
    lowest = df.groupby("person_pid")["birth_year"].min()
    year = known_year.reindex(persons.index)
    year = year.fillna(any_year.reindex(persons.index)).fillna(lowest.reindex(persons.index))
    out = pd.DataFrame(
        {
            "person_pid": pids.to_numpy()[persons.index.to_numpy()],
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
